import * as http from "node:http";
import { AddressInfo } from "node:net";
import { App, createApp } from "./app";

export interface ServerConfig {
    /** Application port (Service port `http`). */
    port: number;
    /** Metrics port (Service port `metrics`, scraped by the ServiceMonitor). */
    metricsPort: number;
    version: string;
    name: string;
    /**
     * How long to keep serving after SIGTERM with readiness failing, so the endpoint controller and
     * the ALB take the pod out of rotation before it stops accepting connections.
     */
    drainSeconds: number;
}

/** Reads the config from the environment the chart sets; a bad value fails at start, naming the variable. */
export function configFromEnv(env: NodeJS.ProcessEnv): ServerConfig {
    const int = (key: string, fallback: number, min: number, max: number) => {
        const raw = env[key];
        if (raw === undefined || raw === "") return fallback;
        const value = Number(raw);
        if (!Number.isInteger(value) || value < min || value > max) throw new Error(`${key} is ${JSON.stringify(raw)}; expected an integer from ${min} to ${max}`);
        return value;
    };
    return {
        port: int("PORT", 8080, 0, 65535),
        metricsPort: int("METRICS_PORT", 9090, 0, 65535),
        drainSeconds: int("SHUTDOWN_DRAIN_SECONDS", 5, 0, 300),
        version: env.APP_VERSION || "unknown",
        name: env.APP_NAME || "service",
    };
}

export interface RunningServer {
    app: App;
    port: number;
    metricsPort: number;
    /** Readiness fails, then after `drainSeconds` both servers stop accepting and finish in-flight requests. */
    shutdown(): Promise<void>;
}

function listen(server: http.Server, port: number): Promise<number> {
    return new Promise((resolve, reject) => {
        server.once("error", reject);
        server.listen(port, () => resolve((server.address() as AddressInfo).port));
    });
}

function close(server: http.Server): Promise<void> {
    return new Promise((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        // Keep-alive connections with no request in flight would hold close() open until they time out.
        server.closeIdleConnections();
    });
}

export async function startServer(config: ServerConfig): Promise<RunningServer> {
    const app = createApp({ version: config.version, name: config.name });
    const main = http.createServer(app.handle);
    const metrics = http.createServer(app.handleMetrics);
    const [port, metricsPort] = await Promise.all([listen(main, config.port), listen(metrics, config.metricsPort)]);
    let stopping: Promise<void> | undefined;
    return {
        app,
        port,
        metricsPort,
        shutdown: () => {
            stopping ??= (async () => {
                app.startDraining();
                await new Promise((resolve) => setTimeout(resolve, config.drainSeconds * 1000));
                await Promise.all([close(main), close(metrics)]);
            })();
            return stopping;
        },
    };
}

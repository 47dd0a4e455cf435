import * as http from "node:http";
import { CONTENT_TYPE, Counter, Gauge, Histogram, Registry } from "./metrics";

export interface AppOptions {
    /** Version this process runs (the image's git SHA), reported by `/` and `/healthz` and as a metric. */
    version: string;
    /** Service name, for the `/` response. */
    name: string;
}

/** Routes the request metrics know by name; everything else counts as `other`, so paths cannot explode the series. */
const ROUTES = new Set(["/", "/healthz", "/readyz"]);

export interface App {
    /** The application port: `/`, `/healthz` (liveness), `/readyz` (readiness). */
    handle: http.RequestListener;
    /** The metrics port: `/metrics` only, so the Ingress never exposes it. */
    handleMetrics: http.RequestListener;
    /** Readiness turns false for good: the pod is leaving, load balancers must stop sending traffic. */
    startDraining(): void;
    readonly draining: boolean;
    readonly registry: Registry;
}

function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
    const text = JSON.stringify(body);
    res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text), "cache-control": "no-store" });
    res.end(text);
}

export function createApp(options: AppOptions): App {
    const registry = new Registry();
    const requests = registry.register(new Counter("http_requests_total", "HTTP requests served, by method, route and status code.", ["method", "route", "code"]));
    const duration = registry.register(
        new Histogram("http_request_duration_seconds", "HTTP request latency in seconds, by route.", ["route"], [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5]),
    );
    registry.register(new Gauge("app_build_info", "Always 1; the version label names the running build.", ["version"])).set({ version: options.version }, 1);
    let draining = false;

    const handle: http.RequestListener = (req, res) => {
        const started = process.hrtime.bigint();
        const path = new URL(req.url ?? "/", "http://localhost").pathname;
        const route = ROUTES.has(path) ? path : "other";
        res.on("finish", () => {
            requests.inc({ method: req.method ?? "", route, code: String(res.statusCode) });
            duration.observe({ route }, Number(process.hrtime.bigint() - started) / 1e9);
        });

        if (req.method !== "GET" && req.method !== "HEAD") {
            res.setHeader("allow", "GET, HEAD");
            return sendJson(res, 405, { error: "method not allowed" });
        }
        switch (path) {
            case "/":
                return sendJson(res, 200, { service: options.name, version: options.version });
            case "/healthz":
                // Liveness: the event loop answers. Never depends on downstreams, or one slow database restarts every pod.
                return sendJson(res, 200, { status: "ok", version: options.version });
            case "/readyz":
                return draining ? sendJson(res, 503, { status: "draining" }) : sendJson(res, 200, { status: "ready" });
            default:
                return sendJson(res, 404, { error: "not found" });
        }
    };

    const handleMetrics: http.RequestListener = (req, res) => {
        const path = new URL(req.url ?? "/", "http://localhost").pathname;
        if (path !== "/metrics") return sendJson(res, 404, { error: "not found" });
        if (req.method !== "GET" && req.method !== "HEAD") return sendJson(res, 405, { error: "method not allowed" });
        const body = registry.render();
        res.writeHead(200, { "content-type": CONTENT_TYPE, "content-length": Buffer.byteLength(body) });
        res.end(body);
    };

    return {
        handle,
        handleMetrics,
        startDraining: () => {
            draining = true;
        },
        get draining() {
            return draining;
        },
        registry,
    };
}

import { configFromEnv, startServer } from "./server";

/** Entry point: start both servers; on SIGTERM (Kubernetes) or SIGINT (Ctrl-C) drain, then exit. */
async function main(): Promise<void> {
    const config = configFromEnv(process.env);
    const server = await startServer(config);
    console.log(JSON.stringify({ msg: "listening", port: server.port, metricsPort: server.metricsPort, version: config.version }));
    for (const signal of ["SIGTERM", "SIGINT"] as const) {
        process.once(signal, () => {
            console.log(JSON.stringify({ msg: "shutting down", signal, drainSeconds: config.drainSeconds }));
            server.shutdown().then(
                () => process.exit(0),
                (err) => {
                    console.error(JSON.stringify({ msg: "shutdown failed", error: String(err) }));
                    process.exit(1);
                },
            );
        });
    }
}

main().catch((err) => {
    console.error(JSON.stringify({ msg: "failed to start", error: err instanceof Error ? err.message : String(err) }));
    process.exit(1);
});

import { expect } from "chai";
import { spawn } from "node:child_process";
import * as path from "node:path";
import { RunningServer, configFromEnv, startServer } from "../src/server";

const get = (port: number, route: string, init?: RequestInit) => fetch(`http://127.0.0.1:${port}${route}`, init);

describe("service HTTP server", () => {
    let server: RunningServer;
    beforeEach(async () => {
        // No drain for these: each afterEach shutdown would wait it out; the drain has a test of its own below.
        server = await startServer({ port: 0, metricsPort: 0, version: "0123abc", name: "myapp", drainSeconds: 0 });
    });
    afterEach(() => server.shutdown());

    it("answers liveness and readiness with the running version", async () => {
        const health = await get(server.port, "/healthz");
        expect(health.status).to.equal(200);
        expect(await health.json()).to.deep.equal({ status: "ok", version: "0123abc" });
        expect((await get(server.port, "/readyz")).status).to.equal(200);
        expect(await (await get(server.port, "/")).json()).to.deep.equal({ service: "myapp", version: "0123abc" });
    });

    it("serves Prometheus metrics only on the metrics port, counting requests by route", async () => {
        await get(server.port, "/healthz");
        await get(server.port, "/no/such/page?id=1");
        expect((await get(server.port, "/metrics")).status).to.equal(404);
        const res = await get(server.metricsPort, "/metrics");
        expect(res.status).to.equal(200);
        expect(res.headers.get("content-type")).to.equal("text/plain; version=0.0.4; charset=utf-8");
        const text = await res.text();
        expect(text).to.include('http_requests_total{method="GET",route="/healthz",code="200"} 1');
        // Unknown paths share one series, so scanners cannot create unbounded label values.
        expect(text).to.include('http_requests_total{method="GET",route="other",code="404"} 2').and.not.include("/no/such/page");
        expect(text).to.include('app_build_info{version="0123abc"} 1');
        expect(text).to.match(/^http_request_duration_seconds_count\{route="\/healthz"\} 1$/m);
    });

    it("refuses methods other than GET and HEAD", async () => {
        const res = await get(server.port, "/", { method: "POST", body: "x" });
        expect(res.status).to.equal(405);
        expect(res.headers.get("allow")).to.equal("GET, HEAD");
    });

    it("on shutdown fails readiness first, keeps serving through the drain, then closes", async () => {
        // A drain long enough for both requests on a loaded machine (the suite's 0.2 s one reset them once).
        await server.shutdown();
        server = await startServer({ port: 0, metricsPort: 0, version: "0123abc", name: "myapp", drainSeconds: 0.6 });
        const stopped = server.shutdown();
        const [ready, health] = await Promise.all([get(server.port, "/readyz"), get(server.port, "/healthz")]);
        expect([ready.status, health.status]).to.deep.equal([503, 200]);
        await stopped;
        let refused: unknown;
        await get(server.port, "/healthz").catch((err) => (refused = err));
        expect(refused, "connection after shutdown").to.be.instanceOf(Error);
    });

    it("reads its config from the environment and names the variable it rejects", () => {
        expect(configFromEnv({})).to.deep.equal({ port: 8080, metricsPort: 9090, drainSeconds: 5, version: "unknown", name: "service" });
        expect(configFromEnv({ PORT: "3000", APP_VERSION: "abc", APP_NAME: "myapp", SHUTDOWN_DRAIN_SECONDS: "0" })).to.include({ port: 3000, version: "abc", drainSeconds: 0 });
        expect(() => configFromEnv({ PORT: "http" })).to.throw('PORT is "http"; expected an integer from 0 to 65535');
        expect(() => configFromEnv({ SHUTDOWN_DRAIN_SECONDS: "-1" })).to.throw(/SHUTDOWN_DRAIN_SECONDS is "-1"/);
    });
});

describe("service process", () => {
    it("exits 0 on SIGTERM after draining", async function () {
        this.timeout(10000);
        const child = spawn(process.execPath, [path.join(__dirname, "..", "src", "main.js")], {
            env: { ...process.env, PORT: "0", METRICS_PORT: "0", SHUTDOWN_DRAIN_SECONDS: "0", APP_VERSION: "t1" },
            stdio: ["ignore", "pipe", "pipe"],
        });
        let output = "";
        child.stdout.on("data", (chunk) => (output += chunk));
        child.stderr.on("data", (chunk) => (output += chunk));
        const listening = await new Promise<{ port: number }>((resolve, reject) => {
            child.stdout.on("data", () => {
                const line = output.split("\n").find((l) => l.includes('"listening"'));
                if (line) resolve(JSON.parse(line));
            });
            child.once("exit", () => reject(new Error(`exited before listening: ${output}`)));
        });
        expect((await get(listening.port, "/healthz")).status).to.equal(200);
        const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
        child.kill("SIGTERM");
        expect(await exited, output).to.equal(0);
        expect(output).to.include('"signal":"SIGTERM"');
    });
});

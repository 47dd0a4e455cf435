#!/usr/bin/env node
// `npm test`: the mocha suite (two worker processes, see runSuite) on a plain transpile (esbuild) of the
// sources. The type-check (scripts/type-check.js: incremental `tsc --noEmit`, skipped when nothing it reads
// changed since a clean check) is one of its tests (tests/contributor-recipes.test.ts). The last line is the
// whole run's `N passed, N failed`.
"use strict";
// First, before anything an old Node cannot run: Node 22 or a clear message (scripts/node-version.js).
require("../scripts/node-version").requireNode();
const { spawn } = require("child_process");
const fs = require("fs");
const path = require("path");
const esbuild = require("esbuild");
const testOrder = require("../scripts/test-order");

const root = path.resolve(__dirname, "..");
const outdir = path.join(root, ".build");
// templates/service: the service template's own code and unit tests run in this suite too.
const SOURCES = ["index.ts", "components", "stacks", "policy", "tooling", "tests", "scripts/cost", "scripts/upgrade-check", "scripts/timeline", "scripts/offline-stack.ts", "templates/service/src", "templates/service/test"];

function tsFiles(entry) {
    const full = path.join(root, entry);
    if (!fs.existsSync(full)) return [];
    if (fs.statSync(full).isFile()) return [full];
    return fs.readdirSync(full, { withFileTypes: true }).flatMap((e) =>
        e.isDirectory() ? tsFiles(path.join(entry, e.name)) : e.name.endsWith(".ts") && !e.name.endsWith(".d.ts") ? [path.join(root, entry, e.name)] : [],
    );
}

function run(command, args, { live, filter = (text) => text, env = process.env }) {
    return new Promise((resolve) => {
        const child = spawn(command, args, { cwd: root, env, stdio: ["ignore", "pipe", "pipe"] });
        let output = "";
        const take = (stream, sink) =>
            stream.on("data", (chunk) => {
                output += chunk;
                if (live) sink.write(filter(String(chunk)));
            });
        take(child.stdout, process.stdout);
        take(child.stderr, process.stderr);
        child.on("close", (code) => resolve({ code: code ?? 1, output }));
    });
}

async function main() {
    const bin = (name) => path.join(root, "node_modules", ".bin", name);
    // `--build-only`: just the transpile, for scripts that run one test file (npm run diagram).
    const buildOnly = process.argv.includes("--build-only");

    fs.rmSync(outdir, { recursive: true, force: true });
    esbuild.buildSync({
        entryPoints: SOURCES.flatMap(tsFiles),
        outdir,
        outbase: root,
        format: "cjs",
        platform: "node",
        target: "node22",
        sourcemap: "inline",
        logLevel: "error",
    });
    if (buildOnly) return;
    const tests = await runSuite(bin("mocha"));
    // Cached results no run has read for two weeks, or past 1 GiB, go (tooling/offline/result-cache.ts).
    require(path.join(outdir, "tooling", "offline", "result-cache.js")).pruneResults();
    // One closing line for the whole run, last.
    console.log(`${tests.passed} passed, ${tests.failed} failed${tests.skipped ? `, ${tests.skipped} skipped` : ""}`);
    process.exit(tests.code);
}

const CLOSING = /^(\d+) passed, (\d+) failed(?:, (\d+) skipped)?$/m;

/**
 * The mocha suite in mocha's parallel mode with two workers, one per core. Each worker is one process that
 * runs file after file as it becomes free, the longest first (scripts/test-order.js); within a
 * worker the fixture stacks are built once (tests/support/use-stacks.ts) and each distinct release renders
 * once (tooling/offline/render.ts), and across workers and runs the result cache (tooling/offline/
 * result-cache.ts) keeps a stack build, a render and its parse, an IAM decision or a type-check from being
 * done twice. The Pulumi mock
 * runtime is per process and a worker runs one file at a time, so files never share it.
 */
async function runSuite(mocha) {
    const config = JSON.parse(fs.readFileSync(path.join(root, ".mocharc.json"), "utf8"));
    // Longest first by their slowest recent times, so both workers finish together (scripts/test-order.js).
    const files = testOrder.orderFiles(config.spec.flatMap((pattern) => fs.globSync(pattern, { cwd: root })));
    const timer = path.join(root, "scripts", "test-order.js");
    const args = ["--no-config", "--parallel", "--jobs", "2", "--require", timer, "--reporter", config.reporter, "--timeout", String(config.timeout), "--exit", ...files];
    // A larger young generation: the builds and the IAM engine allocate many short-lived objects, and V8's
    // default semi-space (16 MB) spent a fifth of the suite's CPU in scavenges.
    const env = { ...process.env, NODE_OPTIONS: [process.env.NODE_OPTIONS, "--max-semi-space-size=64"].filter(Boolean).join(" ") };
    const result = await run(mocha, args, { live: true, env, filter: (text) => text.replace(new RegExp(CLOSING.source, "gm"), "") });
    testOrder.recordTimes();
    const [passed, failed, skipped] = CLOSING.exec(result.output)?.slice(1).map((n) => Number(n ?? 0)) ?? [0, 1, 0];
    return { code: result.code, passed, failed, skipped };
}

main().catch((err) => {
    console.error(err);
    process.exit(1);
});

#!/usr/bin/env node
// `npm test`: type-check (tsc --noEmit) and the mocha suite (in two processes, see runSuite) run side
// by side on the two cores; the suite runs on a plain transpile (esbuild) of the same sources. Fails
// when either fails; the last line is the whole run's `N passed, N failed`.
"use strict";
// First, before anything an old Node cannot run: Node 22 or a clear message (scripts/node-version.js).
require("../scripts/node-version").requireNode();
const { spawn } = require("child_process");
const fs = require("fs");
const path = require("path");
const esbuild = require("esbuild");

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

function run(command, args, { live, filter = (text) => text }) {
    return new Promise((resolve) => {
        const child = spawn(command, args, { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
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
    const typeCheck = buildOnly ? undefined : run(bin("tsc"), ["-p", "tsconfig.json", "--noEmit", "--pretty", "false"], { live: false });

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
    const checked = await typeCheck;
    const failed = tests.failed + (checked.code !== 0 ? 1 : 0);
    if (checked.code !== 0) process.stdout.write(`\nType-check (tsc --noEmit) failed:\n${checked.output}`);
    // One closing line for the whole run, last, counting a failed type-check as one more failure.
    console.log(`${tests.passed} passed, ${failed} failed${tests.skipped ? `, ${tests.skipped} skipped` : ""}`);
    process.exit(tests.code !== 0 ? tests.code : checked.code);
}

/** Files that render Helm charts: one process takes them, so each chart renders once. */
const HEAVY = /[\\/]tests[\\/](render|templates)[\\/]/;
const CLOSING = /^(\d+) passed, (\d+) failed(?:, (\d+) skipped)?$/m;

/**
 * The mocha suite in two processes, one per core (the Pulumi mock runtime is per process; each builds
 * the fixture stacks it needs once): the Helm-rendering files in one, the rest in the other. The first
 * streams live, the second's report follows it; their closing lines are summed into one.
 */
async function runSuite(mocha) {
    const config = JSON.parse(fs.readFileSync(path.join(root, ".mocharc.json"), "utf8"));
    const files = config.spec.flatMap((pattern) => fs.globSync(pattern, { cwd: root })).sort();
    const heavy = files.filter((f) => HEAVY.test(f));
    const light = files.filter((f) => !HEAVY.test(f));
    const args = (group) => ["--no-config", "--reporter", config.reporter, "--timeout", String(config.timeout), "--exit", ...group];
    const withoutClosing = (text) => text.replace(new RegExp(CLOSING.source, "gm"), "").replace(/\n+$/, "\n");
    const second = run(mocha, args(light), { live: false });
    const first = await run(mocha, args(heavy), { live: true, filter: withoutClosing });
    const rest = await second;
    process.stdout.write(withoutClosing(rest.output));
    const counts = [first, rest].map((r) => CLOSING.exec(r.output)?.slice(1).map((n) => Number(n ?? 0)) ?? [0, 1, 0]);
    return {
        code: first.code || rest.code,
        passed: counts[0][0] + counts[1][0],
        failed: counts[0][1] + counts[1][1],
        skipped: counts[0][2] + counts[1][2],
    };
}

main().catch((err) => {
    console.error(err);
    process.exit(1);
});

#!/usr/bin/env node
// `npm test`: type-check (tsc --noEmit) and the mocha suite run side by side on the two cores; the
// suite runs on a plain transpile (esbuild) of the same sources. Fails when either fails; the last
// line stays mocha's `N passed, N failed`.
"use strict";
const { spawn } = require("child_process");
const fs = require("fs");
const path = require("path");
const esbuild = require("esbuild");

const root = path.resolve(__dirname, "..");
const outdir = path.join(root, ".build");
// templates/service: the service template's own code and unit tests run in this suite too.
const SOURCES = ["index.ts", "components", "stacks", "policy", "tests", "templates/service/src", "templates/service/test"];

function tsFiles(entry) {
    const full = path.join(root, entry);
    if (!fs.existsSync(full)) return [];
    if (fs.statSync(full).isFile()) return [full];
    return fs.readdirSync(full, { withFileTypes: true }).flatMap((e) =>
        e.isDirectory() ? tsFiles(path.join(entry, e.name)) : e.name.endsWith(".ts") && !e.name.endsWith(".d.ts") ? [path.join(root, entry, e.name)] : [],
    );
}

function run(command, args, { live }) {
    return new Promise((resolve) => {
        const child = spawn(command, args, { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
        let output = "";
        const take = (stream, sink) =>
            stream.on("data", (chunk) => {
                output += chunk;
                if (live) sink.write(chunk);
            });
        take(child.stdout, process.stdout);
        take(child.stderr, process.stderr);
        child.on("close", (code) => resolve({ code: code ?? 1, output }));
    });
}

async function main() {
    const bin = (name) => path.join(root, "node_modules", ".bin", name);
    const typeCheck = run(bin("tsc"), ["-p", "tsconfig.json", "--noEmit", "--pretty", "false"], { live: false });

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
    const tests = await run(bin("mocha"), [], { live: true });
    const checked = await typeCheck;
    if (checked.code !== 0) {
        process.stdout.write(`\nType-check (tsc --noEmit) failed:\n${checked.output}`);
        const summary = /^(\d+) passed, (\d+) failed.*$/m.exec(tests.output);
        // Keep the closing line last, counting the type-check as one more failure.
        if (summary) console.log(`${summary[1]} passed, ${Number(summary[2]) + 1} failed`);
    }
    process.exit(tests.code !== 0 ? tests.code : checked.code);
}

main().catch((err) => {
    console.error(err);
    process.exit(1);
});

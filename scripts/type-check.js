// The type-check of `npm test` (tests/run.js): `tsc --noEmit` over tsconfig.json, incremental, and skipped
// outright when nothing it reads has changed since a clean check. Plain Node (no TypeScript loader).
//
// - `tsc --incremental` keeps its build info in node_modules/.cache/eks-platform/tsc/ (not .build, which
//   run.js deletes): a changed file is re-checked with what depends on it, from content hashes of every file.
// - After a clean check a stamp is written beside it: the contents of every project file tsconfig.json
//   includes (and the file list, so an added or removed file counts), tsconfig.json itself, package-lock.json,
//   the TypeScript version, and the size and modification time of every other file the check read (the
//   library and node_modules declarations, listed in the build info). The same stamp next time means the same
//   inputs: the check is skipped and reported as clean. A failed check writes no stamp, so it runs again.
// `node scripts/type-check.js` runs it alone; `EKS_PLATFORM_CACHE=off` always runs the full check.
"use strict";
const { spawn } = require("child_process");
const crypto = require("crypto");
const fs = require("fs");
const path = require("path");

const root = path.resolve(__dirname, "..");
const CACHE_DIR = path.join(root, "node_modules", ".cache", "eks-platform", "tsc");
const buildInfoIn = (dir) => path.join(dir, "tsconfig.tsbuildinfo");
const stampIn = (dir) => path.join(dir, "clean-stamp.json");

const read = (file) => (fs.existsSync(file) ? fs.readFileSync(file) : Buffer.alloc(0));

/** The project's own inputs: every file tsconfig.json's `include` matches, by content, and the config. */
function projectPart() {
    const config = JSON.parse(fs.readFileSync(path.join(root, "tsconfig.json"), "utf8"));
    const files = [...new Set(config.include.flatMap((pattern) => fs.globSync(pattern, { cwd: root, exclude: (f) => f === "node_modules" || f.startsWith("node_modules/") })))].sort();
    const hash = crypto.createHash("sha256");
    for (const part of [fs.readFileSync(path.join(root, "tsconfig.json")), read(path.join(root, "package-lock.json")), read(path.join(root, "node_modules", "typescript", "package.json"))]) hash.update(part).update("\0");
    for (const file of files) hash.update(file).update("\0").update(fs.readFileSync(path.join(root, file))).update("\0");
    return hash.digest("hex");
}

/** Every other file the last check read (from its build info), by size and modification time. */
function readPart(cacheDir) {
    const buildInfo = buildInfoIn(cacheDir);
    if (!fs.existsSync(buildInfo)) return undefined;
    let info;
    try {
        info = JSON.parse(fs.readFileSync(buildInfo, "utf8"));
    } catch {
        return undefined;
    }
    if (!Array.isArray(info.fileNames)) return undefined;
    const hash = crypto.createHash("sha256").update(String(info.version));
    for (const name of info.fileNames) {
        const file = path.resolve(cacheDir, name);
        const stat = fs.statSync(file, { throwIfNoEntry: false });
        hash.update(`${name}\0${stat ? `${stat.size}:${stat.mtimeMs}` : "missing"}\0`);
    }
    return hash.digest("hex");
}

function lastClean(cacheDir) {
    try {
        return JSON.parse(fs.readFileSync(stampIn(cacheDir), "utf8")).stamp;
    } catch {
        return undefined;
    }
}

function stamp(project, cacheDir) {
    const files = readPart(cacheDir);
    return files && `${project}:${files}`;
}

/** Whether the check in `cacheDir` was clean on exactly these inputs (never without a build info and a stamp). */
function upToDate(cacheDir = CACHE_DIR, project = projectPart()) {
    const current = stamp(project, cacheDir);
    return current !== undefined && lastClean(cacheDir) === current;
}

/** Records a clean check of `project` (the project part as it was when the check started). */
function recordClean(cacheDir, project) {
    const current = stamp(project, cacheDir);
    if (current !== undefined) fs.writeFileSync(stampIn(cacheDir), JSON.stringify({ stamp: current }));
}

/** Runs the type-check; resolves to `{ code, output, skipped }` (`skipped`: the inputs are those of the last clean check). */
function typeCheck(cacheDir = CACHE_DIR) {
    const useCache = process.env.EKS_PLATFORM_CACHE !== "off";
    const project = projectPart();
    if (useCache && upToDate(cacheDir, project)) return Promise.resolve({ code: 0, output: "", skipped: true });
    fs.mkdirSync(cacheDir, { recursive: true });
    fs.rmSync(stampIn(cacheDir), { force: true });
    const args = ["-p", path.join(root, "tsconfig.json"), "--noEmit", "--pretty", "false"];
    if (useCache) args.push("--incremental", "--tsBuildInfoFile", buildInfoIn(cacheDir));
    return new Promise((resolve) => {
        const child = spawn(process.execPath, [path.join(root, "node_modules", "typescript", "bin", "tsc"), ...args], { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
        let output = "";
        child.stdout.on("data", (chunk) => (output += chunk));
        child.stderr.on("data", (chunk) => (output += chunk));
        child.on("close", (code) => {
            // The project part as it was when tsc started: an edit made during the check is checked next time.
            if (code === 0 && useCache) recordClean(cacheDir, project);
            resolve({ code: code ?? 1, output, skipped: false });
        });
    });
}

module.exports = { typeCheck, upToDate, recordClean, projectPart };

if (require.main === module) {
    typeCheck().then(({ code, output, skipped }) => {
        process.stdout.write(skipped ? "type-check: no input changed since the last clean check\n" : output);
        process.exit(code);
    });
}

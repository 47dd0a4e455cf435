// The type-check of `npm test`: `tsc --noEmit` over tsconfig.json, run through the compiler API by the
// suite's first test (tests/contributor-recipes.test.ts, whose checks of the README's recipes reuse the
// declarations it parsed), incremental, and skipped outright when nothing it reads has changed since a clean
// check. Plain Node (no TypeScript loader).
//
// - The incremental build keeps its build info in node_modules/.cache/eks-platform/tsc/ (not .build, which
//   run.js deletes): a changed file is re-checked with what depends on it, from content hashes of every file.
// - After a clean check a stamp is written beside it: the contents of every project file tsconfig.json
//   includes (and the file list, so an added or removed file counts), tsconfig.json itself, package-lock.json,
//   the TypeScript version, and the size and modification time of every other file the check read (the
//   library and node_modules declarations, listed in the build info). The same stamp next time means the same
//   inputs: the check is skipped and reported as clean. A failed check writes no stamp, so it runs again.
// `node scripts/type-check.js` runs it alone; `EKS_PLATFORM_CACHE=off` always runs the full check.
"use strict";
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

/** `tsc --noEmit -p tsconfig.json` in this process, through the compiler API (what `tsc` itself runs). */
function compile(cacheDir, useCache) {
    const ts = require(path.join(root, "node_modules", "typescript"));
    const extra = useCache ? { incremental: true, tsBuildInfoFile: buildInfoIn(cacheDir) } : {};
    const config = ts.getParsedCommandLineOfConfigFile(path.join(root, "tsconfig.json"), extra, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined });
    const host = ts.createIncrementalCompilerHost(config.options);
    const builder = ts.createIncrementalProgram({ rootNames: config.fileNames, options: config.options, configFileParsingDiagnostics: ts.getConfigFileParsingDiagnostics(config), projectReferences: config.projectReferences, host });
    const diagnostics = [
        ...builder.getConfigFileParsingDiagnostics(),
        ...builder.getOptionsDiagnostics(),
        ...builder.getGlobalDiagnostics(),
        ...builder.getSyntacticDiagnostics(),
        ...builder.getSemanticDiagnostics(),
    ];
    // With noEmit this writes the build info only (the next run re-checks what changed, and what depends on it).
    if (useCache) diagnostics.push(...builder.emit().diagnostics);
    const output = ts.formatDiagnostics(diagnostics, { getCanonicalFileName: (f) => f, getCurrentDirectory: () => root, getNewLine: () => "\n" });
    return { code: diagnostics.some((d) => d.category === ts.DiagnosticCategory.Error) ? 1 : 0, output, program: builder.getProgram() };
}

/**
 * Runs the type-check in this process: `{ code, output, skipped, program }`. `skipped`: the inputs are those
 * of the last clean check, and nothing ran. `program` is the checked TypeScript program (undefined when
 * skipped): the contributor recipes' checks reuse its parsed declarations (tests/support/contributor-recipes.ts).
 */
function checkNow(cacheDir = CACHE_DIR) {
    const useCache = process.env.EKS_PLATFORM_CACHE !== "off";
    const project = projectPart();
    if (useCache && upToDate(cacheDir, project)) return { code: 0, output: "", skipped: true, program: undefined };
    fs.mkdirSync(cacheDir, { recursive: true });
    fs.rmSync(stampIn(cacheDir), { force: true });
    const result = compile(cacheDir, useCache);
    // The project part as it was when the check started: an edit made during the check is checked next time.
    if (result.code === 0 && useCache) recordClean(cacheDir, project);
    return { ...result, skipped: false };
}

module.exports = { checkNow, upToDate, recordClean, projectPart };

if (require.main === module) {
    const { code, output, skipped } = checkNow();
    process.stdout.write(skipped ? "type-check: no input changed since the last clean check\n" : output);
    process.exit(code);
}

import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { minimatch } from "minimatch";
import { RE2JS } from "re2js";
import { projectRoot } from "../../tooling/offline/paths";

/**
 * The Renovate release whose published schema and manager defaults the tests read (renovate.json bumps
 * it with Renovate itself). The `renovate` package needs Node 24 and installs in minutes (436 MB), so it
 * is not a devDependency: its tarball (3 MB) is fetched once with `npm pack` and the few files read are
 * kept under node_modules/.cache.
 */
export const RENOVATE_VERSION = "44.121.2";

/** Files of the renovate package the tests read: its JSON schema and the default file patterns of the managers the config enables. */
const FILES = ["renovate-schema.json", ...["github-actions", "dockerfile", "nvm", "npm", "helmv3"].map((m) => `dist/modules/manager/${m}/index.js`)];

const cacheDir = path.join(projectRoot, "node_modules", ".cache", "eks-platform", `renovate-${RENOVATE_VERSION}`);

/** A file of the renovate package at RENOVATE_VERSION, fetched from the npm registry on first use. */
export function renovateFile(relative: string): string {
    const file = path.join(cacheDir, "package", relative);
    if (!fs.existsSync(file)) {
        fs.mkdirSync(cacheDir, { recursive: true });
        const npm = process.platform === "win32" ? "npm.cmd" : "npm";
        const pack = spawnSync(npm, ["pack", `renovate@${RENOVATE_VERSION}`, "--silent", "--pack-destination", cacheDir], { encoding: "utf8", timeout: 120000 });
        const tarball = path.join(cacheDir, `renovate-${RENOVATE_VERSION}.tgz`);
        if (pack.status !== 0 || !fs.existsSync(tarball)) {
            throw new Error(`npm pack renovate@${RENOVATE_VERSION} failed (the npm registry must be reachable once): ${pack.stderr || pack.error}`);
        }
        const untar = spawnSync("tar", ["-xzf", tarball, "-C", cacheDir, ...FILES.map((f) => `package/${f}`)], { encoding: "utf8" });
        fs.rmSync(tarball, { force: true });
        if (untar.status !== 0) throw new Error(`extracting ${FILES.join(", ")} from renovate@${RENOVATE_VERSION}: ${untar.stderr}`);
    }
    return fs.readFileSync(file, "utf8");
}

/** Renovate's JSON schema for config files. */
export const renovateSchema = (): any => JSON.parse(renovateFile("renovate-schema.json"));

/** `/regex/` or a glob, as Renovate reads a managerFilePatterns entry. */
function filePattern(pattern: string): (file: string) => boolean {
    const m = /^\/(.*)\/([a-z]*)$/.exec(pattern);
    if (m) {
        const re = new RegExp(m[1], m[2]);
        return (file) => re.test(file);
    }
    return (file) => minimatch(file, pattern, { dot: true });
}

/** A built-in manager's default managerFilePatterns, read from the package's own source. */
export function defaultFilePatterns(manager: string): string[] {
    const source = renovateFile(`dist/modules/manager/${manager}/index.js`);
    const start = /managerFilePatterns:\s*\[/.exec(source);
    if (!start) throw new Error(`no managerFilePatterns in renovate's ${manager} manager`);
    // The array's string literals, one by one (a pattern may hold `]`).
    const literal = /\s*("(?:[^"\\]|\\.)*")\s*,?/y;
    let at = start.index + start[0].length;
    const patterns: string[] = [];
    for (literal.lastIndex = at; ; literal.lastIndex = at) {
        const m = literal.exec(source);
        if (!m) break;
        patterns.push(JSON.parse(m[1]));
        at = literal.lastIndex;
    }
    if (patterns.length === 0 || source[at] !== "]") throw new Error(`cannot read the managerFilePatterns of renovate's ${manager} manager`);
    return patterns;
}

/** Whether any of `patterns` selects `file` (a path relative to the repository root, `/`-separated). */
export const matchesAny = (patterns: string[], file: string): boolean => patterns.some((p) => filePattern(p)(file));

/** Whether Renovate skips `file` for `ignorePaths` (minimatch globs, as Renovate applies them). */
export function ignored(ignorePaths: string[], file: string): boolean {
    return ignorePaths.some((p) => minimatch(file, p, { dot: true }));
}

/** One dependency a regex custom manager extracts. */
export interface Extracted {
    depName: string;
    currentValue: string;
    datasource: string;
    registryUrl?: string;
}

/**
 * What one regex custom manager extracts from a file's text, as Renovate's default `any` strategy does:
 * each matchString run globally over the whole text with RE2 (re2js, the same engine family Renovate uses;
 * it refuses what RE2 refuses), each match one dependency, templates filled from the named groups.
 */
export function extract(manager: any, text: string): Extracted[] {
    if ((manager.matchStringsStrategy ?? "any") !== "any") throw new Error(`only the "any" matchStringsStrategy is modelled, got ${manager.matchStringsStrategy}`);
    const deps: Extracted[] = [];
    for (const source of manager.matchStrings as string[]) {
        const matcher = RE2JS.compile(source).matcher(text);
        while (matcher.find()) {
            const group = (name: string): string | undefined => {
                try {
                    return matcher.group(name) ?? undefined;
                } catch {
                    return undefined;
                }
            };
            const registryUrl = group("registryUrl") ?? manager.registryUrlTemplate;
            deps.push({
                depName: group("depName") ?? manager.depNameTemplate,
                currentValue: group("currentValue") ?? manager.currentValueTemplate,
                datasource: group("datasource") ?? manager.datasourceTemplate,
                ...(registryUrl ? { registryUrl } : {}),
            });
        }
    }
    return deps;
}

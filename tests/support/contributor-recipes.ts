import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as ts from "typescript";
import { projectRoot } from "../../tooling/offline/paths";
import { cachedWithSources, digest } from "../../tooling/offline/result-cache";
import { Recipe, readmeRecipes } from "./readme-replay";

/**
 * The README's contributor recipes (adding an add-on, a policy rule, a key, a test) as a test applies
 * them: every ```ts block right after a `<!-- recipe: <name> -->` line. Its first line names what it does:
 * `// <path>` creates that file from the rest; `// <path>, after: <text>` (or `before:`, `replace:`) puts the
 * rest after (before, in place of) the one line of that file containing <text>. A path already there, an
 * anchor found on no line or on two, fails the recipe, so the README cannot drift from the code.
 */
export function contributorRecipes(readme: string): Recipe[] {
    return readmeRecipes(readme, "recipe");
}

/** Applies `recipe` to the project copy in `dir`; returns the file it wrote (relative). */
export function applyRecipe(dir: string, recipe: Recipe): string {
    const [first, ...rest] = recipe.body.split("\n");
    const head = /^\/\/ ([\w./-]+)(?:, (after|before|replace): (.+))?$/.exec(first);
    if (recipe.lang !== "ts" || !head) throw new Error(`recipe "${recipe.name}": a ts block whose first line is "// <path>" or "// <path>, after|before|replace: <line>"`);
    const [, file, where, anchor] = head;
    const target = path.join(dir, file);
    if (!where) {
        if (fs.existsSync(target)) throw new Error(`recipe "${recipe.name}": ${file} already exists`);
        fs.mkdirSync(path.dirname(target), { recursive: true });
        fs.writeFileSync(target, `${rest.join("\n")}\n`);
        return file;
    }
    if (!fs.existsSync(target)) throw new Error(`recipe "${recipe.name}": no file ${file}`);
    const lines = fs.readFileSync(target, "utf8").split("\n");
    const at = lines.flatMap((l, i) => (l.includes(anchor) ? [i] : []));
    if (at.length !== 1) throw new Error(`recipe "${recipe.name}": ${file} has ${at.length} lines containing "${anchor}" (needs exactly one)`);
    const [i] = at;
    if (where === "after") lines.splice(i + 1, 0, ...rest);
    else if (where === "before") lines.splice(i, 0, ...rest);
    else lines.splice(i, 1, ...rest);
    fs.writeFileSync(target, lines.join("\n"));
    return file;
}

/** What a project copy needs to type-check and run its tests; `node_modules` is linked, not copied. */
const COPIED = ["index.ts", "Pulumi.yaml", "tsconfig.json", "package.json", "components", "stacks", "policy", "tooling", "tests", "scripts", "templates/service/src", "templates/service/test"];

/** A scratch copy of the project's sources in a temporary folder. */
export function copyProject(): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "eks-platform-recipes-"));
    for (const entry of COPIED) {
        const from = path.join(projectRoot, entry);
        if (fs.existsSync(from)) fs.cpSync(from, path.join(dir, entry), { recursive: true });
    }
    fs.symlinkSync(path.join(projectRoot, "node_modules"), path.join(dir, "node_modules"), "dir");
    return dir;
}

/**
 * The program whose parsed declarations (node_modules, the TypeScript library) the next check reuses: the
 * project's own type-check when this process ran it, else the first recipe check. Parsing and binding the
 * declarations (over a million lines) is most of a check's cost, and a parsed file does not depend on the
 * program that reads it (TypeScript's language service shares them across programs the same way).
 */
let declarationsFrom: ts.Program | undefined;

/** Lets later checks in this process reuse `program`'s parsed declarations; `undefined` lets them go. */
export function shareDeclarations(program: ts.Program | undefined): void {
    declarationsFrom = program;
}

/** A compiler host that hands out the shared program's declaration files instead of parsing them again. */
function sharingHost(options: ts.CompilerOptions): ts.CompilerHost {
    const host = ts.createCompilerHost(options);
    const shared = declarationsFrom;
    if (!shared) return host;
    const parse = host.getSourceFile.bind(host);
    host.getSourceFile = (fileName, language, onError, shouldCreate) => {
        const declaration = fileName.includes(`${path.sep}node_modules${path.sep}`) ? shared.getSourceFile(fileName) : undefined;
        return declaration && !shouldCreate ? declaration : parse(fileName, language, onError, shouldCreate);
    };
    return host;
}

/**
 * Type errors in `files` of the copy `dir`, under the project's compiler options: one program rooted at
 * what the recipes touched, checking only those files (what they import is read for its types, not
 * checked), a fraction of a whole `tsc` run, and less again with the declarations shared (`shareDeclarations`).
 * Kept in the result cache under the TypeScript version, the options, the roots, the copy's file list and the
 * installed packages, and reused while every file the program read is unchanged (tooling/offline/result-cache.ts,
 * `cachedWithSources`).
 */
export function typeErrors(dir: string, files: string[]): string[] {
    const config = ts.getParsedCommandLineOfConfigFile(path.join(dir, "tsconfig.json"), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined });
    if (!config) throw new Error(`no tsconfig.json in ${dir}`);
    const roots = [...new Set(files)].map((f) => path.join(dir, f));
    const inputs = {
        typescript: ts.version,
        options: JSON.stringify(config.options).split(dir).join("<copy>"),
        roots: [...new Set(files)],
        copy: copiedFiles(dir),
        packages: digest(fs.readFileSync(path.join(projectRoot, "package-lock.json"))),
    };
    return cachedWithSources("recipe-type-check", inputs, dir, () => {
        const program = ts.createProgram(roots, config.options, sharingHost(config.options));
        declarationsFrom ??= program;
        const checked = roots.map((f) => program.getSourceFile(f)!);
        const diagnostics = [...program.getOptionsDiagnostics(), ...checked.flatMap((f) => [...program.getSyntacticDiagnostics(f), ...program.getSemanticDiagnostics(f)])];
        const value = diagnostics.map((d) => {
            const text = ts.flattenDiagnosticMessageText(d.messageText, "\n");
            if (!d.file || d.start === undefined) return text;
            const { line } = d.file.getLineAndCharacterOfPosition(d.start);
            return `${path.relative(dir, d.file.fileName)}:${line + 1}: ${text}`;
        });
        return { value, sources: [...roots, ...program.getSourceFiles().map((f) => f.fileName)] };
    });
}

/** Digest of every file of the copy but node_modules: its paths and contents. */
export function copyDigest(dir: string): string {
    return digest(...copiedFiles(dir).flatMap((f) => [f, fs.readFileSync(path.join(dir, f))]));
}

/** Every file of the copy but node_modules (relative): where an import can resolve to. */
function copiedFiles(dir: string, sub = ""): string[] {
    return fs.readdirSync(path.join(dir, sub), { withFileTypes: true }).flatMap((e) => {
        const rel = path.join(sub, e.name);
        if (rel === "node_modules") return [];
        return e.isDirectory() ? copiedFiles(dir, rel) : [rel];
    }).sort();
}

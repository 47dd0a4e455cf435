import * as fs from "fs";
import * as path from "path";
import { projectRoot } from "../../tooling/offline/paths";

/** Relative module specifiers a source file imports or requires, resolved to paths under the project root. */
export function importedPaths(file: string): string[] {
    const text = fs.readFileSync(file, "utf8");
    const specifiers = [...text.matchAll(/(?:\bfrom\s*|\bimport\s*\(?\s*|\brequire\s*\(\s*)["'](\.{1,2}\/[^"']*)["']/g)].map((m) => m[1]);
    return specifiers.map((s) => path.relative(projectRoot, path.resolve(path.dirname(file), s)));
}

/** Every .ts and .js file under a project folder. */
export function sourcesUnder(folder: string): string[] {
    return fs.readdirSync(path.join(projectRoot, folder), { recursive: true, encoding: "utf8" }).filter((f) => /\.(ts|js)$/.test(f)).map((f) => path.join(projectRoot, folder, f));
}

/** A folder's TypeScript files and, for each (relative to the project root), the files of the same folder it imports (type-only imports too). */
export function importGraph(folder: string): Map<string, string[]> {
    const files = sourcesUnder(folder).filter((f) => f.endsWith(".ts")).map((f) => path.relative(projectRoot, f));
    const resolve = (target: string) => [`${target}.ts`, path.join(target, "index.ts")].find((candidate) => files.includes(candidate));
    return new Map(files.map((file) => [file, importedPaths(path.join(projectRoot, file)).flatMap((target) => resolve(target) ?? [])]));
}

/** The import chains that lead back to where they started, and the longest chain's length in files (its import levels). */
export function importLevels(graph: Map<string, string[]>): { cycles: string[][]; levels: number } {
    const depth = new Map<string, number>();
    const open: string[] = [];
    const cycles: string[][] = [];
    const visit = (file: string): number => {
        if (open.includes(file)) {
            cycles.push([...open.slice(open.indexOf(file)), file]);
            return 0;
        }
        if (!depth.has(file)) {
            open.push(file);
            depth.set(file, 1 + Math.max(0, ...(graph.get(file) ?? []).map(visit)));
            open.pop();
        }
        return depth.get(file)!;
    };
    for (const file of graph.keys()) visit(file);
    return { cycles, levels: Math.max(0, ...depth.values()) };
}

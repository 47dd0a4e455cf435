/**
 * Stack builds in the result cache (tooling/offline/result-cache.ts): a graph is a function of the stack
 * files, the overrides and the code that builds it, so a run, or the other test worker, reads a graph an
 * earlier one built instead of running the program again. The key holds every input of a build: the
 * name, overrides and secret keys, every stack file and Pulumi.yaml of the folder (the program reads its
 * sibling stacks), the code it runs (components/, stacks/, tooling/ where it runs from, compiled or not),
 * the installed packages (the lock files) and Node's version. A change to any one is a miss.
 */
import * as fs from "fs";
import * as path from "path";
import { isDeepStrictEqual } from "util";
import * as pulumi from "@pulumi/pulumi";
import type { StackGraph } from "./harness";
import type { RecordedResource } from "./mocks";
import { projectRoot } from "./paths";
import { cachedResult, digest, folderDigest } from "./result-cache";

/** How the program returned a stack output: a secret Output, another Output, or a plain value. */
type OutputKind = "secret" | "output" | "plain";

/** A build as the cache keeps it: the graph's data, and each output's kind (`rawOutputs` is rebuilt from them). */
export interface KeptGraph {
    resources: RecordedResource[];
    outputs: Record<string, any>;
    warnings: string[];
    outputKinds: Record<string, OutputKind>;
}

/** The folders of the code a build runs, under `codeRoot`. */
export const CODE_FOLDERS = ["components", "stacks", "tooling"];
/** Where the running code is: `.build/` when tests run (compiled), the project itself under tsx. */
export const codeRoot = path.resolve(__dirname, "..", "..");
/** Stack files and the project file: `Pulumi.yaml`, `Pulumi.<stack>.yaml` (or `.yml`). */
const PROJECT_FILE = /^Pulumi(\..+)?\.ya?ml$/;
/** Overrides use `undefined` to remove a key, which JSON would drop: it gets a value of its own in the key. */
const REMOVED = "<removed by override>";

let code: string | undefined;

/**
 * Digest of the code and packages a build runs: the code folders under `root` (where this module runs
 * from unless told), the lock files under `project`, Node's version. Taken once per process for the
 * defaults (the code does not change under a running test).
 */
export function codeDigest(root: string = codeRoot, project: string = projectRoot): string {
    if (code && root === codeRoot && project === projectRoot) return code;
    const locks = ["package-lock.json", path.join("node_modules", ".package-lock.json")].map((f) => path.join(project, f)).filter((f) => fs.existsSync(f));
    const sum = digest(...CODE_FOLDERS.map((d) => folderDigest(path.join(root, d))), ...locks.map((f) => fs.readFileSync(f)), process.version);
    if (root === codeRoot && project === projectRoot) code = sum;
    return sum;
}

/** Everything a build of `stack` from `dir` depends on (`code`: `codeDigest()` unless told). */
export function buildInputs(stack: string, overrides: Record<string, unknown>, secretKeys: string[], dir: string, code: string = codeDigest()): unknown {
    const files = fs
        .readdirSync(dir)
        .filter((f) => PROJECT_FILE.test(f))
        .sort()
        .map((f) => [f, fs.readFileSync(path.join(dir, f), "utf8")]);
    return { stack, overrides: JSON.stringify(overrides, (_key, value) => (value === undefined ? REMOVED : value)), secretKeys, files, code };
}

/** The graph for `inputs` from the cache, or `build`'s (kept unless it is null). */
export function cachedGraph(inputs: unknown, build: () => Promise<KeptGraph | null>): Promise<KeptGraph | null> {
    return cachedResult("stack-graph", inputs, build);
}

/** What the cache keeps of `graph`; null when JSON cannot carry it exactly (an `undefined` field, say): the null is kept, and every run that reads it builds the graph again. */
export async function keepable(graph: StackGraph): Promise<KeptGraph | null> {
    const outputKinds: Record<string, OutputKind> = {};
    for (const [name, value] of Object.entries(graph.rawOutputs)) {
        outputKinds[name] = (await pulumi.isSecret(pulumi.output(value))) ? "secret" : pulumi.Output.isInstance(value) ? "output" : "plain";
    }
    const kept: KeptGraph = { resources: graph.resources, outputs: graph.outputs, warnings: graph.warnings, outputKinds };
    return isDeepStrictEqual(JSON.parse(JSON.stringify(kept)), kept) ? kept : null;
}

/** The stack outputs as the program returned them, as far as a test can tell: secret or not, Output or plain. */
export function restoredOutputs(kept: KeptGraph): Record<string, any> {
    const restore = (name: string, kind: OutputKind) => {
        const value = kept.outputs[name];
        return kind === "secret" ? pulumi.secret(value) : kind === "output" ? pulumi.output(value) : value;
    };
    return Object.fromEntries(Object.entries(kept.outputKinds).map(([name, kind]) => [name, restore(name, kind)]));
}

/** What `npm run render` and `npm run cost` share: finding stack files, building and rendering them offline under the Pulumi mocks of tooling/offline. */
import * as fs from "fs";
import * as path from "path";
import { ChartPin } from "../components/versions";
import { StackGraph, stackGraph } from "../tooling/offline/harness";
import { pullChart, resolveChart } from "../tooling/offline/helm";
import { RenderOptions, RenderedStack, releaseSpecs, renderStack } from "../tooling/offline/render";
import { Scopes, basicScopes, schemaValidator } from "../tooling/offline/schemas";
import { projectRoot, referenceDir } from "../tooling/offline/paths";
import { fixturesDir } from "../tooling/offline/stack-files";

/** A stack file the command works on. */
export interface OfflineStack {
    stack: string;
    dir: string;
    stackFile: string;
}

/**
 * The named `Pulumi.<stack>.yaml` files of the project root (or of the test fixtures with `--fixtures`), or exits
 * with usage (status 2) on no stack, an unknown stack or a flag other than `--fixtures` and the command's own `flags`.
 */
export function stackFilesFromArgs(command: string, flags: Record<string, string> = {}): OfflineStack[] {
    const args = process.argv.slice(2);
    const names = args.filter((a) => !a.startsWith("-"));
    const known: Record<string, string> = { "--fixtures": "use tests/fixtures/Pulumi.<stack>.yaml instead of the project's stack file", ...flags };
    const dir = args.includes("--fixtures") ? fixturesDir : projectRoot;
    const usage = (message: string): never => {
        const stacks = stacksIn(dir);
        const width = Math.max(...Object.keys(known).map((f) => f.length));
        console.error(
            [
                message,
                `usage: npm run ${command} -- <stack> [<stack> …] ${Object.keys(known).map((f) => `[${f}]`).join(" ")}`,
                `  stacks here: ${stacks.join(", ") || "none"}`,
                ...Object.entries(known).map(([f, what]) => `  ${f.padEnd(width)}  ${what}`),
            ].join("\n"),
        );
        process.exit(2);
    };
    const unknown = args.filter((a) => a.startsWith("-") && !(a in known));
    if (unknown.length > 0) return usage(`unknown option ${unknown.join(", ")}`);
    if (names.length === 0) return usage("which stack?");
    return names.map((stack) => {
        const stackFile = ["yaml", "yml"].map((e) => path.join(dir, `Pulumi.${stack}.${e}`)).find((f) => fs.existsSync(f));
        return stackFile ? { stack, dir, stackFile } : usage(`no Pulumi.${stack}.yaml in ${dir}`);
    });
}

/** Where the commands say what they are doing and what the program warns of: stderr, so stdout keeps only the result. */
export type Say = (line: string) => void;
export const toStderr: Say = (line) => process.stderr.write(`${line}\n`);

/** Elapsed time on the monotonic clock (`npm run render` pins Date for reproducible output). */
const since = (started: number) => `${((performance.now() - started) / 1000).toFixed(1)} s`;

/** The program's warnings as `pulumi preview` shows them, without the runtime's tag. */
export function programWarnings(warnings: readonly string[]): string[] {
    return warnings.map((w) => w.replace(/^warning: (\[runtime\] )?/, ""));
}

/**
 * The stack's graph under the mocks, as the tests build it (secure values become placeholders, still marked
 * secret: see `configWith`). Says what it builds and how long it took, and repeats every warning the
 * program gave (also when the build fails: a warning may explain it).
 */
export async function buildOffline({ stack, dir }: OfflineStack, say: Say = toStderr): Promise<StackGraph> {
    const started = performance.now();
    say(`${stack}: building the stack offline (Pulumi mocks, no AWS calls) ...`);
    const warn = (warnings: readonly string[]) => programWarnings(warnings).forEach((w) => say(`${stack}: warning: ${w}`));
    try {
        const graph = await stackGraph(stack, dir);
        say(`${stack}: ${graph.resources.length} resources in ${since(started)}`);
        warn(graph.warnings);
        return graph;
    } catch (err) {
        warn((err as { warnings?: string[] }).warnings ?? []);
        throw err;
    }
}

/** Renders the stack's Helm releases (at the cluster's version unless `options` say otherwise), saying each as it is done. */
export async function renderOffline(graph: StackGraph, scopes: Scopes, say: Say = toStderr, options: Omit<RenderOptions, "onRendered"> = {}): Promise<RenderedStack> {
    const started = performance.now();
    const count = releaseSpecs(graph).filter((spec) => options.include?.(spec) ?? true).length;
    say(`${graph.stack}: rendering ${count} Helm releases${options.kubeVersion ? ` at Kubernetes ${options.kubeVersion}` : ""} ...`);
    const onRendered: RenderOptions["onRendered"] = (r, objects) => say(`${graph.stack}:   ${r.releaseName} (${r.chart} ${r.version}): ${objects} objects, ${since(started)}`);
    const rendered = await renderStack(graph, scopes, { ...options, onRendered });
    say(`${graph.stack}: rendered in ${since(started)}`);
    return rendered;
}

/** The Kubernetes schemas from ../shared/reference when present, else the basic scopes (a plain clone has no reference files). */
export function renderScopes(): Scopes {
    return fs.existsSync(path.join(referenceDir, "kubernetes")) ? schemaValidator() : basicScopes();
}

/** Every chart available offline, else pulled (needs network) into the cache. */
export function ensureCharts(pins: ChartPin[]): void {
    for (const pin of pins) {
        try {
            resolveChart(pin);
        } catch {
            toStderr(`pulling ${pin.chart}@${pin.version} (not in ${referenceDir})`);
            pullChart(pin);
        }
    }
}

/** The stacks of `dir`: one per `Pulumi.<stack>.yaml`. */
export function stacksIn(dir: string): string[] {
    return fs.readdirSync(dir).map((f) => /^Pulumi\.(.+)\.ya?ml$/.exec(f)?.[1]).filter((s): s is string => !!s);
}

/** `<dir>/Pulumi.<stack>.yaml` (or `.yml`) when it exists. */
export function stackFileOf(stack: string, dir: string): OfflineStack | undefined {
    const stackFile = ["yaml", "yml"].map((e) => path.join(dir, `Pulumi.${stack}.${e}`)).find((f) => fs.existsSync(f));
    return stackFile ? { stack, dir, stackFile } : undefined;
}

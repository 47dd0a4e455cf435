import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { PlatformOutputs } from "../../stacks/outputs";
import { runProgram, stackOutputs } from "../../stacks/program";
import { PlatformMocks, RecordedOptions, RecordedResource, offlineAccountId } from "./mocks";
import { PROJECT, configWith, fixturesDir, secretKeysOf } from "./stack-files";
import { buildInputs, cachedGraph, keepable, restoredOutputs } from "./graph-cache";

export interface StackGraph {
    stack: string;
    resources: RecordedResource[];
    /** Stack outputs, resolved. */
    outputs: Record<string, any>;
    /** Stack outputs as the program returned them (to check secretness). */
    rawOutputs: Record<string, any>;
    /** Warnings the program logged (`pulumi.log.warn`). */
    warnings: string[];
    /** Every resource of `type`. */
    ofType(type: string): RecordedResource[];
    /** The one resource of `type` (named `name` if given); fails if there is not exactly one. */
    one(type: string, name?: string): RecordedResource;
}

const cache = new Map<string, Promise<StackGraph>>();

/**
 * Builds a stack from `<dir>/Pulumi.<stack>.yaml` (a fixture in `tests/fixtures` unless told) under
 * mocks; cached by what the graph depends on (the stack file and Pulumi.yaml), since tests only read
 * it. Other stack files only feed the CIDR-overlap validation, which the stack-file checks assert on
 * their own, so a copy that adds a stack reuses the graphs of the stacks it left alone.
 */
export function stackGraph(stack: string, dir: string = fixturesDir): Promise<StackGraph> {
    const read = (file: string) => (fs.existsSync(path.join(dir, file)) ? fs.readFileSync(path.join(dir, file), "utf8") : "");
    const key = JSON.stringify([stack, read(`Pulumi.${stack}.yaml`), read("Pulumi.yaml"), dir === fixturesDir]);
    if (!cache.has(key)) {
        const build = buildStack(stack, {}, [], dir);
        // A failed build may hinge on the other stack files (an overlapping CIDR): never reuse one.
        build.catch(() => cache.delete(key));
        cache.set(key, build);
    }
    return cache.get(key)!;
}

let queue: Promise<unknown> = Promise.resolve();

/**
 * Runs config loading and the composition inside a mock Pulumi stack, exactly as `index.ts` does,
 * and records every registration with its options. Builds run one at a time (the runtime is global).
 * `dir` holds the stack files (the test fixtures unless told otherwise). A graph built before, by this
 * process, an earlier run or the other test worker, from the same inputs comes from the result cache
 * (tooling/offline/graph-cache.ts); a build that fails is never kept, so it fails every time.
 */
export async function buildStack(stack: string, overrides: Record<string, unknown> = {}, secretKeys: string[] = [], dir: string = fixturesDir): Promise<StackGraph> {
    let fresh: StackGraph | undefined;
    const kept = await cachedGraph(buildInputs(stack, overrides, secretKeys, dir), async () => keepable((fresh = await buildFresh(stack, overrides, secretKeys, dir))));
    if (fresh) return fresh;
    return kept ? graphOf(stack, kept.resources, kept.outputs, restoredOutputs(kept), kept.warnings) : buildFresh(stack, overrides, secretKeys, dir);
}

/** `buildStack` without the result cache: always runs the program (for tests of the build itself). */
export function buildFresh(stack: string, overrides: Record<string, unknown> = {}, secretKeys: string[] = [], dir: string = fixturesDir): Promise<StackGraph> {
    return serialized(() => buildNow(stack, overrides, secretKeys, dir));
}

/**
 * Runs a build without the stack traces the SDK takes and nobody reads under mocks: one per tracked promise
 * (`new Error().stack`) and one of every frame per resource, sent with its registration (the mocks ignore
 * it). Formatting them was a sixth of the suite's CPU. Builds run one at a time, so the swap is safe;
 * errors thrown by a build keep their message.
 */
async function withoutStackTraces<T>(task: () => Promise<T>): Promise<T> {
    const resource = pulumi.Resource as unknown as { stackTrace: (skip: number) => unknown[] };
    const [limit, stackTrace] = [Error.stackTraceLimit, resource.stackTrace];
    Error.stackTraceLimit = 0;
    resource.stackTrace = () => [];
    try {
        return await task();
    } finally {
        Error.stackTraceLimit = limit;
        resource.stackTrace = stackTrace;
    }
}

async function buildNow(stack: string, overrides: Record<string, unknown>, secretKeys: string[], dir: string): Promise<StackGraph> {
    const values = configWith(stack, overrides, dir);
    // The caller is the account the file pins (a placeholder when none): offline, a pin never fails.
    const mocks = new PlatformMocks(values["aws:region"] ?? "us-west-2", offlineAccountId(values));
    await pulumi.runtime.setMocks(mocks, PROJECT, stack, false);
    mocks.recordRequests();
    const secrets = [...secretKeys.map((k) => (k.includes(":") ? k : `${PROJECT}:${k}`)), ...secretKeysOf(stack, dir)];
    pulumi.runtime.setAllConfig(values, secrets);

    const options = new Map<string, RecordedOptions>();
    const names = new Map<pulumi.Resource, string>();
    let failure: unknown;
    let rawOutputs: Record<string, any> = {};
    const warnings: string[] = [];
    const consoleWarn = console.warn;
    console.warn = (...parts: unknown[]) => warnings.push(parts.join(" "));
    const outputs = await pulumi.runtime.runInPulumiStack(async () => {
        pulumi.runtime.registerStackTransformation((args) => {
            names.set(args.resource, `${args.type}::${args.name}`);
            const ref = (r: unknown) => (r ? names.get(r as pulumi.Resource) : undefined);
            const dependsOn = ([] as unknown[]).concat(args.opts.dependsOn ?? []).map(ref).filter((x): x is string => !!x);
            const provider = (args.opts as pulumi.CustomResourceOptions).provider;
            options.set(`${args.type}::${args.name}`, {
                protect: args.opts.protect,
                parent: ref(args.opts.parent),
                dependsOn,
                deletedWith: ref(args.opts.deletedWith),
                providerName: provider ? ref(provider) : undefined,
            });
            return undefined;
        });
        try {
            // What index.ts exports, so a build prints what `pulumi up` prints.
            rawOutputs = stackOutputs(await runProgram(dir)) as unknown as Record<string, any>;
            return rawOutputs;
        } catch (err) {
            failure = err;
            return {};
        }
    });
    await settle(mocks).finally(() => {
        console.warn = consoleWarn;
    });
    if (failure) {
        const registered = mocks.registrations.filter((r) => r.type !== "pulumi:pulumi:Stack").length;
        throw Object.assign(failure as Error, { registrations: registered, warnings });
    }

    const resources: RecordedResource[] = mocks.registrations
        .filter((r) => r.type !== "pulumi:pulumi:Stack")
        .map((r) => ({
            ...r,
            opts: definedFields(options.get(`${r.type}::${r.name}`) ?? { dependsOn: [] }),
            engine: definedFields(mocks.engineRequest(r.type, r.name)),
        }));
    const seen = new Set<string>();
    for (const r of resources) {
        const key = `${r.type}::${r.name}`;
        if (seen.has(key)) throw new Error(`two resources named ${key}; the graph assertions need unique names`);
        seen.add(key);
    }
    return graphOf(stack, resources, outputs ?? {}, rawOutputs, warnings);
}

function graphOf(stack: string, resources: RecordedResource[], outputs: Record<string, any>, rawOutputs: Record<string, any>, warnings: string[]): StackGraph {
    return {
        stack,
        resources,
        outputs,
        rawOutputs,
        warnings,
        ofType: (type) => resources.filter((r) => r.type === type),
        one: (type, name) => {
            const found = resources.filter((r) => r.type === type && (name === undefined || r.name === name));
            if (found.length !== 1) {
                throw new Error(`expected one ${type}${name ? ` named ${name}` : ""}, found ${found.length}: ${found.map((r) => r.name).join(", ")}`);
            }
            return found[0];
        },
    };
}

/** The object without its fields set to `undefined`: a graph read from the result cache (JSON) has none either. */
function definedFields<T extends object>(o: T): T {
    return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

/** Waits until the mock engine has seen no new registration for a few turns of the event loop. */
export async function settle(mocks: PlatformMocks): Promise<void> {
    let last = -1;
    let quiet = 0;
    while (quiet < 3) {
        await new Promise((resolve) => setTimeout(resolve, 5));
        quiet = mocks.registrations.length === last ? quiet + 1 : 0;
        last = mocks.registrations.length;
    }
}

export type { PlatformOutputs };

/**
 * Runs `task` in the queue `buildStack` uses, after every build queued before it (and without stack
 * traces, see withoutStackTraces). The Pulumi runtime and its mocks are process-global, so any other test
 * that calls `setMocks` must go through here.
 */
export function serialized<T>(task: () => Promise<T>): Promise<T> {
    const run = queue.then(() => withoutStackTraces(task));
    queue = run.catch(() => undefined);
    return run;
}

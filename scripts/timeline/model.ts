/**
 * The modeled fresh `pulumi up` of a stack: its registered resources (as the offline build records them)
 * laid out in time by the rules Pulumi schedules them by, each taking its figure from ./weights.ts.
 *
 * The rules (the Node SDK sends a resource's RegisterResource once all of these exist, and the engine
 * creates it then):
 *  1. a resource waits for everything in its request's `dependencies`: its explicit `dependsOn` and the
 *     resources behind every Output in its inputs. A local component stands for its custom descendants
 *     (the SDK expands it); a remote one (awsx's Vpc) is waited for whole: its outputs, the subnet ids
 *     too, resolve only once every child, the NAT gateways included, exists;
 *  2. it waits for its provider resource and for its `deletedWith` resource (the SDK awaits both);
 *  3. a parent makes its children wait only when it is a custom resource (components register at once);
 *  4. it then takes its weight; local components take none;
 *  5. an awaited Helm release also waits for nodes its pods fit on (`podPlacement`): the system node groups,
 *     or (for pods on workload or untainted nodes) the first provisioned node, which comes a node launch
 *     after a NodePool exists and the Karpenter controller runs (its release's finish, or when not
 *     awaited, its start plus an awaited release's time). Such a release finishes no earlier than those
 *     nodes plus an awaited release's time (its pods pull and start there).
 */
import { StackGraph } from "../../tooling/offline/harness";
import { RecordedResource } from "../../tooling/offline/mocks";
import { HELM_RELEASE, NODE_GROUP, NODE_POOL, PodPlacement, WEIGHTS, awaited, isKarpenterController, podPlacement, weightOf } from "./weights";

/** A resource as a `type::name` key. */
export const keyOf = (r: RecordedResource): string => `${r.type}::${r.name}`;

/** One step of the timeline: a resource, or a moment the model adds (nodes turning up). */
export interface Step {
    key: string;
    start: number;
    finish: number;
    /** Its own time (the weight), in minutes. */
    minutes: number;
    why: string;
    /** The step whose finish it started after (or was held by), on the way back to the first. */
    after?: string;
}

export interface Timeline {
    stack: string;
    /** Every resource's step, by key, plus the added moments. */
    steps: Map<string, Step>;
    /** Minutes until the last resource exists. */
    total: number;
    /** The longest chain, first step first. */
    criticalPath: Step[];
}

/** Minutes by key that replace the table's figures (to ask what a faster resource would save). */
export type Overrides = Map<string, number>;

/** The resources `r` waits for before it is created (rules 1–3), as keys of `nodes`. */
export function createDependencies(r: RecordedResource, nodes: Map<string, RecordedResource>): string[] {
    const e = r.engine;
    const parent = e.parent ? nodes.get(e.parent) : undefined;
    const deps = [...e.dependencies, e.provider, e.deletedWith, parent && (parent.custom || parent.engine.remote) ? e.parent : undefined];
    return [...new Set(deps.filter((d): d is string => d !== undefined && d !== keyOf(r) && nodes.has(d)))];
}

/** Resources that are created somewhere: custom resources, providers and remote components. */
export function createdResources(graph: Pick<StackGraph, "resources">): Map<string, RecordedResource> {
    return new Map(graph.resources.filter((r) => r.custom || r.engine.remote).map((r) => [keyOf(r), r]));
}

const FIRST_NODE = "(first provisioned node Ready)";
const SYSTEM_NODES = "(system nodes Ready)";
const CONTROLLER_READY = "(Karpenter controller pods Ready)";

/** Lays out the stack's fresh `pulumi up`. */
export function timeline(graph: Pick<StackGraph, "stack" | "resources">, overrides: Overrides = new Map()): Timeline {
    const nodes = createdResources(graph);
    const steps = new Map<string, Step>();
    const visiting = new Set<string>();
    const deps = new Map([...nodes.values()].map((r) => [keyOf(r), createDependencies(r, nodes)]));
    const upstream = new Map<string, Set<string>>();
    const above = (key: string): Set<string> => {
        if (!upstream.has(key)) upstream.set(key, new Set(deps.get(key)!.flatMap((d) => [d, ...above(d)])));
        return upstream.get(key)!;
    };
    const minutesOf = (r: RecordedResource) => overrides.get(keyOf(r)) ?? weightOf(r).minutes;
    const latest = (keys: string[]) => keys.map(stepOf).reduce<Step | undefined>((a, b) => (a && a.finish >= b.finish ? a : b), undefined);
    const moment = (key: string, minutes: number, why: string, after: Step | undefined): Step => {
        const step = { key, start: after?.finish ?? 0, finish: (after?.finish ?? 0) + (overrides.get(key) ?? minutes), minutes: overrides.get(key) ?? minutes, why, after: after?.key };
        steps.set(key, step);
        return step;
    };

    function stepOf(key: string): Step {
        const done = steps.get(key);
        if (done) return done;
        if (visiting.has(key)) throw new Error(`dependency cycle through ${key}`);
        visiting.add(key);
        const r = nodes.get(key)!;
        const before = latest(deps.get(key)!);
        const start = before?.finish ?? 0;
        let step: Step = { key, start, finish: start + minutesOf(r), minutes: minutesOf(r), why: weightOf(r).why, after: before?.key };
        if (r.type === HELM_RELEASE && awaited(r)) {
            const ready = nodesFor(podPlacement(r), key);
            const held = ready && ready.finish + WEIGHTS.awaitedRelease.minutes;
            if (ready && held! > step.finish) step = { ...step, finish: held!, why: `${step.why}; its pods wait for ${ready.key}`, after: ready.key };
        }
        visiting.delete(key);
        steps.set(key, step);
        return step;
    }

    /** When nodes for `placement` are Ready (rule 5); undefined when the stack has none of either kind. */
    function nodesFor(placement: PodPlacement, asking: string): Step | undefined {
        const all = [...nodes.values()];
        const groups = all.filter((r) => r.type === NODE_GROUP).map(keyOf);
        const pools = all.filter((r) => r.type === NODE_POOL).map(keyOf);
        const system = () => steps.get(SYSTEM_NODES) ?? (groups.length ? moment(SYSTEM_NODES, 0, "every system node group is ACTIVE", latest(groups)) : undefined);
        const provisioned = () => {
            if (steps.has(FIRST_NODE)) return steps.get(FIRST_NODE);
            const controllers = all.filter(isKarpenterController);
            // What the pools or the controller need first (the CRDs) waits for no node of theirs.
            if (!pools.length || [...pools, ...controllers.map(keyOf)].some((k) => k === asking || above(k).has(asking))) return undefined;
            const pool = pools.map(stepOf).reduce((a, b) => (a.finish <= b.finish ? a : b));
            const running = controllers.map((c) => {
                const release = stepOf(keyOf(c));
                if (awaited(c)) return release;
                // Applied without a wait: its pods start once both it and the system nodes they run on are there.
                const nodesUp = system();
                const from = nodesUp && nodesUp.finish > release.start ? nodesUp : { ...release, finish: release.start };
                return moment(CONTROLLER_READY, WEIGHTS.awaitedRelease.minutes, `${WEIGHTS.awaitedRelease.why}: the controller's, applied without a wait`, from);
            });
            const gate = [pool, ...running].reduce((a, b) => (a.finish >= b.finish ? a : b));
            return moment(FIRST_NODE, WEIGHTS.nodeLaunch.minutes, WEIGHTS.nodeLaunch.why, gate);
        };
        return placement === "provisioned" ? (provisioned() ?? system()) : (system() ?? provisioned());
    }

    for (const key of nodes.keys()) stepOf(key);
    const last = [...steps.values()].reduce<Step | undefined>((a, b) => (a && a.finish >= b.finish ? a : b), undefined);
    const criticalPath: Step[] = [];
    for (let s = last; s; s = s.after ? steps.get(s.after) : undefined) criticalPath.unshift(s);
    return { stack: graph.stack, steps, total: last?.finish ?? 0, criticalPath };
}

/**
 * The `count` steps whose speed-up would shorten the total most: of the steps without slack (a minute
 * more of it is a minute more in total), what each would save if it took no time (the model laid out
 * again), the longer step first among equal savings. One that saves nothing alone has a path beside it
 * as long.
 */
export function speedUps(graph: Pick<StackGraph, "stack" | "resources">, base: Timeline = timeline(graph), count = 5): { step: Step; saves: number }[] {
    return [...base.steps.values()]
        .filter((s) => s.minutes > 0 && timeline(graph, new Map([[s.key, s.minutes + 1]])).total >= base.total + 1 - 1e-9)
        .map((step) => ({ step, saves: base.total - timeline(graph, new Map([[step.key, 0]])).total }))
        .sort((a, b) => b.saves - a.saves || b.step.minutes - a.step.minutes)
        .slice(0, count);
}

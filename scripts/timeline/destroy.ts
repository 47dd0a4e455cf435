/**
 * The order `pulumi destroy` deletes a stack in, from the same recorded graph: the engine deletes a
 * resource only after everything that depends on it (its dependencies, property dependencies, provider,
 * parent and `deletedWith` as recorded in the state) is gone, and deletes whatever is free in parallel.
 * Pulumi has no delete-only ordering: an edge that orders the deletes also orders the creates the
 * other way round, which is why the program keeps such edges few and cheap to create (README,
 * "Teardown order").
 */
import { StackGraph } from "../../tooling/offline/harness";
import { RecordedResource } from "../../tooling/offline/mocks";
import { createDependencies, createdResources, keyOf } from "./model";
import { HELM_RELEASE, NODE_GROUP, NODE_POOL, isKarpenterController, podPlacement } from "./weights";

export interface Teardown {
    /** Every resource's direct delete-after set: what it depends on. */
    dependencies: Map<string, string[]>;
    /** Whether `first` is deleted strictly before `then` (it depends on it, maybe through others). */
    before(first: string, then: string): boolean;
    /** The deletes wave by wave: each wave's resources go together once the waves before are gone. */
    waves: string[][];
}

export function teardown(graph: Pick<StackGraph, "resources">): Teardown {
    const nodes = createdResources(graph);
    const dependencies = new Map([...nodes.values()].map((r) => [keyOf(r), createDependencies(r, nodes)]));
    const closure = new Map<string, Set<string>>();
    const reach = (key: string): Set<string> => {
        const known = closure.get(key);
        if (known) return known;
        const all = new Set<string>();
        closure.set(key, all);
        for (const d of dependencies.get(key) ?? []) {
            all.add(d);
            for (const x of reach(d)) all.add(x);
        }
        return all;
    };
    // A resource's wave: one after the latest of the resources that depend on it.
    const dependents = new Map<string, string[]>();
    for (const [key, deps] of dependencies) for (const d of deps) dependents.set(d, [...(dependents.get(d) ?? []), key]);
    const wave = new Map<string, number>();
    const waveOf = (key: string): number => {
        if (!wave.has(key)) wave.set(key, Math.max(-1, ...(dependents.get(key) ?? []).map(waveOf)) + 1);
        return wave.get(key)!;
    };
    const waves: string[][] = [];
    for (const key of dependencies.keys()) (waves[waveOf(key)] ??= []).push(key);
    return { dependencies, before: (first, then) => reach(first).has(then), waves };
}

/**
 * The teardown the platform needs, as groups that must go in this order: the workloads on provisioned
 * nodes (Helm releases whose pods do not run on the system nodes), then the NodePools (the controller
 * drains and terminates their nodes), then the NodeClasses and the Karpenter controller, then the system
 * node groups every controller runs on. Ingresses go before the Load Balancer Controller deletes their
 * ALBs. Returns each pair that breaks it, as a sentence; none when the order holds (a stack without
 * Karpenter or node groups simply has fewer groups).
 */
export function teardownViolations(graph: Pick<StackGraph, "resources">): string[] {
    const t = teardown(graph);
    const created = [...createdResources(graph).values()];
    const releases = created.filter((r) => r.type === HELM_RELEASE);
    const controllers = releases.filter(isKarpenterController);
    const systemReleases = releases.filter((r) => podPlacement(r) === "system");
    const workloads = releases.filter((r) => podPlacement(r) === "provisioned" && !isKarpenterController(r) && r.inputs.skipAwait !== true);
    const pools = created.filter((r) => r.type === NODE_POOL);
    const nodeClasses = created.filter((r) => /^kubernetes:(karpenter\.k8s\.aws|eks\.amazonaws\.com)\/v1:(EC2)?NodeClass$/.test(r.type));
    const groups = created.filter((r) => r.type === NODE_GROUP);
    const ingresses = created.filter((r) => r.type === "kubernetes:networking.k8s.io/v1:Ingress");
    const lbc = releases.filter((r) => String(r.inputs.chart).endsWith("aws-load-balancer-controller"));
    const rules: [RecordedResource[], RecordedResource[], string][] = [
        [workloads, pools, "a workload goes before the NodePools, so no pod of it is left to drain"],
        [pools, nodeClasses, "a NodePool goes before its NodeClass"],
        [pools, controllers, "a NodePool goes while the Karpenter controller still runs to drain and terminate its nodes"],
        [nodeClasses, controllers, "a NodeClass goes while the controller still runs to clear its finalizer"],
        [controllers, groups, "the Karpenter controller goes before the system nodes it runs on"],
        [systemReleases, groups, "a controller on the system nodes goes before them"],
        [ingresses, lbc, "an Ingress goes while the Load Balancer Controller still runs to delete its ALB"],
    ];
    return rules.flatMap(([first, then, why]) =>
        first.flatMap((a) => then.filter((b) => !t.before(keyOf(a), keyOf(b))).map((b) => `${keyOf(a)} is not deleted before ${keyOf(b)}: ${why}`)),
    );
}

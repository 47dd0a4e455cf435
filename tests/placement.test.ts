import { expect } from "chai";
import { StackGraph, stackGraph } from "../tooling/offline/harness";
import { beforeBuilding } from "./support/build-hook";

interface Scheduling {
    /** Where it was found: release name or managed add-on, and the values path. */
    where: string;
    nodeSelector: Record<string, string>;
    tolerations?: Array<{ key?: string; operator?: string; value?: string; effect?: string }>;
}

/** Every object with a nodeSelector in the Helm values and managed add-on configurations of a stack. */
function schedulings(g: StackGraph): Scheduling[] {
    const found: Scheduling[] = [];
    const walk = (where: string, value: unknown) => {
        if (!value || typeof value !== "object") return;
        const v = value as Record<string, any>;
        if (v.nodeSelector && typeof v.nodeSelector === "object") found.push({ where, nodeSelector: v.nodeSelector, tolerations: v.tolerations });
        for (const [k, child] of Object.entries(v)) if (k !== "nodeSelector" && k !== "tolerations") walk(`${where}.${k}`, child);
    };
    for (const r of g.ofType("kubernetes:helm.sh/v3:Release")) walk(r.inputs.name, r.inputs.values);
    for (const r of g.ofType("aws:eks/addon:Addon")) if (r.inputs.configurationValues) walk(r.inputs.addonName, JSON.parse(r.inputs.configurationValues));
    return found;
}

const K8S_EFFECT: Record<string, string> = { NO_SCHEDULE: "NoSchedule", NO_EXECUTE: "NoExecute", PREFER_NO_SCHEDULE: "PreferNoSchedule" };

/** Kubernetes' rule: a toleration matches a taint by key (or empty key with Exists), operator and effect (or empty effect). */
function tolerates(t: NonNullable<Scheduling["tolerations"]>[number], taint: { key: string; value: string; effect: string }): boolean {
    const keyMatches = t.key === undefined ? t.operator === "Exists" : t.key === taint.key;
    const valueMatches = t.operator === "Exists" || t.value === taint.value;
    return keyMatches && valueMatches && (t.effect === undefined || t.effect === K8S_EFFECT[taint.effect]);
}

/** Per-node agents (log shippers, exporters) tolerate every taint: they belong on system and workload nodes alike. */
const onEveryNode = (s: Scheduling) => (s.tolerations ?? []).some((t) => t.operator === "Exists" && t.key === undefined);

const selects = (selector: Record<string, string>, labels: Record<string, string>) => Object.entries(selector).every(([k, v]) => k === "kubernetes.io/os" || labels[k] === v);

describe("Placement", () => {
    for (const stack of ["dev", "prod"] as const) {
        describe(stack, () => {
            let g: StackGraph;
            beforeBuilding(async () => {
                g = await stackGraph(stack);
            });

            it("every system add-on tolerates exactly the node group's taint, and no more", () => {
                const nodeGroup = g.one("aws:eks/nodeGroup:NodeGroup").inputs;
                expect(nodeGroup.taints).to.have.length(1);
                const taint = nodeGroup.taints[0];
                const onSystem = schedulings(g).filter((s) => !onEveryNode(s) && selects(s.nodeSelector, nodeGroup.labels));
                expect(onSystem.map((s) => s.where)).to.have.members([
                    "karpenter", "aws-load-balancer-controller", "external-secrets.global", "metrics-server", "external-dns", "coredns", "aws-ebs-csi-driver.controller",
                    // Velero (with the snapshot-controller add-on it needs) is on in prod only.
                    ...(stack === "prod" ? ["velero", "snapshot-controller"] : []),
                ]);
                for (const s of onSystem) {
                    expect(s.tolerations, s.where).to.have.length(1);
                    expect(tolerates(s.tolerations![0], taint), `${s.where} tolerates ${JSON.stringify(taint)}`).to.equal(true);
                    expect(s.tolerations![0].key, `${s.where} tolerates only that key`).to.equal(taint.key);
                }
            });

            it("of the placed add-ons only Fluent Bit tolerates every taint, so system nodes' logs are shipped too (node-exporter: see Platform)", () => {
                expect(schedulings(g).filter(onEveryNode).map((s) => s.where)).to.deep.equal(["aws-for-fluent-bit"]);
            });

            it("every other pod selects the nodes Karpenter launches and does not tolerate the system taint", () => {
                const nodeGroup = g.one("aws:eks/nodeGroup:NodeGroup").inputs;
                const pool = g.one("kubernetes:karpenter.sh/v1:NodePool").inputs.spec.template;
                const poolLabels = pool.metadata.labels;
                // Karpenter also labels each node with the value it chose for every requirement (capacity type, …).
                const offered = (key: string, value: string) =>
                    poolLabels[key] === value || pool.spec.requirements.some((r: any) => r.key === key && r.operator === "In" && r.values.includes(value));
                const elsewhere = schedulings(g).filter((s) => !onEveryNode(s) && !selects(s.nodeSelector, nodeGroup.labels));
                expect(elsewhere.length).to.be.greaterThan(3);
                for (const s of elsewhere) {
                    expect(Object.entries(s.nodeSelector ?? {}).every(([k, v]) => offered(k, String(v))) && selects(s.nodeSelector, { ...poolLabels, ...s.nodeSelector }), `${s.where} selects ${JSON.stringify(s.nodeSelector)}`).to.equal(true);
                    expect((s.tolerations ?? []).some((t) => tolerates(t, nodeGroup.taints[0])), s.where).to.equal(false);
                }
            });
        });
    }
});

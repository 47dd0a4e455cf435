import { expect } from "chai";
import { NODE_ROLE_LABEL, SYSTEM_NODE_LABELS } from "../../components/shared/placement";

const SYSTEM_NODE_LABEL = { key: NODE_ROLE_LABEL, value: SYSTEM_NODE_LABELS[NODE_ROLE_LABEL] };
import { stackGraph } from "../../tooling/offline/harness";
import { requireReference } from "../support/reference";
import { K8sObject, RenderedStack } from "../../tooling/offline/render";
import { RENDER_STACKS, renderedStack } from "../support/render";
import { HOST_ACCESS, PLACEMENT, SYSTEM_RELEASES, placementOf } from "../support/render-expectations";
import { describeObject, disruptionProblems, hygieneProblems, placementProblems, podTemplates } from "../support/render-checks";
import { beforeBuilding } from "../support/build-hook";

/** Replicas per environment as the README's configuration table and Platform section state them (0: not rendered). */
const REPLICAS: Record<string, Record<string, number>> = {
    // The ipv6 fixture runs dev's single replicas (one Karpenter, one External Secrets, Argo CD without HA).
    get ipv6() {
        return REPLICAS.dev;
    },
    // The auto-ipv6 fixture is the auto one on an IPv6 cluster: the same replicas.
    get "auto-ipv6"() {
        return REPLICAS.auto;
    },
    dev: {
        "Deployment kube-system/karpenter": 1,
        "Deployment kube-system/metrics-server": 2,
        "Deployment external-dns/external-dns": 1,
        "Deployment kube-system/aws-load-balancer-controller": 2,
        "Deployment external-secrets/external-secrets": 1,
        "Deployment external-secrets/external-secrets-webhook": 1,
        "Deployment external-secrets/external-secrets-cert-controller": 1,
        "Deployment argocd/argocd-server": 1,
        "Deployment argocd/argocd-repo-server": 1,
        "Deployment argocd/argocd-applicationset-controller": 1,
        "StatefulSet argocd/argocd-application-controller": 1,
        "Deployment argocd/argocd-redis": 1,
    },
    prod: {
        "Deployment kube-system/karpenter": 2,
        "Deployment kube-system/metrics-server": 2,
        "Deployment external-dns/external-dns": 1,
        "Deployment kube-system/aws-load-balancer-controller": 2,
        "Deployment external-secrets/external-secrets": 2,
        "Deployment external-secrets/external-secrets-webhook": 2,
        "Deployment external-secrets/external-secrets-cert-controller": 2,
        "Deployment argocd/argocd-server": 2,
        "Deployment argocd/argocd-repo-server": 2,
        "Deployment argocd/argocd-applicationset-controller": 2,
        "StatefulSet argocd/argocd-application-controller": 1,
        "StatefulSet argocd/argocd-redis-ha-server": 3,
        "Deployment argocd/argocd-redis-ha-haproxy": 3,
        "Deployment argocd/argocd-redis": 0,
    },
    // Auto Mode: no Karpenter or Load Balancer Controller pods (AWS runs both outside the cluster).
    auto: {
        "Deployment kube-system/karpenter": 0,
        "Deployment kube-system/metrics-server": 2,
        "Deployment external-dns/external-dns": 1,
        "Deployment kube-system/aws-load-balancer-controller": 0,
        "Deployment external-secrets/external-secrets": 1,
        "Deployment external-secrets/external-secrets-webhook": 1,
        "Deployment external-secrets/external-secrets-cert-controller": 1,
        "Deployment velero/velero": 1,
        "Deployment argocd/argocd-server": 1,
        "Deployment argocd/argocd-repo-server": 1,
        "Deployment argocd/argocd-applicationset-controller": 1,
        "StatefulSet argocd/argocd-application-controller": 1,
        "Deployment argocd/argocd-redis": 1,
    },
};

const objects = (r: RenderedStack) => r.manifests.map((m) => m.object);

describe("Rendered manifests: placement, disruption and hygiene", () => {
    for (const stack of RENDER_STACKS) {
        describe(stack, () => {
            let rendered: RenderedStack;
            let placement = PLACEMENT;
            beforeBuilding(async function () {
                requireReference(this);
                const graph = await stackGraph(stack);
                placement = placementOf(graph);
                rendered = await renderedStack(graph);
            });

            it("system controllers tolerate the system taint and select system nodes (Auto Mode: its system pool); every other pod selects workload nodes", () => {
                const system = new Set(rendered.releases.filter((r) => SYSTEM_RELEASES.includes(r.releaseName)).flatMap((r) => r.manifests));
                expect(placementProblems(objects(rendered), placement, (t) => system.has(t.owner))).to.deep.equal([]);
            });

            it("every PodDisruptionBudget allows an eviction, and every multi-replica workload has one", () => {
                expect(disruptionProblems(objects(rendered))).to.deep.equal([]);
            });

            it("runs the replicas the README states, subcharts included", () => {
                const actual = Object.fromEntries(podTemplates(objects(rendered)).map((t) => [describeObject(t.owner), t.replicas]));
                for (const [workload, replicas] of Object.entries(REPLICAS[stack])) expect(actual[workload] ?? 0, workload).to.equal(replicas);
            });

            it("every container requests cpu and memory and runs a pinned image; no privileged or host-network pods beyond the allowed ones", () => {
                expect(hygieneProblems(objects(rendered), HOST_ACCESS)).to.deep.equal([]);
            });

            it("Karpenter's NodePool bounds a drain, so a pod that cannot be evicted does not keep a node forever", () => {
                const pool = objects(rendered).find((o) => o.kind === "NodePool")!;
                expect(pool.spec.template.spec.terminationGracePeriod).to.match(/^\d+h$/);
            });
        });
    }

    describe("the checks themselves", () => {
        const workload = (kind: string, replicas: number, spec: Record<string, unknown> = {}): K8sObject => ({
            apiVersion: "apps/v1",
            kind,
            metadata: { name: "w", namespace: "ns" },
            spec: { replicas, template: { metadata: { labels: { app: "w" } }, spec: { containers: [{ name: "c", image: "i:1", resources: { requests: { cpu: "1m", memory: "1Mi" } } }], ...spec } } },
        });
        const pdb = (spec: Record<string, unknown>): K8sObject => ({ apiVersion: "policy/v1", kind: "PodDisruptionBudget", metadata: { name: "w", namespace: "ns" }, spec: { selector: { matchLabels: { app: "w" } }, ...spec } });

        it("a PDB with minAvailable 1 over one replica blocks every drain (the old prod Argo CD controller)", () => {
            expect(disruptionProblems([workload("StatefulSet", 1), pdb({ minAvailable: 1 })]).join()).to.match(/allows no disruption/);
            expect(disruptionProblems([workload("StatefulSet", 2), pdb({ minAvailable: 1 })])).to.deep.equal([]);
            expect(disruptionProblems([workload("StatefulSet", 3), pdb({ maxUnavailable: "0%" })])).to.have.length(1);
        });

        it("three replicas without a PDB fail (the old redis-ha)", () => {
            expect(disruptionProblems([workload("StatefulSet", 3)]).join()).to.match(/without a PodDisruptionBudget/);
        });

        it("a workload without the workload node selector, or a system controller without the toleration, fails", () => {
            expect(placementProblems([workload("Deployment", 1)], PLACEMENT, () => false).join()).to.match(/does not select eks-platform\/node-role=workload/);
            const onSystem = workload("Deployment", 1, { nodeSelector: { [SYSTEM_NODE_LABEL.key]: SYSTEM_NODE_LABEL.value } });
            expect(placementProblems([onSystem], PLACEMENT, () => true).join()).to.match(/does not tolerate CriticalAddonsOnly/);
            const tolerant = workload("Deployment", 1, { nodeSelector: { [SYSTEM_NODE_LABEL.key]: "workload" }, tolerations: [{ operator: "Exists" }] });
            expect(placementProblems([tolerant], PLACEMENT, () => false).join()).to.match(/tolerates the system taint/);
        });

        it("a container without requests, a `latest` or untagged image, or host networking fails", () => {
            const bare: K8sObject = { ...workload("Deployment", 1), spec: { template: { metadata: {}, spec: { hostNetwork: true, containers: [{ name: "c", image: "busybox" }, { name: "d", image: "docker.io/busybox:latest", resources: { requests: { cpu: "1m", memory: "1Mi" } } }] } } } };
            const problems = hygieneProblems([bare], []);
            expect(problems.join("\n")).to.match(/host network/).and.match(/c has no cpu/).and.match(/busybox is not pinned/).and.match(/busybox:latest is not pinned/);
            expect(hygieneProblems([workload("Deployment", 1, { hostNetwork: true })], [{ workload: "Deployment ns/w", hostNetwork: true, reason: "test" }])).to.deep.equal([]);
        });
    });
});

import { expect } from "chai";
import { StackGraph, stackGraph } from "../../tooling/offline/harness";
import { requireReference } from "../support/reference";
import { K8sObject, RenderedStack } from "../../tooling/offline/render";
import { RENDER_STACKS, renderedStack } from "../support/render";
import { monitorProblems, podIdentityProblems, rulesOnJobs } from "../support/render-checks";
import { EKS_TARGETS, HIDDEN_CONTROL_PLANE_JOBS, KARPENTER_MODE_CONTROLLERS, awsCallersOf, chartAssociations } from "../support/render-expectations";
import { beforeBuilding } from "../support/build-hook";

const objects = (r: RenderedStack) => r.manifests.map((m) => m.object);
const associations = chartAssociations;

describe("Rendered manifests: wiring", () => {
    for (const stack of RENDER_STACKS) {
        describe(stack, () => {
            let graph: StackGraph;
            let rendered: RenderedStack;
            beforeBuilding(async function () {
                requireReference(this);
                graph = await stackGraph(stack);
                rendered = await renderedStack(graph);
            });

            it("each AWS-calling controller runs as a service account with a Pod Identity association, and each association's account exists and is used", () => {
                expect(podIdentityProblems(objects(rendered), associations(graph), awsCallersOf(graph))).to.deep.equal([]);
            });

            it("applies without a wait only charts of CRDs alone, and the Karpenter controller (the platform's releases wait for its node)", () => {
                const unawaited = graph.ofType("kubernetes:helm.sh/v3:Release").filter((r) => r.inputs.skipAwait === true);
                // Auto Mode installs no Karpenter: every release it has is awaited.
                expect(unawaited.map((r) => r.inputs.name).sort()).to.deep.equal(graph.outputs.computeMode === "auto" ? [] : ["karpenter", "karpenter-crd"]);
                const crds = rendered.releases.find((r) => r.releaseName === "karpenter-crd");
                if (crds) expect(new Set(crds.manifests.map((o) => o.kind))).to.deep.equal(new Set(["CustomResourceDefinition"]));
                for (const r of unawaited) expect(r.inputs.atomic, r.name).to.equal(false);
            });

            it("each PodMonitor and ServiceMonitor finds its targets by port name, and Prometheus selects it", () => {
                const monitors = objects(rendered).filter((o) => o.kind === "PodMonitor" || o.kind === "ServiceMonitor");
                const controllers = graph.outputs.computeMode === "auto" ? [] : KARPENTER_MODE_CONTROLLERS;
                expect(monitors.map((m) => m.metadata.name)).to.include.members([...controllers, "external-secrets", "argocd"]);
                if (graph.outputs.computeMode === "auto") expect(monitors.map((m) => m.metadata.name)).to.not.include.members(KARPENTER_MODE_CONTROLLERS);
                expect(monitorProblems(objects(rendered), EKS_TARGETS)).to.deep.equal([]);
            });

            it("has no alert on the scheduler, controller manager or etcd, which EKS does not expose (they would fire forever)", () => {
                expect(rulesOnJobs(objects(rendered), HIDDEN_CONTROL_PLANE_JOBS)).to.deep.equal([]);
                expect(objects(rendered).filter((o) => o.kind === "PrometheusRule")).to.not.be.empty;
            });

            it("every existingSecret in values names a Secret the program creates in the release namespace, with the keys values name", () => {
                const secrets = objects(rendered).filter((o) => o.kind === "Secret");
                const problems = rendered.releases.flatMap((r) =>
                    existingSecretRefs(r.values).map((ref) => {
                        const secret = secrets.find((s) => s.metadata.name === ref.name && s.metadata.namespace === r.namespace && rendered.manifests.some((m) => m.source === "program" && m.object === s));
                        if (!secret) return `${r.releaseName}: ${ref.path} = ${ref.name}, but the program creates no such Secret in ${r.namespace}`;
                        const keys = Object.keys({ ...secret.data, ...secret.stringData });
                        const missing = ref.keys.filter((k) => !keys.includes(k));
                        return missing.length > 0 ? `${r.releaseName}: Secret ${ref.name} lacks ${missing.join(", ")}` : "";
                    }),
                );
                expect(problems.filter(Boolean)).to.deep.equal([]);
                expect(rendered.releases.flatMap((r) => existingSecretRefs(r.values))).to.not.be.empty;
            });

            it("Argo CD keeps the admin password's mtime from state, so upgrades do not end admin sessions", () => {
                const argocd = rendered.releases.find((r) => r.releaseName === "argocd")!;
                const marker = graph.one("random:index/randomString:RandomString", "argocd-admin-set-at");
                const mtime = (argocd.values as any).configs.secret.argocdServerAdminPasswordMtime;
                expect(mtime).to.equal(marker.inputs.keepers.at).and.match(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
                const secret = argocd.manifests.find((o) => o.kind === "Secret" && o.metadata.name === "argocd-secret")!;
                expect(Buffer.from(secret.data["admin.passwordMtime"], "base64").toString()).to.equal(mtime);
            });

            it("takes its NetworkPolicies from the program alone: no chart renders one (tests/render/isolation.test.ts checks them)", () => {
                const policies = rendered.manifests.filter((m) => m.object.kind === "NetworkPolicy");
                expect(policies.filter((m) => m.source !== "program").map((m) => `${m.source}: ${m.object.metadata.namespace}/${m.object.metadata.name}`)).to.deep.equal([]);
                expect(policies).to.not.be.empty;
            });
        });
    }

    describe("the checks themselves", () => {
        const pod = (labels: Record<string, string>, port: string, serviceAccountName = "ctl"): K8sObject => ({
            apiVersion: "apps/v1",
            kind: "Deployment",
            metadata: { name: "ctl", namespace: "ns" },
            spec: { replicas: 1, template: { metadata: { labels }, spec: { serviceAccountName, containers: [{ name: "c", image: "i:1", ports: [{ name: port, containerPort: 8080 }] }] } } },
        });
        const prometheus: K8sObject = { apiVersion: "monitoring.coreos.com/v1", kind: "Prometheus", metadata: { name: "p", namespace: "mon" }, spec: { podMonitorSelector: {}, podMonitorNamespaceSelector: {} } };
        const podMonitor = (port: string): K8sObject => ({
            apiVersion: "monitoring.coreos.com/v1",
            kind: "PodMonitor",
            metadata: { name: "ctl", namespace: "mon" },
            spec: { namespaceSelector: { matchNames: ["ns"] }, selector: { matchLabels: { app: "ctl" } }, podMetricsEndpoints: [{ port }] },
        });
        const account: K8sObject = { apiVersion: "v1", kind: "ServiceAccount", metadata: { name: "ctl", namespace: "ns" } };

        it("a monitor naming a port the pods do not have fails; the right name passes", () => {
            expect(monitorProblems([pod({ app: "ctl" }, "metrics"), prometheus, podMonitor("metrics")])).to.deep.equal([]);
            expect(monitorProblems([pod({ app: "ctl" }, "metrics"), prometheus, podMonitor("http-metrics")]).join()).to.match(/no container port named http-metrics/);
        });

        it("a monitor no Prometheus selects fails", () => {
            const picky = { ...prometheus, spec: { podMonitorSelector: { matchLabels: { release: "x" } }, podMonitorNamespaceSelector: {} } };
            expect(monitorProblems([pod({ app: "ctl" }, "metrics"), picky, podMonitor("metrics")]).join()).to.match(/no Prometheus selects it/);
        });

        it("an association for a service account no pod uses, or a controller without one, fails", () => {
            const callers = [{ namespace: "ns", name: "ctl" }];
            expect(podIdentityProblems([pod({}, "m"), account], [{ namespace: "ns", serviceAccount: "ctl" }], callers)).to.deep.equal([]);
            expect(podIdentityProblems([pod({}, "m"), account], [{ namespace: "ns", serviceAccount: "controller" }], callers)).to.have.length(2);
            expect(podIdentityProblems([pod({}, "m", "default"), account], [{ namespace: "ns", serviceAccount: "ctl" }], callers).join()).to.match(/no pod runs as it/);
        });

        it("an alert on a hidden control-plane job is found", () => {
            const rule: K8sObject = { apiVersion: "monitoring.coreos.com/v1", kind: "PrometheusRule", metadata: { name: "r", namespace: "mon" }, spec: { groups: [{ name: "g", rules: [{ alert: "KubeSchedulerDown", expr: 'absent(up{job="kube-scheduler"} == 1)' }] }] } };
            expect(rulesOnJobs([rule], HIDDEN_CONTROL_PLANE_JOBS)).to.have.length(1);
        });
    });
});

/** `existingSecret` keys in a values tree, with sibling `*Key` values (the keys read from that Secret). */
function existingSecretRefs(values: unknown, path = ""): { path: string; name: string; keys: string[] }[] {
    if (!values || typeof values !== "object" || Array.isArray(values)) return [];
    const o = values as Record<string, unknown>;
    const here = typeof o.existingSecret === "string" && o.existingSecret
        ? [{ path: `${path}existingSecret`, name: o.existingSecret, keys: Object.entries(o).filter(([k, v]) => /Key$/.test(k) && typeof v === "string").map(([, v]) => v as string) }]
        : [];
    return [...here, ...Object.entries(o).flatMap(([k, v]) => existingSecretRefs(v, `${path}${k}.`))];
}

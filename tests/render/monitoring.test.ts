import { expect } from "chai";
import { StackGraph, stackGraph } from "../../tooling/offline/harness";
import { projectRoot } from "../../tooling/offline/paths";
import { requireReference } from "../support/reference";
import { K8sObject, RenderedStack } from "../../tooling/offline/render";
import { RENDER_STACKS, renderedStack } from "../support/render";
import { clusterWideSecretReaders, memoryLimitProblems, podTemplates, rateLimitedImageProblems } from "../support/render-checks";
import { stackNames } from "../support/stacks";
import { PROJECT, stackFileConfig } from "../../tooling/offline/stack-files";
import { CAPACITY_TYPE_LABEL, DO_NOT_DISRUPT, ZONE_LABEL } from "../../components/shared/placement";
import { PREFIX_DELEGATION_MAX_PODS } from "../../components/cluster/karpenter/manifests";
import { mebibytes } from "../../components/shared/quantity";
import { CONFIG_KEYS } from "../../stacks/config/keys";
import { beforeBuilding } from "../support/build-hook";

/**
 * Controllers that must read Secrets in every namespace, and why; no other workload may (Grafana, the UI
 * that may face the internet, reads ConfigMaps of its own namespace only).
 */
const CLUSTER_SECRET_READERS: Record<string, string> = {
    "external-secrets/external-secrets": "writes the synced Secrets into the application namespaces",
    "external-secrets/external-secrets-cert-controller": "keeps the webhook's certificate Secret current (the chart grants it cluster-wide)",
    "argocd/argocd-application-controller": "applies whatever the GitOps repository holds, Secrets included",
    "argocd/argocd-server": "shows and diffs the applications' live objects",
    "monitoring/kube-prometheus-stack-operator": "writes Prometheus' and Alertmanager's generated configuration Secrets",
    "velero/velero-server": "backs up the application namespaces' Secrets",
};

const objects = (r: RenderedStack): K8sObject[] => r.manifests.map((m) => m.object);
const byKind = (r: RenderedStack, kind: string) => objects(r).filter((o) => o.kind === kind);
const envOf = (container: any) => Object.fromEntries((container.env ?? []).map((e: any) => [e.name, e.value]));

/** Every fixture and every real stack file: what the monitoring issue fixed holds whatever the values. */
const CASES = [...RENDER_STACKS.map((stack) => ({ label: `fixture ${stack}`, stack, dir: undefined as string | undefined })), ...stackNames(projectRoot).map((stack) => ({ label: `Pulumi.${stack}.yaml`, stack, dir: projectRoot }))];

describe("Rendered manifests: monitoring and first-up safety", () => {
    for (const c of CASES) {
        describe(c.label, () => {
            let graph: StackGraph;
            let rendered: RenderedStack;
            const config = (key: string) => stackFileConfig(c.stack, c.dir)[`${PROJECT}:${key}`];
            beforeBuilding(async function () {
                requireReference(this);
                graph = await stackGraph(c.stack, c.dir);
                rendered = await renderedStack(graph);
            });

            it("lets only the named controllers read Secrets cluster-wide; Grafana's sidecars read ConfigMaps of monitoring, with the token mounted only in them", () => {
                const readers = clusterWideSecretReaders(objects(rendered));
                expect(readers.filter((r) => !CLUSTER_SECRET_READERS[r])).to.deep.equal([]);
                const grafana = byKind(rendered, "StatefulSet").find((s) => s.metadata.name === "kube-prometheus-stack-grafana")!;
                const pod = grafana.spec.template.spec;
                expect(pod.automountServiceAccountToken).to.equal(false);
                for (const sidecar of pod.containers.filter((x: any) => x.name.startsWith("grafana-sc-"))) {
                    expect(envOf(sidecar), sidecar.name).to.include({ RESOURCE: "configmap", NAMESPACE: "monitoring" });
                    expect(sidecar.volumeMounts.map((m: any) => m.mountPath), sidecar.name).to.include("/var/run/secrets/kubernetes.io/serviceaccount");
                }
                const main = pod.containers.find((x: any) => x.name === "grafana");
                expect(main.volumeMounts.map((m: any) => m.mountPath)).to.not.include("/var/run/secrets/kubernetes.io/serviceaccount");
                const role = byKind(rendered, "RoleBinding").find((b) => b.metadata.name === "kube-prometheus-stack-grafana")!;
                const granted = objects(rendered).find((o) => o.kind === "Role" && o.metadata.name === role.roleRef.name && o.metadata.namespace === "monitoring")!;
                expect(granted.rules).to.deep.equal([{ apiGroups: [""], resources: ["configmaps"], verbs: ["get", "list", "watch"] }]);
                expect(byKind(rendered, "ClusterRoleBinding").map((b) => b.metadata.name)).to.not.include("kube-prometheus-stack-grafana-clusterrolebinding");
            });

            it("pulls no image from Docker Hub except through the stack's cache, and caps every long-running container's memory", () => {
                expect(rateLimitedImageProblems(objects(rendered))).to.deep.equal([]);
                expect(memoryLimitProblems(objects(rendered))).to.deep.equal([]);
                expect(graph.ofType("aws:ecr/pullThroughCacheRule:PullThroughCacheRule").map((r) => r.inputs)).to.deep.equal([
                    { ecrRepositoryPrefix: `docker-hub-${config("environment")}`, upstreamRegistryUrl: "registry-1.docker.io", credentialArn: graph.ofType("aws:ecr/pullThroughCacheRule:PullThroughCacheRule")[0].inputs.credentialArn },
                ]);
            });

            it("runs node-exporter alone in a privileged namespace, the rest of monitoring at restricted", () => {
                const namespaces = Object.fromEntries(objects(rendered).filter((o) => o.kind === "Namespace").map((n) => [n.metadata.name, n.metadata.labels["pod-security.kubernetes.io/enforce"]]));
                expect(namespaces).to.include({ monitoring: "restricted", "node-exporter": "privileged" });
                expect(podTemplates(objects(rendered)).filter((t) => t.namespace === "node-exporter").map((t) => t.owner.metadata.name)).to.deep.equal(["kube-prometheus-stack-prometheus-node-exporter"]);
            });

            it("spreads replicated Prometheus and Alertmanager over zones on on-demand nodes Karpenter leaves alone, each with a PDB", () => {
                for (const kind of ["Prometheus", "Alertmanager"]) {
                    const cr = byKind(rendered, kind)[0];
                    const replicas = cr.spec.replicas ?? 1;
                    const pdb = byKind(rendered, "PodDisruptionBudget").find((p) => p.metadata.name === cr.metadata.name);
                    if (replicas > 1) {
                        expect(cr.spec.nodeSelector, kind).to.include({ [CAPACITY_TYPE_LABEL]: "on-demand" });
                        expect(cr.spec.topologySpreadConstraints?.[0], kind).to.include({ topologyKey: ZONE_LABEL, maxSkew: 1, whenUnsatisfiable: "DoNotSchedule" });
                        expect(cr.spec.podMetadata?.annotations, kind).to.include(DO_NOT_DISRUPT);
                        expect(pdb?.spec.minAvailable, kind).to.equal(replicas - 1);
                    } else {
                        expect(cr.spec.nodeSelector, kind).to.not.have.property(CAPACITY_TYPE_LABEL);
                    }
                }
                const grafanaPdb = byKind(rendered, "PodDisruptionBudget").find((p) => p.metadata.name === "kube-prometheus-stack-grafana");
                expect(grafanaPdb !== undefined, "Grafana has a PDB exactly when monitoring is replicated").to.equal((byKind(rendered, "Prometheus")[0].spec.replicas ?? 1) > 1);
                const production = ["prod", "production"].includes(String(config("environment")));
                const configured = (key: string) => Number(config(key) ?? 0);
                expect(byKind(rendered, "Prometheus")[0].spec.replicas).to.equal(configured("prometheusReplicas") || (production ? 2 : 1));
                expect(byKind(rendered, "Alertmanager")[0].spec.replicas).to.equal(configured("alertmanagerReplicas") || (production ? 3 : 1));
            });

            it("derives Prometheus' memory limit from its request and keeps retentionSize below its volume", () => {
                const spec = byKind(rendered, "Prometheus")[0].spec;
                expect(mebibytes(spec.resources.limits.memory)).to.equal(2 * mebibytes(spec.resources.requests.memory));
                const volume = mebibytes(spec.storage.volumeClaimTemplate.spec.resources.requests.storage);
                const m = /^(\d+)(GiB|MiB)$/.exec(spec.retentionSize)!;
                expect(Number(m[1]) * (m[2] === "GiB" ? 1024 : 1)).to.be.within(volume * 0.5, volume * 0.9);
            });

            it("spreads HA Argo CD's server, repo server and redis-ha over zones", () => {
                const ha = String(config("argocdHighAvailability") ?? CONFIG_KEYS.argocdHighAvailability.default) === "true";
                const workload = (name: string) => objects(rendered).find((o) => o.metadata.name === name && ["Deployment", "StatefulSet"].includes(o.kind));
                const zoneSpread = (name: string) => (workload(name)?.spec.template.spec.topologySpreadConstraints ?? []).filter((t: any) => t.topologyKey === ZONE_LABEL);
                expect(workload("argocd-redis-ha-server") !== undefined, "redis-ha renders exactly when Argo CD is HA").to.equal(ha);
                for (const name of ha ? ["argocd-server", "argocd-repo-server", "argocd-redis-ha-server", "argocd-redis-ha-haproxy"] : []) {
                    expect(zoneSpread(name).map((t: any) => [t.maxSkew, t.whenUnsatisfiable]), name).to.deep.equal([[1, "DoNotSchedule"]]);
                }
            });

            it("admits Services when the Load Balancer Controller is away, so only a release with a LoadBalancer Service (none) must install after it", () => {
                if (graph.outputs.computeMode === "auto") {
                    // Auto Mode's load balancing runs outside the cluster: no webhook of its own to wait for or fail open.
                    expect(byKind(rendered, "MutatingWebhookConfiguration").flatMap((w) => w.webhooks).map((w: any) => w.name)).to.not.include("mservice.elbv2.k8s.aws");
                    expect(graph.ofType("kubernetes:helm.sh/v3:Release").find((r) => r.inputs.name === "aws-load-balancer-controller")).to.equal(undefined);
                    return;
                }
                const webhook = byKind(rendered, "MutatingWebhookConfiguration").flatMap((w) => w.webhooks).find((w: any) => w.name === "mservice.elbv2.k8s.aws");
                expect(webhook.failurePolicy).to.equal("Ignore");
                // ClusterIP Services the webhook leaves alone, so Karpenter and the platform's releases install beside the controller.
                const balanced = rendered.releases.filter((r) => r.releaseName !== "aws-load-balancer-controller" && r.manifests.some((o) => o.kind === "Service" && o.spec?.type === "LoadBalancer"));
                expect(balanced.map((r) => r.releaseName)).to.deep.equal([]);
                const services = rendered.releases.filter((r) => r.manifests.some((o) => o.kind === "Service")).map((r) => r.releaseName);
                expect(services).to.include.members(["karpenter", "argocd", "kube-prometheus-stack"]);
            });

            it("sizes Karpenter nodes for prefix delegation, and places snapshot-controller on the system nodes after them", () => {
                const snapshot = graph.ofType("aws:eks/addon:Addon").find((a) => a.inputs.addonName === "snapshot-controller");
                if (graph.outputs.computeMode === "auto") {
                    // Auto Mode sizes its nodes' pods itself (no EC2NodeClass); the controller goes to its system pool.
                    expect(byKind(rendered, "EC2NodeClass")).to.deep.equal([]);
                    expect(JSON.parse(snapshot!.inputs.configurationValues).nodeSelector).to.deep.equal({ "karpenter.sh/nodepool": "system" });
                    return;
                }
                expect(byKind(rendered, "EC2NodeClass")[0].spec.kubelet.maxPods).to.equal(PREFIX_DELEGATION_MAX_PODS);
                if (snapshot) {
                    expect(JSON.parse(snapshot.inputs.configurationValues).nodeSelector).to.deep.equal({ "eks-platform/node-role": "system" });
                    expect((snapshot.opts.dependsOn as string[]).some((d) => d.includes("aws:eks/nodeGroup:NodeGroup"))).to.equal(true);
                }
            });
        });
    }
});

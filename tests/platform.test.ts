import { expect } from "chai";
import { CHARTS } from "../components/versions";
import { useStacks } from "./support/use-stacks";
import { compareSync } from "bcryptjs";
import { StackGraph } from "../tooling/offline/harness";
import { CrdValidator } from "./support/crd";
import { documentedCommentedOut, referenceChartVersion, referenceYaml, requireReference, unknownValuesPaths } from "./support/reference";
import { isSecretValue, occurrences, reveal } from "./support/secrets";
import { CERTIFICATE_ARN, CONFIGURED_SECRETS, SECRET_HOLDERS, devWithOptionalFeatures, prodWithoutCiWithSecrets } from "./support/variants";

const release = (g: StackGraph, releaseName: string) => g.ofType("kubernetes:helm.sh/v3:Release").find((r) => r.inputs.name === releaseName)!;
const values = (g: StackGraph, releaseName: string) => reveal(release(g, releaseName).inputs.values);
const one = (g: StackGraph, kind: string) => {
    const found = g.resources.filter((r) => r.type.startsWith("kubernetes:") && r.type.endsWith(`:${kind}`));
    expect(found, kind).to.have.length(1);
    return found[0];
};
const CERT = CERTIFICATE_ARN;

/** What the platform's releases wait for: the workload NodePool and the ALB ingress (the LBC, or Auto Mode's default IngressClass). */
/** The NodePool the platform's pods land on: Karpenter's, or Auto Mode's. */
const workloadNodePool = (g: StackGraph): string => `kubernetes:karpenter.sh/v1:NodePool::eks-${g.stack}-${g.outputs.computeMode === "auto" ? "auto" : "karpenter"}-node-pool`;
/** What the platform's Ingresses (not its releases) wait for: the Load Balancer Controller, or Auto Mode's IngressClass. */
const ingressController = (g: StackGraph): string[] =>
    g.outputs.computeMode === "auto"
        ? [`kubernetes:networking.k8s.io/v1:IngressClass::eks-${g.stack}-auto-alb`]
        : [`kubernetes:helm.sh/v3:Release::eks-${g.stack}-aws-load-balancer-controller`];

/** Application names an ApplicationSet's list generator + template produce. */
function generatedApplications(appSet: any): { name: string; namespace: string; path: string; syncPolicy: any }[] {
    const template = appSet.spec.template;
    return appSet.spec.generators[0].list.elements.map((e: Record<string, string>) => {
        const render = (text: string) => text.replace(/\{\{\.(\w+)\}\}/g, (_, k: string) => e[k]);
        return {
            name: render(template.metadata.name),
            namespace: render(template.spec.destination.namespace),
            path: render(template.spec.source.path),
            syncPolicy: template.spec.syncPolicy,
        };
    });
}

const hasPath = (tree: any, dotted: string): boolean => dotted.split(".").every((k) => tree !== null && typeof tree === "object" && k in tree && ((tree = tree[k]), true));

describe("Platform", () => {
    const stacks = useStacks();

    describe("Argo CD", () => {
        it(`installs argo-cd ${CHARTS.argoCd.version} into argocd after the workload NodePool, beside the ingress controller (LBC, or Auto Mode's IngressClasses)`, () => {
            for (const g of stacks.all) {
                const r = release(g, "argocd");
                expect(r.inputs).to.include({ chart: "argo-cd", version: CHARTS.argoCd.version, namespace: "argocd" });
                expect(r.inputs.repositoryOpts).to.deep.equal({ repo: "https://argoproj.github.io/argo-helm" });
                expect(r.opts.dependsOn).to.include(workloadNodePool(g));
                expect(r.opts.dependsOn).to.not.include.members(ingressController(g));
            }
        });

        it("is HA-sized in prod and single-replica in dev", () => {
            const p = values(stacks.prod, "argocd");
            expect([p.server.replicas, p.repoServer.replicas, p.applicationSet.replicas]).to.deep.equal([2, 2, 2]);
            expect([p.server.pdb.enabled, p.repoServer.pdb.enabled, p.applicationSet.pdb.enabled]).to.deep.equal([true, true, true]);
            // A single application controller: a PDB with minAvailable 1 would block every node drain.
            expect([p.controller.replicas, p.controller.pdb.enabled]).to.deep.equal([1, false]);
            expect(p["redis-ha"].enabled).to.equal(true);
            // The chart drops single-node Redis when redis-ha is on (the render tests check prod has none).
            expect(p.redis.enabled).to.equal(undefined);
            const d = values(stacks.dev, "argocd");
            expect([d.server.replicas, d.repoServer.replicas, d.applicationSet.replicas, d.controller.replicas]).to.deep.equal([1, 1, 1, 1]);
            expect(d["redis-ha"].enabled).to.equal(false);
            expect(d.server.pdb.enabled).to.equal(false);
        });

        it("runs on Karpenter nodes with resources set, exec off and a ClusterIP server", () => {
            for (const g of stacks.all) {
                const v = values(g, "argocd");
                expect(v.global.nodeSelector).to.deep.equal({ "eks-platform/node-role": "workload" });
                expect(v.global.tolerations).to.equal(undefined);
                for (const c of ["controller", "server", "repoServer", "applicationSet"]) expect(v[c].resources.requests, c).to.have.keys("cpu", "memory");
                expect(v.configs.cm["exec.enabled"]).to.equal(false);
                expect(v.server.service.type).to.equal("ClusterIP");
            }
        });

        it("passes the admin password only as a bcrypt hash of the exported (secret) password", () => {
            for (const g of stacks.all) {
                const secretValues = release(g, "argocd").inputs.values;
                const hash = reveal(secretValues).configs.secret.argocdServerAdminPassword;
                expect(hash).to.match(/^\$2a\$10\$[./A-Za-z0-9]{53}$/);
                expect(compareSync(g.outputs.argocdAdminPassword, hash)).to.equal(true);
                expect(occurrences(secretValues, hash).every((o) => o.secret)).to.equal(true);
                expect(occurrences(secretValues, g.outputs.argocdAdminPassword)).to.deep.equal([]);
            }
        });

        it("limits the environment's AppProject to the GitOps repo and exactly the configured namespaces of this cluster", () => {
            for (const [g, project, namespaces] of [[stacks.dev, "dev", ["dev", "staging"]], [stacks.prod, "prod", ["production"]]] as const) {
                const spec = one(g, "AppProject").inputs;
                expect(spec.metadata).to.deep.equal({ name: project, namespace: "argocd" });
                expect(spec.spec.sourceRepos).to.deep.equal(["https://github.com/octo-platform/gitops.git"]);
                expect(spec.spec.destinations).to.deep.equal(namespaces.map((namespace) => ({ server: "https://kubernetes.default.svc", namespace })));
                for (const d of spec.spec.destinations) expect(d.namespace).to.not.include("*");
            }
        });

        it("generates myapp-dev and myapp-staging on dev, synced automatically with prune, self-heal and retry", () => {
            const apps = generatedApplications(one(stacks.dev, "ApplicationSet").inputs);
            expect(apps.map((a) => [a.name, a.namespace, a.path])).to.deep.equal([
                ["myapp-dev", "dev", "envs/dev/myapp"],
                ["myapp-staging", "staging", "envs/staging/myapp"],
            ]);
            for (const a of apps) {
                expect(a.syncPolicy.automated).to.deep.equal({ prune: true, selfHeal: true });
                expect(a.syncPolicy.retry.limit).to.be.greaterThan(0);
                expect(a.syncPolicy.retry.backoff).to.include.keys("duration", "factor", "maxDuration");
            }
            expect(one(stacks.dev, "ApplicationSet").inputs.spec.template.spec.project).to.equal("dev");
        });

        it("generates only myapp-production on prod, with no automated sync, ServerSideApply, and no namespace of its own making", () => {
            const apps = generatedApplications(one(stacks.prod, "ApplicationSet").inputs);
            expect(apps.map((a) => [a.name, a.namespace, a.path])).to.deep.equal([["myapp-production", "production", "envs/production/myapp"]]);
            expect(apps[0].syncPolicy).to.not.have.property("automated");
            expect(apps[0].syncPolicy.syncOptions).to.deep.equal(["ServerSideApply=true"]);
            expect(apps[0].syncPolicy).to.not.have.property("managedNamespaceMetadata");
            const source = one(stacks.prod, "ApplicationSet").inputs.spec.template.spec.source;
            expect(source).to.deep.include({ repoURL: "https://github.com/octo-platform/gitops.git", targetRevision: "main" });
        });

        it("creates the project and ApplicationSet after the chart (its CRDs) and removes them first", () => {
            expect(one(stacks.dev, "AppProject").opts.dependsOn).to.include("kubernetes:helm.sh/v3:Release::argocd");
            expect(one(stacks.dev, "ApplicationSet").opts.dependsOn).to.include("kubernetes:helm.sh/v3:Release::argocd");
        });
    });

    describe("monitoring", () => {
        it(`installs kube-prometheus-stack ${CHARTS.kubePrometheusStack.version} into monitoring with server-side CRD upgrades`, () => {
            const r = release(stacks.dev, "kube-prometheus-stack");
            expect(r.inputs).to.include({ chart: "kube-prometheus-stack", version: CHARTS.kubePrometheusStack.version, namespace: "monitoring" });
            expect(values(stacks.dev, "kube-prometheus-stack").crds).to.deep.include({ enabled: true });
            expect(values(stacks.dev, "kube-prometheus-stack").crds.upgradeJob).to.deep.include({ enabled: true, forceConflicts: true });
        });

        it("sizes Prometheus from config, larger in prod, on gp3", () => {
            for (const [g, retention, size] of [[stacks.dev, "7d", "20Gi"], [stacks.prod, "30d", "100Gi"]] as const) {
                const spec = values(g, "kube-prometheus-stack").prometheus.prometheusSpec;
                expect(spec.retention).to.equal(retention);
                expect(spec.storageSpec.volumeClaimTemplate.spec).to.deep.include({ storageClassName: "gp3", resources: { requests: { storage: size } } });
            }
        });

        it("enables Alertmanager and Grafana with persistence and default dashboards", () => {
            for (const [g, size] of [[stacks.dev, "5Gi"], [stacks.prod, "10Gi"]] as const) {
                const v = values(g, "kube-prometheus-stack");
                expect(v.alertmanager.enabled).to.equal(true);
                expect(v.grafana).to.deep.include({ enabled: true, defaultDashboardsEnabled: true });
                expect(v.grafana.persistence).to.include({ enabled: true, storageClassName: "gp3", size });
            }
        });

        it("takes Grafana's admin from an existing Secret holding the (secret) password, never from values", () => {
            for (const g of stacks.all) {
                const v = values(g, "kube-prometheus-stack");
                expect(v.grafana.admin).to.deep.equal({ existingSecret: "grafana-admin", userKey: "admin-user", passwordKey: "admin-password" });
                expect(v.grafana).to.not.have.property("adminPassword");
                const secret = g.one("kubernetes:core/v1:Secret", "monitoring-grafana-admin");
                expect(secret.inputs.metadata).to.deep.include({ name: "grafana-admin", namespace: "monitoring" });
                expect(isSecretValue(secret.inputs.stringData) || isSecretValue(secret.inputs.stringData["admin-password"])).to.equal(true);
                expect(reveal(secret.inputs.stringData)["admin-password"]).to.equal(g.outputs.grafanaAdminPassword);
                expect(release(g, "kube-prometheus-stack").opts.dependsOn).to.include("kubernetes:core/v1:Secret::monitoring-grafana-admin");
            }
        });

        it("scrapes Karpenter, the LBC, External Secrets, external-dns and Argo CD, and turns on Argo CD's metrics", () => {
            const monitors = values(stacks.dev, "kube-prometheus-stack").prometheus.additionalPodMonitors;
            expect(monitors.map((m: any) => [m.name, m.namespaceSelector.matchNames[0]])).to.deep.equal([
                ["karpenter", "kube-system"], ["aws-load-balancer-controller", "kube-system"], ["external-secrets", "external-secrets"], ["external-dns", "external-dns"], ["argocd", "argocd"],
            ]);
            const argo = values(stacks.dev, "argocd");
            for (const c of ["controller", "server", "repoServer", "applicationSet"]) expect(argo[c].metrics.enabled, c).to.equal(true);
        });

        it("runs on Karpenter nodes, while node-exporter tolerates every taint", () => {
            const v = values(stacks.dev, "kube-prometheus-stack");
            expect(v.prometheus.prometheusSpec.nodeSelector).to.deep.equal({ "eks-platform/node-role": "workload" });
            expect(v.alertmanager.alertmanagerSpec.nodeSelector).to.deep.equal({ "eks-platform/node-role": "workload" });
            expect(v["prometheus-node-exporter"].tolerations).to.deep.equal([{ operator: "Exists" }]);
        });
    });

    describe("composition", () => {
        it("lets Argo CD and monitoring install side by side, both after the NodePool and (monitoring) the StorageClass", () => {
            for (const g of stacks.all) {
                const argo = release(g, "argocd").opts.dependsOn;
                const mon = release(g, "kube-prometheus-stack").opts.dependsOn;
                expect(argo.some((d) => d.includes("kube-prometheus-stack") || d.includes("monitoring"))).to.equal(false);
                expect(mon.some((d) => d.includes("argocd"))).to.equal(false);
                expect(mon).to.include(`kubernetes:storage.k8s.io/v1:StorageClass::gp3`);
                expect(mon).to.include(workloadNodePool(g));
                expect(mon).to.not.include.members(ingressController(g));
            }
        });

        it("lets the release namespaces go with the cluster on destroy", () => {
            for (const g of stacks.all) {
                // The application namespaces are not release namespaces: tests/tenants.test.ts.
                const namespaces = g.ofType("kubernetes:core/v1:Namespace").filter((n) => !n.name.startsWith("tenants-"));
                const optional = ["velero", "external-dns"].filter((name) => release(g, name) !== undefined);
                expect(namespaces.map((n) => n.inputs.metadata.name)).to.have.members(["argocd", "monitoring", "node-exporter", "external-secrets", "amazon-cloudwatch", ...optional]);
                for (const n of namespaces) expect(n.opts.deletedWith, n.name).to.equal(`aws:eks/cluster:Cluster::eks-${g.stack}`);
            }
        });

        it("creates no Ingress without a certificate, and exports no URL", () => {
            expect(stacks.dev.ofType("kubernetes:networking.k8s.io/v1:Ingress")).to.deep.equal([]);
            expect(stacks.dev.outputs.argocdUrl).to.equal(null);
            expect(stacks.dev.outputs.grafanaUrl).to.equal(null);
        });

        it("puts Argo CD and Grafana behind one shared HTTPS ALB when a certificate is configured", async () => {
            const g = await devWithOptionalFeatures();
            const ingresses = g.ofType("kubernetes:networking.k8s.io/v1:Ingress");
            expect(ingresses.map((i) => i.inputs.spec.rules[0].host)).to.have.members(["argocd.dev.example.com", "grafana.dev.example.com"]);
            for (const i of ingresses) {
                expect(i.inputs.spec.ingressClassName).to.equal("alb-internet-facing");
                expect(i.inputs.metadata.annotations).to.include({
                    "alb.ingress.kubernetes.io/group.name": "eks-dev-platform",
                    "alb.ingress.kubernetes.io/scheme": "internet-facing",
                    "alb.ingress.kubernetes.io/certificate-arn": CERT,
                    "alb.ingress.kubernetes.io/listen-ports": '[{"HTTPS":443}]',
                });
                expect(i.opts.dependsOn).to.include("kubernetes:helm.sh/v3:Release::eks-dev-aws-load-balancer-controller");
            }
            expect(g.outputs.argocdUrl).to.equal("https://argocd.dev.example.com");
            expect(g.outputs.grafanaUrl).to.equal("https://grafana.dev.example.com");
            expect(values(g, "argocd").global.domain).to.equal("argocd.dev.example.com");
        });

        it("exports the admin passwords as secrets", async () => {
            const { isSecret } = await import("@pulumi/pulumi");
            expect(await isSecret(stacks.dev.rawOutputs.argocdAdminPassword)).to.equal(true);
            expect(await isSecret(stacks.dev.rawOutputs.grafanaAdminPassword)).to.equal(true);
        });

        it("never puts a configured secret into any resource input in plain text", async () => {
            const secrets = CONFIGURED_SECRETS;
            const g = await prodWithoutCiWithSecrets();
            for (const [key, plaintext] of Object.entries(secrets) as [keyof typeof secrets, string][]) {
                const found = g.resources.flatMap((r) => occurrences(r.inputs, plaintext).map((o) => ({ ...o, where: `${r.type} ${r.name}` })));
                expect(found.filter((o) => !o.secret), plaintext).to.deep.equal([]);
                // Its own Kubernetes Secret (Grafana's admin, Alertmanager's config) must hold it; nothing else may.
                expect([...new Set(found.map((o) => o.where))], plaintext).to.deep.equal(SECRET_HOLDERS[key]);
            }
            expect(g.outputs.argocdAdminPassword).to.equal(secrets.argocdAdminPassword);
            expect(compareSync(secrets.argocdAdminPassword, reveal(release(g, "argocd").inputs.values).configs.secret.argocdServerAdminPassword)).to.equal(true);
        });
    });

    describe("against the upstream reference files", () => {
        before(function () {
            requireReference(this);
        });

        it("pins argo-cd and kube-prometheus-stack to the reference Chart.yaml versions", () => {
            expect(release(stacks.dev, "argocd").inputs.version).to.equal(referenceChartVersion("argo-cd"));
            expect(release(stacks.dev, "kube-prometheus-stack").inputs.version).to.equal(referenceChartVersion("kube-prometheus-stack"));
        });

        it("sets only values paths the charts' (and subcharts') values.yaml have, or document commented out and read in a template", () => {
            const KPS = `charts/kube-prometheus-stack-${CHARTS.kubePrometheusStack.version}`;
            const SUBCHARTS = ["grafana", "kube-state-metrics", "prometheus-node-exporter"];
            for (const g of stacks.all) {
                // redis-ha's own keys are checked against the subchart's values.yaml.
                const { enabled, ...redisHa } = values(g, "argocd")["redis-ha"];
                const argocd = { ...values(g, "argocd"), "redis-ha": { enabled } };
                expect(unknownValuesPaths(argocd, referenceYaml("argo-cd/values.yaml")), `${g.stack} argocd`).to.deep.equal([]);
                expect(unknownValuesPaths(redisHa, referenceYaml(`charts/argo-cd-${CHARTS.argoCd.version}/charts/redis-ha/values.yaml`)), `${g.stack} redis-ha`).to.deep.equal([]);
                const all = values(g, "kube-prometheus-stack");
                // A subchart's keys are checked against its own values.yaml; the parent's against the parent's.
                const parent = Object.fromEntries(Object.entries(all).filter(([k]) => !SUBCHARTS.includes(k)));
                const parentValues = referenceYaml(`${KPS}/values.yaml`);
                const unknown = unknownValuesPaths(parent, parentValues).filter((p) => !documentedCommentedOut(KPS, p));
                expect(unknown, `${g.stack} kube-prometheus-stack`).to.deep.equal([]);
                for (const sub of SUBCHARTS) {
                    // Known: the subchart's own values, or the parent's `<sub>.` keys (`grafana.enabled`, `grafana.defaultDashboardsEnabled`).
                    const own = referenceYaml(`${KPS}/charts/${sub}/values.yaml`);
                    const unknownSub = unknownValuesPaths(all[sub], own).filter((p) => !hasPath(parentValues[sub], p) && !documentedCommentedOut(`${KPS}/charts/${sub}`, p));
                    expect(unknownSub, `${g.stack} ${sub}`).to.deep.equal([]);
                }
            }
        });

        it("emits AppProjects and ApplicationSets that validate against the Argo CD CRDs", () => {
            const project = new CrdValidator("argo-cd/appproject-crd.yaml");
            const appSet = new CrdValidator("argo-cd/applicationset-crd.yaml");
            for (const g of stacks.all) {
                expect(project.errors(one(g, "AppProject").inputs), `${g.stack} AppProject`).to.deep.equal([]);
                expect(appSet.errors(one(g, "ApplicationSet").inputs), `${g.stack} ApplicationSet`).to.deep.equal([]);
            }
            const bad = one(stacks.prod, "ApplicationSet").inputs;
            expect(appSet.errors({ ...bad, spec: { ...bad.spec, template: { ...bad.spec.template, spec: { ...bad.spec.template.spec, syncPolicy: { automatic: {} } } } } })).to.not.be.empty;
        });
    });
});

import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse } from "yaml";
import { StackGraph, stackGraph } from "../../tooling/offline/harness";
import { helmTemplate, resolveChart } from "../../tooling/offline/helm";
import { requireReference } from "../support/reference";
import { RENDER_STACKS, maskGenerated, renderedStack } from "../support/render";
import { ReleaseSpec, kubeVersion, releaseSpecs } from "../../tooling/offline/render";
import { leafPaths, withoutPath } from "../support/render-checks";

/**
 * Keys set to the chart's default on purpose: each pins a behaviour the platform relies on, so a
 * chart upgrade that changes the default cannot change it silently.
 */
const PINNED_DEFAULTS: Record<string, string> = {
    "*:serviceAccount.create": "the Pod Identity association names this account; the chart must keep creating it",
    "karpenter:nodeSelector.kubernetes.io/os": "the chart's own default, repeated because setting nodeSelector replaces the whole map",
    "aws-load-balancer-controller:replicaCount": "two webhooks answer Service and Ingress admission in every environment",
    "aws-load-balancer-controller:createIngressClassResource": "the chart's `alb` class, internal through its IngressClassParams, is the default every Ingress falls back to",
    "aws-load-balancer-controller:ingressClass": "apps and the platform's internal Ingresses name the class `alb`",
    "aws-load-balancer-controller:ingressClassParams.create": "the params that force scheme internal must exist for the default class to point at",
    "external-secrets:installCRDs": "the release owns the External Secrets CRDs",
    "kube-prometheus-stack:crds.enabled": "the release owns the Prometheus Operator CRDs",
    "kube-prometheus-stack:crds.upgradeJob.forceConflicts": "the upgrade job must take the CRDs over from Helm",
    "kube-prometheus-stack:alertmanager.enabled": "alerts need Alertmanager",
    "kube-prometheus-stack:grafana.enabled": "the platform promises Grafana",
    "kube-prometheus-stack:prometheus.podDisruptionBudget.minAvailable": "replicas - 1: with two Prometheus replicas it equals the chart's 1, with three it does not",
    "kube-prometheus-stack:grafana.defaultDashboardsEnabled": "the platform promises the default dashboards",
    "kube-prometheus-stack:grafana.admin.userKey": "names the key of the grafana-admin Secret the program writes",
    "kube-prometheus-stack:grafana.admin.passwordKey": "names the key of the grafana-admin Secret the program writes",
    "external-dns:sources": "Ingress and Service host names are what external-dns publishes; a chart default change must not drop one",
    "velero:serviceAccount.server.create": "the Pod Identity association names this account; the chart must keep creating it",
    "argocd:crds.install": "the release owns the Argo CD CRDs",
    "argocd:crds.keep": "uninstalling must not delete every Application",
    "argocd:configs.cm.exec.enabled": "no shell into pods from the UI (security)",
    "argocd:configs.cm.admin.enabled": "the admin login is the only login until SSO exists",
    "argocd:controller.replicas": "one controller: sharding is not configured",
    "argocd:controller.pdb.enabled": "a PDB over one controller would block every drain",
    "argocd:server.service.type": "the UI is reached through the ALB Ingress only, never a LoadBalancer",
};

interface Use {
    graph: StackGraph;
    spec: ReleaseSpec;
    differsFromDefault: boolean;
    coveredByText: boolean;
}

interface KeyUse {
    release: string;
    key: string;
    /** The stacks' releases that set it, with the value there. */
    uses: Use[];
}

const templateText = new Map<string, string>();

/** Every template of a chart and its subcharts, as one text. */
function templatesOf(chartDir: string): string {
    if (!templateText.has(chartDir)) {
        const walk = (dir: string): string[] =>
            fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : /\.(ya?ml|tpl|txt)$/.test(e.name) && dir.includes("templates") ? [fs.readFileSync(path.join(dir, e.name), "utf8")] : []));
        templateText.set(chartDir, walk(chartDir).join("\n"));
    }
    return templateText.get(chartDir)!;
}

/** Do the templates read `.Values.<key>`, or a parent of it two or more levels deep (a subchart's key without its name)? */
function readsPath(templates: string, key: string[]): boolean {
    const candidates = [key, key.slice(1)].flatMap((k) => k.map((_, i) => k.slice(0, i + 1)).filter((p) => p.length >= Math.min(2, k.length)));
    return candidates.some((p) => new RegExp(`\\.Values\\.${p.map((s) => s.replace(/[.*+?^${}()|[\]\\/-]/g, "\\$&")).join("\\.")}(?![\\w-])`).test(templates));
}

const get = (o: any, keys: string[]) => keys.reduce((x, k) => (x && typeof x === "object" ? x[k] : undefined), o);

describe("Rendered manifests: every values key matters", () => {
    it("each key the program sets changes the rendered output in some stack, or pins a default on purpose", async function () {
        requireReference(this);
        this.timeout(120_000);
        const keys = new Map<string, KeyUse>();
        const baselines = new Map<string, string>();
        const setKeys = new Set<string>();
        const renderOf = (graph: StackGraph, spec: ReleaseSpec, values: Record<string, unknown>) => {
            const chart = resolveChart(spec);
            return helmTemplate({ ...spec, values, chartDir: chart.dir, kubeVersion: kubeVersion(graph) });
        };
        for (const stack of RENDER_STACKS) {
            const graph = await stackGraph(stack);
            for (const spec of releaseSpecs(graph)) {
                const chart = resolveChart(spec);
                const defaults = parse(fs.readFileSync(path.join(chart.dir, "values.yaml"), "utf8"));
                const baseline = (await renderedStack(graph)).releases.find((r) => r.resourceName === spec.resourceName)!.yaml;
                baselines.set(`${stack}:${spec.releaseName}`, baseline);
                for (const leaf of leafPaths(spec.values)) {
                    setKeys.add(`${spec.releaseName}:${leaf.join(".")}`);
                    const id = `${spec.releaseName}:${leaf.join(".")}`;
                    const value = get(spec.values, leaf);
                    const text = typeof value === "string" || typeof value === "number" ? String(value) : "";
                    const use = { graph, spec, differsFromDefault: JSON.stringify(get(defaults, leaf)) !== JSON.stringify(value), coveredByText: false };
                    // Evidently used, without a render of its own: a value that is not the default and either
                    // shows up in the output, or sits at (or under) a path the templates read directly.
                    use.coveredByText = use.differsFromDefault && ((text.length >= 4 && baseline.includes(text)) || readsPath(templatesOf(chart.dir), leaf));
                    if (!keys.has(id)) keys.set(id, { release: spec.releaseName, key: leaf.join("."), uses: [] });
                    keys.get(id)!.uses.push(use);
                }
            }
        }

        const pinned = (k: KeyUse) => PINNED_DEFAULTS[`${k.release}:${k.key}`] ?? PINNED_DEFAULTS[`*:${k.key}`];
        const toRender: { k: KeyUse; candidates: Use[] }[] = [];
        const unused: string[] = [];
        for (const k of keys.values()) {
            if (pinned(k) || k.uses.some((u) => u.coveredByText)) continue;
            const candidates = k.uses.filter((u) => u.differsFromDefault);
            if (candidates.length === 0) unused.push(`${k.release}: ${k.key} is the chart's default in every stack`);
            else toRender.push({ k, candidates });
        }
        // Renders without each remaining key, a few at a time.
        if (process.env.DEBUG_VALUES_TEST) console.log(toRender.map((t) => `${t.k.release}:${t.k.key}`));
        const limit = Math.max(2, os.cpus().length);
        for (let i = 0; i < toRender.length; i += limit) {
            await Promise.all(
                toRender.slice(i, i + limit).map(async ({ k, candidates }) => {
                    for (const use of candidates) {
                        const without = await renderOf(use.graph, use.spec, withoutPath(use.spec.values, k.key.split(".")));
                        if (maskGenerated(without) !== maskGenerated(baselines.get(`${use.graph.stack}:${k.release}`)!)) return;
                    }
                    unused.push(`${k.release}: ${k.key} changes nothing in ${candidates.map((u) => u.graph.stack).join(", ")}`);
                }),
            );
        }
        expect(unused).to.deep.equal([]);
        // Every pinned default is still set somewhere (stale entries would hide a future mistake).
        const set = [...setKeys];
        for (const entry of Object.keys(PINNED_DEFAULTS)) {
            const [release, key] = entry.split(/:(.*)/s);
            expect(set.some((s) => (release === "*" ? s.endsWith(`:${key}`) : s === entry)), entry).to.equal(true);
        }
    });
});

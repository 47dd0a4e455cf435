import type { K8sObject } from "../../tooling/offline/render";

/** Checks over rendered manifests. Each returns problems as sentences; empty means fine. */

const WORKLOAD_KINDS = ["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "CronJob"];

export interface PodTemplate {
    owner: K8sObject;
    namespace: string;
    labels: Record<string, string>;
    spec: any;
    /** Replicas the owner asks for (DaemonSets and Jobs count as 1). */
    replicas: number;
}

/** The pod template of every workload object. */
export function podTemplates(objects: K8sObject[]): PodTemplate[] {
    return objects
        .filter((o) => WORKLOAD_KINDS.includes(o.kind))
        .map((o) => {
            const template = o.kind === "CronJob" ? o.spec.jobTemplate.spec.template : o.spec.template;
            return {
                owner: o,
                namespace: o.metadata.namespace ?? "default",
                labels: template.metadata?.labels ?? {},
                spec: template.spec,
                replicas: ["Deployment", "StatefulSet", "ReplicaSet"].includes(o.kind) ? (o.spec.replicas ?? 1) : 1,
            };
        });
}

export const describeObject = (o: K8sObject) => `${o.kind} ${o.metadata.namespace ? `${o.metadata.namespace}/` : ""}${o.metadata.name}`;

/** Does a label selector (`matchLabels`/`matchExpressions`, or a plain map for Services) select `labels`? */
export function selects(selector: any, labels: Record<string, string>): boolean {
    if (!selector) return false;
    const matchLabels: Record<string, string> = selector.matchLabels ?? (selector.matchExpressions ? {} : selector);
    if (!Object.entries(matchLabels).every(([k, v]) => labels[k] === v)) return false;
    return (selector.matchExpressions ?? []).every((e: any) => {
        const has = e.key in labels;
        switch (e.operator) {
            case "In":
                return has && e.values.includes(labels[e.key]);
            case "NotIn":
                return !has || !e.values.includes(labels[e.key]);
            case "Exists":
                return has;
            case "DoesNotExist":
                return !has;
            default:
                return false;
        }
    });
}

/** Both directions between Pod Identity associations and the service accounts pods run as. */
export function podIdentityProblems(objects: K8sObject[], associations: { namespace: string; serviceAccount: string }[], awsCallers: { namespace: string; name: string }[]): string[] {
    const problems: string[] = [];
    const templates = podTemplates(objects);
    const accounts = objects.filter((o) => o.kind === "ServiceAccount");
    for (const a of associations) {
        if (!accounts.some((s) => s.metadata.name === a.serviceAccount && s.metadata.namespace === a.namespace)) {
            problems.push(`Pod Identity association for ${a.namespace}/${a.serviceAccount}: no such ServiceAccount is rendered`);
        } else if (!templates.some((t) => t.namespace === a.namespace && t.spec.serviceAccountName === a.serviceAccount)) {
            problems.push(`Pod Identity association for ${a.namespace}/${a.serviceAccount}: no pod runs as it`);
        }
    }
    for (const c of awsCallers) {
        const workload = templates.find((t) => t.namespace === c.namespace && t.owner.metadata.name === c.name);
        if (!workload) problems.push(`${c.namespace}/${c.name} calls AWS but is not rendered`);
        else if (!associations.some((a) => a.namespace === c.namespace && a.serviceAccount === workload.spec.serviceAccountName)) {
            problems.push(`${describeObject(workload.owner)} runs as ${workload.spec.serviceAccountName ?? "default"}, which has no Pod Identity association`);
        }
    }
    return problems;
}

/** Pods and Services that exist in the cluster without being rendered (EKS add-ons, operator-made). */
export interface OutsideTargets {
    pods: { namespace: string; labels: Record<string, string>; why: string }[];
    services: { namespace: string; labels: Record<string, string>; ports: string[]; why: string }[];
}

/** Pods the Prometheus Operator creates for each Prometheus and Alertmanager object. */
function operatorPods(objects: K8sObject[]): { namespace: string; labels: Record<string, string> }[] {
    return objects
        .filter((o) => o.kind === "Prometheus" || o.kind === "Alertmanager")
        .map((o) => {
            const app = o.kind.toLowerCase();
            return { namespace: o.metadata.namespace!, labels: { "app.kubernetes.io/name": app, [app]: o.metadata.name, "operator.prometheus.io/name": o.metadata.name } };
        });
}

/** PodMonitors and ServiceMonitors must find a target with the named port, and a Prometheus must select them. */
export function monitorProblems(objects: K8sObject[], outside: OutsideTargets = { pods: [], services: [] }): string[] {
    const problems: string[] = [];
    const templates = podTemplates(objects);
    const pods = [...templates.map((t) => ({ namespace: t.namespace, labels: t.labels })), ...operatorPods(objects), ...outside.pods];
    const services = [
        ...objects.filter((o) => o.kind === "Service").map((s) => ({ what: describeObject(s), namespace: s.metadata.namespace!, labels: s.metadata.labels ?? {}, selector: s.spec.selector, ports: (s.spec.ports ?? []).map((p: any) => p.name) })),
        ...outside.services.map((s) => ({ what: `Service ${s.namespace} (${s.why})`, namespace: s.namespace, labels: s.labels, selector: undefined, ports: s.ports })),
    ];
    const prometheuses = objects.filter((o) => o.kind === "Prometheus");
    const inNamespaces = (monitor: K8sObject, namespace: string) =>
        monitor.spec.namespaceSelector?.any === true || (monitor.spec.namespaceSelector?.matchNames ?? [monitor.metadata.namespace]).includes(namespace);
    for (const m of objects.filter((o) => o.kind === "PodMonitor" || o.kind === "ServiceMonitor")) {
        const endpoints: any[] = m.kind === "PodMonitor" ? (m.spec.podMetricsEndpoints ?? []) : (m.spec.endpoints ?? []);
        if (m.kind === "PodMonitor") {
            const selected = templates.filter((t) => inNamespaces(m, t.namespace) && selects(m.spec.selector, t.labels));
            if (selected.length === 0) problems.push(`${describeObject(m)} selects no pods`);
            for (const e of endpoints.filter((e) => e.port)) {
                for (const t of selected) {
                    const ports = (t.spec.containers ?? []).flatMap((c: any) => (c.ports ?? []).map((p: any) => p.name));
                    if (!ports.includes(e.port)) problems.push(`${describeObject(m)}: ${describeObject(t.owner)} has no container port named ${e.port} (has ${ports.join(", ") || "none"})`);
                }
            }
        } else {
            const matching = services.filter((s) => inNamespaces(m, s.namespace) && selects(m.spec.selector, s.labels));
            if (matching.length === 0) problems.push(`${describeObject(m)} selects no Service`);
            // As Prometheus does: a selected Service without the named port contributes no target; only a
            // port that no selected Service has means the endpoint scrapes nothing.
            for (const e of endpoints.filter((e) => e.port && !matching.some((s) => s.ports.includes(e.port)))) {
                problems.push(`${describeObject(m)}: no selected Service (${matching.map((s) => s.what).join(", ")}) has a port named ${e.port}`);
            }
            for (const s of matching) {
                if (s.selector && !pods.some((p) => p.namespace === s.namespace && selects(s.selector, p.labels))) {
                    problems.push(`${describeObject(m)}: ${s.what} selects no pods, on EKS its target cannot exist`);
                }
            }
        }
        const kind = m.kind === "PodMonitor" ? "podMonitor" : "serviceMonitor";
        const scraped = prometheuses.some((p) => {
            const nsSelector = p.spec[`${kind}NamespaceSelector`];
            const nsOk = nsSelector === undefined ? m.metadata.namespace === p.metadata.namespace : Object.keys(nsSelector).length === 0 || nsSelector.matchNames?.includes(m.metadata.namespace);
            const selector = p.spec[`${kind}Selector`];
            return nsOk && selector !== undefined && (Object.keys(selector).length === 0 || selects(selector, m.metadata.labels ?? {}));
        });
        if (!scraped) problems.push(`${describeObject(m)}: no Prometheus selects it`);
    }
    return problems;
}

/** Alert rules whose expression needs a scrape job named in `jobs`. */
export function rulesOnJobs(objects: K8sObject[], jobs: string[]): string[] {
    return objects
        .filter((o) => o.kind === "PrometheusRule")
        .flatMap((r) => (r.spec.groups ?? []).flatMap((g: any) => (g.rules ?? []).map((rule: any) => ({ r, rule }))))
        .filter(({ rule }) => rule.alert && jobs.some((j) => new RegExp(`job=~?"${j}"`).test(String(rule.expr))))
        .map(({ r, rule }) => `${describeObject(r)}: alert ${rule.alert} needs a target EKS does not expose`);
}

export interface Placement {
    /** The system nodes' label and the taint their pods tolerate. */
    systemLabel: { key: string; value: string };
    workloadLabel: { key: string; value: string };
    systemTaintKey: string;
}

const tolerates = (spec: any, taintKey: string) => (spec.tolerations ?? []).some((t: any) => t.key === taintKey || (t.operator === "Exists" && !t.key));

/**
 * System-node pods tolerate the taint and select the system label; every other pod selects the
 * workload label and does not tolerate the taint. DaemonSets (per-node agents) are exempt.
 */
export function placementProblems(objects: K8sObject[], p: Placement, systemWorkloads: (t: PodTemplate) => boolean): string[] {
    const problems: string[] = [];
    for (const t of podTemplates(objects).filter((t) => t.owner.kind !== "DaemonSet")) {
        const selector = t.spec.nodeSelector ?? {};
        const tolerant = tolerates(t.spec, p.systemTaintKey);
        const what = describeObject(t.owner);
        if (systemWorkloads(t)) {
            if (!tolerant) problems.push(`${what} belongs on the system nodes but does not tolerate ${p.systemTaintKey}`);
            if (selector[p.systemLabel.key] !== p.systemLabel.value) problems.push(`${what} belongs on the system nodes but does not select ${p.systemLabel.key}=${p.systemLabel.value}`);
        } else {
            if (tolerant) problems.push(`${what} tolerates the system taint but is not a system controller`);
            if (selector[p.workloadLabel.key] !== p.workloadLabel.value) problems.push(`${what} does not select ${p.workloadLabel.key}=${p.workloadLabel.value}`);
        }
    }
    for (const o of objects.filter((o) => o.kind === "Prometheus" || o.kind === "Alertmanager")) {
        if (o.spec.nodeSelector?.[p.workloadLabel.key] !== p.workloadLabel.value) problems.push(`${describeObject(o)} does not select ${p.workloadLabel.key}=${p.workloadLabel.value}`);
    }
    return problems;
}

/** Every PDB must allow at least one eviction; every multi-replica workload needs a PDB. */
export function disruptionProblems(objects: K8sObject[]): string[] {
    const problems: string[] = [];
    // The operator's Prometheus and Alertmanager pods count like a workload's (their PDBs come from the chart).
    const operated = objects
        .filter((o) => o.kind === "Prometheus" || o.kind === "Alertmanager")
        .map((o, i) => ({ owner: o, namespace: o.metadata.namespace!, labels: operatorPods([o])[0].labels, spec: {}, replicas: o.spec.replicas ?? 1 }) as PodTemplate);
    const templates = [...podTemplates(objects), ...operated];
    const pdbs = objects.filter((o) => o.kind === "PodDisruptionBudget");
    for (const pdb of pdbs) {
        const covered = templates.filter((t) => t.namespace === pdb.metadata.namespace && selects(pdb.spec.selector, t.labels));
        if (covered.length === 0) {
            problems.push(`${describeObject(pdb)} selects no pods`);
            continue;
        }
        const pods = covered.reduce((n, t) => n + t.replicas, 0);
        const allowed = pdb.spec.maxUnavailable !== undefined ? amount(pdb.spec.maxUnavailable, pods, "down") : pods - amount(pdb.spec.minAvailable, pods, "up");
        if (pods >= 1 && allowed < 1) problems.push(`${describeObject(pdb)} allows no disruption over ${pods} pod(s) (${covered.map((t) => describeObject(t.owner)).join(", ")}); a drain would block forever`);
    }
    for (const t of templates.filter((t) => t.replicas >= 2)) {
        if (!pdbs.some((pdb) => pdb.metadata.namespace === t.namespace && selects(pdb.spec.selector, t.labels))) problems.push(`${describeObject(t.owner)} runs ${t.replicas} replicas without a PodDisruptionBudget`);
    }
    return problems;
}

function amount(value: number | string, total: number, round: "up" | "down"): number {
    if (typeof value === "number") return value;
    const percent = (Number(value.replace("%", "")) * total) / 100;
    return round === "up" ? Math.ceil(percent) : Math.floor(percent);
}

export interface HygieneAllowance {
    /** `Kind namespace/name` of the workload. */
    workload: string;
    hostNetwork?: boolean;
    privileged?: boolean;
    /** Why it needs it. */
    reason: string;
}

/** Requests on every container, pinned images, no privileged or host-network pods beyond the allowances. */
export function hygieneProblems(objects: K8sObject[], allowed: HygieneAllowance[]): string[] {
    const problems: string[] = [];
    for (const t of podTemplates(objects)) {
        const what = describeObject(t.owner);
        const allowance = allowed.find((a) => a.workload === what);
        if (t.spec.hostNetwork && !allowance?.hostNetwork) problems.push(`${what} uses the host network`);
        for (const c of [...(t.spec.initContainers ?? []), ...(t.spec.containers ?? [])]) {
            if (!c.resources?.requests?.cpu || !c.resources?.requests?.memory) problems.push(`${what}: container ${c.name} has no cpu and memory requests`);
            const image = String(c.image ?? "");
            const tag = /@sha256:/.test(image) ? "digest" : /:([^/:]+)$/.exec(image)?.[1];
            if (!tag || tag === "latest") problems.push(`${what}: container ${c.name} image ${image} is not pinned`);
            if (c.securityContext?.privileged && !allowance?.privileged) problems.push(`${what}: container ${c.name} is privileged`);
        }
    }
    return problems;
}

/** Registries that limit anonymous pulls per source address (every node shares the NAT's): Docker Hub. */
const RATE_LIMITED = /^(docker\.io|index\.docker\.io|registry-1\.docker\.io)\//;
/** The stack's ECR pull-through cache of Docker Hub: `<account>.dkr.ecr.<region>.amazonaws.com/docker-hub-<env>/…`. */
export const DOCKER_HUB_CACHE = /^\d{12}\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com(\.cn)?\/docker-hub-[a-z0-9-]+\//;

/** `helm test` pods: rendered by `helm template`, never created by the program. */
const isHelmTest = (o: K8sObject) => /\btest\b|test-success/.test(String(o.metadata.annotations?.["helm.sh/hook"] ?? ""));

/** An image reference with its implicit registry spelled out (`busybox:1` → `docker.io/library/busybox:1`). */
export function fullImage(image: string): string {
    const first = image.split("/")[0];
    if (image.includes("/") && (first.includes(".") || first.includes(":") || first === "localhost")) return image;
    return `docker.io/${image.includes("/") ? image : `library/${image}`}`;
}

/** Every container image of every workload and pod, with the object it is in (helm test pods left out). */
export function containerImages(objects: K8sObject[]): { what: string; image: string }[] {
    const pods = objects.filter((o) => o.kind === "Pod" && !isHelmTest(o)).map((o) => ({ what: describeObject(o), spec: o.spec }));
    return [...podTemplates(objects).map((t) => ({ what: describeObject(t.owner), spec: t.spec })), ...pods].flatMap(({ what, spec }) =>
        [...(spec.initContainers ?? []), ...(spec.containers ?? [])].map((c: any) => ({ what: `${what}: container ${c.name}`, image: fullImage(String(c.image ?? "")) })),
    );
}

/** Images pulled straight from a rate-limited registry instead of through the stack's cache. */
export function rateLimitedImageProblems(objects: K8sObject[]): string[] {
    return containerImages(objects)
        .filter((i) => RATE_LIMITED.test(i.image))
        .map((i) => `${i.what} pulls ${i.image} from Docker Hub directly; pull it through the stack's ECR cache (components/shared/image-mirror.ts)`);
}

/** Long-running containers (not Jobs) without a memory limit: one leak takes the node's memory from everyone. */
export function memoryLimitProblems(objects: K8sObject[]): string[] {
    return podTemplates(objects)
        .filter((t) => !["Job", "CronJob"].includes(t.owner.kind))
        .flatMap((t) => [...(t.spec.initContainers ?? []), ...(t.spec.containers ?? [])].filter((c: any) => !c.resources?.limits?.memory).map((c: any) => `${describeObject(t.owner)}: container ${c.name} has no memory limit`));
}

/** Leaf paths of a values tree (lists count as leaves). */
export function leafPaths(values: unknown, prefix: string[] = []): string[][] {
    if (values && typeof values === "object" && !Array.isArray(values) && Object.keys(values).length > 0) {
        return Object.entries(values as Record<string, unknown>).flatMap(([k, v]) => leafPaths(v, [...prefix, k]));
    }
    return prefix.length > 0 ? [prefix] : [];
}

/** A copy of `values` without the leaf at `keys`. */
export function withoutPath(values: Record<string, unknown>, keys: string[]): Record<string, unknown> {
    const [head, ...rest] = keys;
    if (rest.length === 0) {
        const { [head]: _, ...others } = values;
        return others;
    }
    return { ...values, [head]: withoutPath(values[head] as Record<string, unknown>, rest) };
}

const READS = ["get", "list", "watch", "*"];

/** `namespace/name` of every service account a ClusterRoleBinding lets read Secrets in every namespace. */
export function clusterWideSecretReaders(objects: K8sObject[]): string[] {
    const readsSecrets = (role: K8sObject | undefined) =>
        (role?.rules ?? []).some(
            (r: any) =>
                (r.apiGroups ?? []).some((g: string) => g === "" || g === "*") &&
                (r.resources ?? []).some((res: string) => res === "secrets" || res === "*") &&
                (r.verbs ?? []).some((v: string) => READS.includes(v)),
        );
    const clusterRoles = new Map(objects.filter((o) => o.kind === "ClusterRole").map((o) => [o.metadata.name, o]));
    const readers = objects
        .filter((b) => b.kind === "ClusterRoleBinding" && b.roleRef?.kind === "ClusterRole" && readsSecrets(clusterRoles.get(b.roleRef.name)))
        .flatMap((b) => (b.subjects ?? []).filter((s: any) => s.kind === "ServiceAccount").map((s: any) => `${s.namespace}/${s.name}`));
    return [...new Set(readers)].sort();
}

import { quotaAmount } from "../../components/platform/tenants/quota";
import type { K8sObject } from "../../tooling/offline/render";

/** Whether `o` is an application namespace (the label the network and admission policies select by). */
export const isApplicationNamespace = (o: K8sObject): boolean => o.kind === "Namespace" && o.metadata.labels?.["eks-platform/tenant"] === "application";

type GroupKind = { group: string; kind: string };

/** Argo CD's glob match of one list entry (`*` for any run of characters). */
const matches = (pattern: string, value: string) => new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*")}$`).test(value);
const listed = (list: GroupKind[] | undefined, gk: GroupKind) => (list ?? []).some((e) => matches(e.group, gk.group) && matches(e.kind, gk.kind));

/**
 * Argo CD's AppProject.IsGroupKindPermitted: a namespaced kind passes an absent whitelist, a cluster-scoped one
 * only a whitelist naming it; a blacklist entry refuses either.
 */
export function projectPermits(spec: any, gk: GroupKind, namespaced: boolean): boolean {
    const [white, black] = namespaced ? [spec.namespaceResourceWhitelist, spec.namespaceResourceBlacklist] : [spec.clusterResourceWhitelist, spec.clusterResourceBlacklist];
    const whitelisted = namespaced && white === undefined ? true : (white ?? []).length > 0 && listed(white, gk);
    return whitelisted && !listed(black, gk);
}

/** `group` of an apiVersion (`apps/v1` → `apps`, `v1` → the core group ""). */
export const groupOf = (apiVersion: string): string => (apiVersion.includes("/") ? apiVersion.split("/")[0] : "");

/** One container's requests and limits after the LimitRanger admission plugin filled in what it leaves out. */
export function admittedResources(container: any, limitRange: K8sObject): { requests: Record<string, string>; limits: Record<string, string> } {
    const defaults = limitRange.spec.limits.find((l: any) => l.type === "Container");
    const limits = { ...defaults.default, ...(container.resources?.limits ?? {}) };
    // A container with a limit and no request gets the limit as its request, else the LimitRange's default request.
    const requests = { ...defaults.defaultRequest, ...(container.resources?.limits ?? {}), ...(container.resources?.requests ?? {}) };
    return { requests, limits };
}

/** A quota quantity in the unit `quotaAmount` uses (millicores, MiB, objects). */
export const amount = (resource: string, value: string): number => {
    const unit = resource.endsWith("cpu") ? "requests.cpu" : resource.endsWith("memory") || resource.endsWith("storage") ? "requests.memory" : "pods";
    const n = quotaAmount(unit, value);
    if (n === undefined) throw new Error(`${resource}: cannot read ${value}`);
    return n;
};

/** The most pods a workload runs at once: the HPA's maximum (else its replicas) plus a rolling update's surge. */
function peakPods(owner: K8sObject, objects: K8sObject[]): number {
    const hpa = objects.find((o) => o.kind === "HorizontalPodAutoscaler" && o.spec.scaleTargetRef.kind === owner.kind && o.spec.scaleTargetRef.name === owner.metadata.name);
    const replicas = hpa ? hpa.spec.maxReplicas : (owner.spec.replicas ?? 1);
    if (owner.kind !== "Deployment") return replicas;
    const surge = String(owner.spec.strategy?.rollingUpdate?.maxSurge ?? "25%");
    return replicas + (surge.endsWith("%") ? Math.ceil((replicas * Number(surge.slice(0, -1))) / 100) : Number(surge));
}

/**
 * What of `objects` (one namespace's manifests) the namespace's quota would refuse, with the LimitRange's defaults
 * filled in and every workload at its peak; empty when all of it fits at once.
 */
export function quotaProblems(objects: K8sObject[], quota: Record<string, string>, limitRange: K8sObject): string[] {
    const used: Record<string, number> = {};
    const add = (resource: string, n: number) => (used[resource] = (used[resource] ?? 0) + n);
    for (const owner of objects.filter((o) => ["Deployment", "StatefulSet", "Job", "CronJob"].includes(o.kind))) {
        const spec = owner.kind === "CronJob" ? owner.spec.jobTemplate.spec.template.spec : owner.spec.template.spec;
        const pods = peakPods(owner, objects);
        add("pods", pods);
        // Init containers run before the others: a pod needs the larger of the two.
        const per = (side: "requests" | "limits", kind: string) => {
            const of = (cs: any[] = []) => cs.map((c) => amount(kind, admittedResources(c, limitRange)[side][kind]));
            return Math.max(of(spec.containers).reduce((a, b) => a + b, 0), ...of(spec.initContainers));
        };
        for (const side of ["requests", "limits"] as const) for (const kind of ["cpu", "memory"]) add(`${side}.${kind}`, pods * per(side, kind));
    }
    for (const s of objects.filter((o) => o.kind === "Service")) {
        if (s.spec.type === "LoadBalancer") add("services.loadbalancers", 1);
        if (s.spec.type === "NodePort" || s.spec.type === "LoadBalancer") add("services.nodeports", 1);
    }
    for (const pvc of objects.filter((o) => o.kind === "PersistentVolumeClaim")) {
        add("persistentvolumeclaims", 1);
        add("requests.storage", amount("storage", pvc.spec.resources.requests.storage));
    }
    return Object.entries(used)
        .filter(([resource, n]) => n > amount(resource, quota[resource] ?? "0"))
        .map(([resource, n]) => `${resource}: needs ${n} at peak, quota ${quota[resource] ?? "none"}`);
}

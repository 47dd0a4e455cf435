/** Each application namespace's ResourceQuota and LimitRange, as plain data, and the quantities they are sized in. */
import { mebibytes } from "../../shared/quantity";

/** How a quota resource is measured: CPU (cores or millicores), bytes (Mi/Gi/Ti), or a count of objects. */
const QUOTA_UNITS = {
    "requests.cpu": "cpu",
    "limits.cpu": "cpu",
    "requests.memory": "bytes",
    "limits.memory": "bytes",
    "requests.storage": "bytes",
    pods: "count",
    persistentvolumeclaims: "count",
} as const;

/** The quota resources config may size (config key `tenantQuota`). */
export type QuotaResource = keyof typeof QUOTA_UNITS;
export const QUOTA_RESOURCES = Object.keys(QUOTA_UNITS) as QuotaResource[];

/** One application namespace's quota: every configurable resource, as a Kubernetes quantity. */
export type TenantQuota = Record<QuotaResource, string>;

/**
 * A namespace's quota unless `tenantQuota` says otherwise: room for a service of a few dozen pods. Three such
 * namespaces request 12 vCPUs, inside the default NodePool's 20 (`karpenterCpuLimit`).
 */
export const DEFAULT_TENANT_QUOTA: TenantQuota = {
    "requests.cpu": "4",
    "requests.memory": "8Gi",
    "limits.cpu": "8",
    "limits.memory": "16Gi",
    pods: "40",
    persistentvolumeclaims: "10",
    "requests.storage": "100Gi",
};

/**
 * Always zero, not configurable: applications are reached through the shared ALB (an Ingress); a
 * LoadBalancer Service would open a load balancer of its own outside the WAF, a NodePort a port on every node.
 */
export const CLOSED_SERVICE_TYPES = { "services.loadbalancers": "0", "services.nodeports": "0" } as const;

/**
 * What a container that says nothing gets (LimitRange `default` and `defaultRequest`): once a quota tracks
 * CPU and memory, the API server refuses pods without requests and limits; these let them schedule anyway.
 */
export const CONTAINER_DEFAULTS = {
    defaultRequest: { cpu: "100m", memory: "128Mi" },
    default: { cpu: "500m", memory: "512Mi" },
} as const;

const CPU = /^([0-9]+)(m?)$/;

/**
 * `value` of `resource` in one unit (millicores, MiB, or objects); undefined when it is not of the form
 * config accepts (see `quotaForm`).
 */
export function quotaAmount(resource: QuotaResource, value: string): number | undefined {
    switch (QUOTA_UNITS[resource]) {
        case "cpu": {
            const m = CPU.exec(value);
            return m ? Number(m[1]) * (m[2] ? 1 : 1000) : undefined;
        }
        case "bytes":
            return /^[0-9]+(Mi|Gi|Ti)$/.test(value) ? mebibytes(value) : undefined;
        case "count":
            return /^[0-9]+$/.test(value) ? Number(value) : undefined;
    }
}

/** The form `resource` takes, in words. */
export function quotaForm(resource: QuotaResource): string {
    return { cpu: "cores or millicores, e.g. 4 or 500m", bytes: "Mi, Gi or Ti, e.g. 8Gi", count: "a whole number" }[QUOTA_UNITS[resource]];
}

export function resourceQuota(namespace: string, quota: TenantQuota) {
    return {
        apiVersion: "v1" as const,
        kind: "ResourceQuota" as const,
        metadata: { name: "tenant-quota", namespace },
        spec: { hard: { ...quota, ...CLOSED_SERVICE_TYPES } },
    };
}

export function limitRange(namespace: string) {
    return {
        apiVersion: "v1" as const,
        kind: "LimitRange" as const,
        metadata: { name: "container-defaults", namespace },
        spec: { limits: [{ type: "Container", default: { ...CONTAINER_DEFAULTS.default }, defaultRequest: { ...CONTAINER_DEFAULTS.defaultRequest } }] },
    };
}

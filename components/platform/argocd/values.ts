import * as pulumi from "@pulumi/pulumi";
import { ZONE_LABEL, onWorkloadNodes, zoneSpread } from "../../shared/placement";

export interface ArgoCdValuesArgs {
    /** HA-sized (prod) or single replicas (dev). */
    highAvailability: boolean;
    /** bcrypt hash of the admin password (a secret). */
    adminPasswordHash: pulumi.Input<string>;
    /**
     * When the admin password was set (RFC 3339), kept in state: Argo CD ends sessions issued before
     * it, so a value taken at render time would log every admin out at each upgrade.
     */
    adminPasswordSetAt: pulumi.Input<string>;
    /** Public host name, when the UI has an Ingress. */
    hostname?: string;
}

const WORKLOAD_NODES = onWorkloadNodes().nodeSelector;

/** argo-cd chart values: paths exist in the chart's values.yaml (tests check against the reference). */
export function argoCdValues(a: ArgoCdValuesArgs) {
    const ha = a.highAvailability;
    const replicas = ha ? 2 : 1;
    const pdb = { enabled: ha, minAvailable: 1 };
    // The chart fills in each component's own labelSelector; one zone's loss leaves a replica elsewhere.
    const topologySpreadConstraints = ha ? zoneSpread() : [];
    const resources = (cpu: string, memory: string, memoryLimit = memory) => ({ requests: { cpu, memory }, limits: { memory: memoryLimit } });
    return {
        crds: { install: true, keep: true },
        global: {
            ...(a.hostname ? { domain: a.hostname } : {}),
            // Karpenter nodes, never the tainted system nodes.
            nodeSelector: WORKLOAD_NODES,
            // The VPC CNI enforces NetworkPolicies, and the program's own (components/shared/network-policy.ts)
            // are the one source for every platform namespace: the chart's would be a second, overlapping set.
            networkPolicy: { create: false },
        },
        configs: {
            cm: { "exec.enabled": false, "admin.enabled": true },
            secret: { argocdServerAdminPassword: a.adminPasswordHash, argocdServerAdminPasswordMtime: a.adminPasswordSetAt },
        },
        // One replica (sharding is not configured), so a PDB could only block node drains.
        // A small (non-HA) install syncs few apps: it requests half, with the same ceiling.
        controller: { replicas: 1, pdb: { enabled: false }, resources: resources("250m", ha ? "1Gi" : "512Mi", "1Gi"), metrics: { enabled: true } },
        server: { replicas, pdb, topologySpreadConstraints, resources: resources("100m", "256Mi"), metrics: { enabled: true }, service: { type: "ClusterIP" } },
        repoServer: { replicas, pdb, topologySpreadConstraints, resources: resources("100m", ha ? "512Mi" : "256Mi", "512Mi"), metrics: { enabled: true } },
        applicationSet: { replicas, pdb, topologySpreadConstraints, resources: resources("50m", "128Mi"), metrics: { enabled: true } },
        // No notification service is configured, and with cluster roles the controller lists every Secret in the cluster.
        notifications: { enabled: false },
        // SSO is not configured, so Dex would be an idle attack surface.
        dex: { enabled: false },
        // Single-node Redis; the chart leaves it out by itself when redis-ha is on.
        redis: { resources: resources("50m", "64Mi") },
        redisSecretInit: { resources: resources("10m", "32Mi") },
        "redis-ha": ha ? redisHa(resources) : { enabled: false },
    };
}

/** Three Redis servers with Sentinel behind three HAProxies, on workload nodes, one of each evictable at a time. */
function redisHa(resources: (cpu: string, memory: string) => object) {
    return {
        enabled: true,
        nodeSelector: WORKLOAD_NODES,
        podDisruptionBudget: { maxUnavailable: 1 },
        // Hard: a Sentinel quorum (and the HAProxies in front) must never sit in a single zone.
        topologySpreadConstraints: { enabled: true, maxSkew: 1, topologyKey: ZONE_LABEL, whenUnsatisfiable: "DoNotSchedule" },
        init: { resources: resources("10m", "32Mi") },
        redis: { resources: resources("50m", "128Mi") },
        sentinel: { resources: resources("10m", "32Mi") },
        splitBrainDetection: { resources: resources("10m", "32Mi") },
        haproxy: {
            podDisruptionBudget: { maxUnavailable: 1 },
            resources: resources("50m", "64Mi"),
            init: { resources: resources("10m", "32Mi") },
        },
    };
}

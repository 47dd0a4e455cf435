import * as pulumi from "@pulumi/pulumi";
import { onWorkloadNodes } from "../../shared/placement";

export interface ArgoCdValuesArgs {
    /** HA-sized (prod) or single replicas (dev). */
    highAvailability: boolean;
    /** bcrypt hash of the admin password (a secret). */
    adminPasswordHash: pulumi.Input<string>;
    /** Public host name, when the UI has an Ingress. */
    hostname?: string;
}

const WORKLOAD_NODES = onWorkloadNodes().nodeSelector;

/** argo-cd chart values: paths exist in the chart's values.yaml (tests check against the reference). */
export function argoCdValues(a: ArgoCdValuesArgs) {
    const ha = a.highAvailability;
    const replicas = ha ? 2 : 1;
    const pdb = { enabled: ha, minAvailable: 1 };
    const resources = (cpu: string, memory: string) => ({ requests: { cpu, memory }, limits: { memory } });
    return {
        crds: { install: true, keep: true },
        global: {
            ...(a.hostname ? { domain: a.hostname } : {}),
            // Karpenter nodes, never the tainted system nodes.
            nodeSelector: WORKLOAD_NODES,
        },
        configs: {
            cm: { "exec.enabled": false, "admin.enabled": true },
            secret: { argocdServerAdminPassword: a.adminPasswordHash },
        },
        controller: { replicas: 1, pdb, resources: resources("250m", "1Gi"), metrics: { enabled: true } },
        server: { replicas, pdb, resources: resources("100m", "256Mi"), metrics: { enabled: true }, service: { type: "ClusterIP" } },
        repoServer: { replicas, pdb, resources: resources("100m", "512Mi"), metrics: { enabled: true } },
        applicationSet: { replicas, pdb, resources: resources("50m", "128Mi"), metrics: { enabled: true } },
        // SSO is not configured, so Dex would be an idle attack surface.
        dex: { enabled: false },
        redis: { enabled: !ha },
        "redis-ha": { enabled: ha },
    };
}

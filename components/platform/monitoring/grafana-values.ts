import * as pulumi from "@pulumi/pulumi";
import { Placement } from "../../shared/placement";

export const GRAFANA_ADMIN_SECRET = { name: "grafana-admin", userKey: "admin-user", passwordKey: "admin-password" } as const;

/**
 * The Role Grafana's sidecars are bound to: ConfigMaps of the monitoring namespace, nothing else. The
 * chart's own Role (and ClusterRole) would add Secrets, and that namespace holds the admin password
 * and the Alertmanager receivers' URLs and keys.
 */
export const GRAFANA_SIDECAR_ROLE = "grafana-sidecar-configmaps";

/** The API token, mounted only into the sidecars that call the API (Grafana itself never does). */
const SIDECAR_TOKEN_VOLUME = "kube-api-access-sidecars";
const SIDECAR_TOKEN_MOUNT = { name: SIDECAR_TOKEN_VOLUME, mountPath: "/var/run/secrets/kubernetes.io/serviceaccount", readOnly: true };
const sidecarTokenVolume = {
    name: SIDECAR_TOKEN_VOLUME,
    projected: {
        defaultMode: 0o444,
        sources: [
            { serviceAccountToken: { path: "token", expirationSeconds: 3607 } },
            { configMap: { name: "kube-root-ca.crt", items: [{ key: "ca.crt", path: "ca.crt" }] } },
            { downwardAPI: { items: [{ path: "namespace", fieldRef: { apiVersion: "v1", fieldPath: "metadata.namespace" } }] } },
        ],
    },
};

export interface GrafanaValuesArgs {
    /** Namespace whose ConfigMaps hold dashboards and datasources (the release's own). */
    namespace: string;
    storageClassName: string;
    volumeSize: string;
    placement: Placement;
    /** Add a PodDisruptionBudget (stacks with replicated monitoring). */
    disruptionBudget: boolean;
    /** Registry and repository of the Grafana image (Docker Hub's, through the pull-through cache). */
    image: { registry: pulumi.Input<string>; repository: pulumi.Input<string> };
}

const resources = (cpu: string, memory: string, memoryLimit: string) => ({ requests: { cpu, memory }, limits: { memory: memoryLimit } });

/** Values of kube-prometheus-stack's grafana subchart (keys exist in its values.yaml; tests check). */
export function grafanaValues(a: GrafanaValuesArgs) {
    const sidecarWatch = { searchNamespace: a.namespace, resource: "configmap", extraMounts: [SIDECAR_TOKEN_MOUNT] };
    return {
        enabled: true,
        defaultDashboardsEnabled: true,
        image: a.image,
        admin: { existingSecret: GRAFANA_ADMIN_SECRET.name, userKey: GRAFANA_ADMIN_SECRET.userKey, passwordKey: GRAFANA_ADMIN_SECRET.passwordKey },
        // A StatefulSet, so a rollout never needs the ReadWriteOnce volume on two nodes at once.
        persistence: { enabled: true, type: "statefulset", storageClassName: a.storageClassName, size: a.volumeSize },
        // fsGroup 472 (the chart's pod securityContext) gives the volume to Grafana; the chown init container would run as root.
        initChownData: { enabled: false },
        // `helm test` pods are never run by the program; they would only add an image.
        testFramework: { enabled: false },
        resources: resources("100m", "256Mi", "512Mi"),
        nodeSelector: a.placement.nodeSelector,
        ...(a.disruptionBudget ? { podDisruptionBudget: { maxUnavailable: 1 } } : {}),
        rbac: { namespaced: true, useExistingRole: GRAFANA_SIDECAR_ROLE },
        automountServiceAccountToken: false,
        extraContainerVolumes: [sidecarTokenVolume],
        sidecar: {
            resources: resources("20m", "64Mi", "128Mi"),
            dashboards: sidecarWatch,
            datasources: sidecarWatch,
        },
    };
}

import { TOLERATE_EVERY_TAINT, onWorkloadNodes } from "../../shared/placement";
import { ScrapeTarget, podMonitors } from "./scrape";
import { ALERTMANAGER_CONFIG_SECRET } from "./alerting";

export const GRAFANA_ADMIN_SECRET = { name: "grafana-admin", userKey: "admin-user", passwordKey: "admin-password" } as const;

export interface MonitoringValuesArgs {
    prometheusRetention: string;
    /** Memory Prometheus requests (its limit is 2Gi). */
    prometheusMemoryRequest: string;
    prometheusVolumeSize: string;
    grafanaVolumeSize: string;
    /** The default StorageClass the volumes use. */
    storageClassName: string;
    /** Pods Prometheus scrapes (the add-ons' and Argo CD's). */
    scrapeTargets: readonly ScrapeTarget[];
}

const WORKLOAD_NODES = onWorkloadNodes().nodeSelector;

const volumeClaim = (storageClassName: string, size: string) => ({
    volumeClaimTemplate: { spec: { storageClassName, accessModes: ["ReadWriteOnce"], resources: { requests: { storage: size } } } },
});

/**
 * kube-prometheus-stack values. Paths exist in the chart's values.yaml, except two keys of its
 * subcharts (whose values files are not part of the reference): `grafana.persistence` and
 * `prometheus-node-exporter.tolerations`; and `alertmanagerSpec.configSecret`, which values.yaml
 * documents commented out.
 */
export function monitoringValues(a: MonitoringValuesArgs) {
    return {
        // CRDs are too large for client-side apply's last-applied annotation; the upgrade job
        // applies them server-side on every chart upgrade (Helm itself never upgrades CRDs).
        crds: {
            enabled: true,
            upgradeJob: {
                enabled: true,
                forceConflicts: true,
                // The chart's default busybox tag is `latest`.
                image: { busybox: { tag: "1.37.0" } },
                nodeSelector: WORKLOAD_NODES,
                resources: { requests: { cpu: "50m", memory: "64Mi" }, limits: { memory: "256Mi" } },
            },
        },
        // EKS runs the scheduler, controller manager and etcd out of reach: their monitors would find
        // no target and their alerts (KubeSchedulerDown, KubeControllerManagerDown) fire forever.
        kubeScheduler: { enabled: false },
        kubeControllerManager: { enabled: false },
        kubeEtcd: { enabled: false },
        // EKS's kube-proxy add-on serves metrics on 127.0.0.1:10249 only (aws/containers-roadmap#657):
        // the monitor would never reach it and KubeProxyDown would fire forever.
        kubeProxy: { enabled: false },
        // Rules for what is not scraped (above) or not there (Windows nodes) could never resolve.
        defaultRules: { rules: { etcd: false, kubeControllerManager: false, kubeSchedulerAlerting: false, kubeSchedulerRecording: false, kubeProxy: false, windows: false } },
        alertmanager: {
            enabled: true,
            alertmanagerSpec: {
                // The whole configuration comes from the program's Secret (receivers' URLs and keys are secrets).
                useExistingSecret: true,
                configSecret: ALERTMANAGER_CONFIG_SECRET.name,
                nodeSelector: WORKLOAD_NODES,
                resources: { requests: { cpu: "50m", memory: "128Mi" }, limits: { memory: "256Mi" } },
                storage: volumeClaim(a.storageClassName, "10Gi"),
            },
        },
        grafana: {
            enabled: true,
            defaultDashboardsEnabled: true,
            admin: { existingSecret: GRAFANA_ADMIN_SECRET.name, userKey: GRAFANA_ADMIN_SECRET.userKey, passwordKey: GRAFANA_ADMIN_SECRET.passwordKey },
            // A StatefulSet, so a rollout never needs the ReadWriteOnce volume on two nodes at once.
            persistence: { enabled: true, type: "statefulset", storageClassName: a.storageClassName, size: a.grafanaVolumeSize },
        },
        prometheus: {
            additionalPodMonitors: podMonitors(a.scrapeTargets),
            prometheusSpec: {
                retention: a.prometheusRetention,
                storageSpec: volumeClaim(a.storageClassName, a.prometheusVolumeSize),
                nodeSelector: WORKLOAD_NODES,
                resources: { requests: { cpu: "250m", memory: a.prometheusMemoryRequest }, limits: { memory: "2Gi" } },
                // Pick up monitors and rules from every release, not only this one.
                serviceMonitorSelectorNilUsesHelmValues: false,
                podMonitorSelectorNilUsesHelmValues: false,
                ruleSelectorNilUsesHelmValues: false,
            },
        },
        prometheusOperator: {
            nodeSelector: WORKLOAD_NODES,
            admissionWebhooks: {
                patch: { nodeSelector: WORKLOAD_NODES, resources: { requests: { cpu: "10m", memory: "32Mi" }, limits: { memory: "64Mi" } } },
            },
            resources: { requests: { cpu: "50m", memory: "128Mi" }, limits: { memory: "256Mi" } },
        },
        // Node metrics from every node, the tainted system nodes included.
        "prometheus-node-exporter": { tolerations: TOLERATE_EVERY_TAINT },
    };
}

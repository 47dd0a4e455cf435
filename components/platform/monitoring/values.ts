import { DockerHubMirror, dockerHubImage } from "../../shared/image-mirror";
import { onWorkloadNodes } from "../../shared/placement";
import { ScrapeTarget, podMonitors } from "./scrape";
import { ALERTMANAGER_CONFIG_SECRET } from "./alerting";
import { replicatedPlacement, prometheusLimits } from "./availability";
import { NODE_EXPORTER_NAMESPACE, kubeStateMetricsValues, nodeExporterValues } from "./exporters";
import { grafanaValues } from "./grafana-values";

export { GRAFANA_ADMIN_SECRET, GRAFANA_SIDECAR_ROLE } from "./grafana-values";
export { NODE_EXPORTER_NAMESPACE };

export interface MonitoringValuesArgs {
    prometheusRetention: string;
    /** Memory Prometheus requests; its limit is derived from it. Config key `prometheusMemoryRequest`. */
    prometheusMemoryRequest: string;
    /** Size of each Prometheus volume; `retentionSize` stays below it. Config key `prometheusVolumeSize`. */
    prometheusVolumeSize: string;
    grafanaVolumeSize: string;
    /** Prometheus replicas; more than one spreads them over zones on on-demand nodes. Config key `prometheusReplicas`. */
    prometheusReplicas: number;
    /** Alertmanager replicas (clustered when more than one). Config key `alertmanagerReplicas`. */
    alertmanagerReplicas: number;
    /** The default StorageClass the volumes use. */
    storageClassName: string;
    /** Pods Prometheus scrapes (the add-ons' and Argo CD's). */
    scrapeTargets: readonly ScrapeTarget[];
    /** Namespace of the release (Grafana's sidecars read ConfigMaps only there). */
    namespace: string;
    /** Where Docker Hub images (Grafana, busybox) are pulled from. */
    dockerHub: DockerHubMirror;
    /** CoreDNS runs as pods Prometheus can scrape; EKS Auto Mode runs it on each node, out of reach (`computeMode`). */
    clusterDnsPods: boolean;
}

const WORKLOAD_NODES = onWorkloadNodes();
/** Object names the chart derives from the release name (`kube-prometheus-stack`). */
const PROMETHEUS_NAME = "kube-prometheus-stack-prometheus";
const ALERTMANAGER_NAME = "kube-prometheus-stack-alertmanager";

const volumeClaim = (storageClassName: string, size: string) => ({
    volumeClaimTemplate: { spec: { storageClassName, accessModes: ["ReadWriteOnce"], resources: { requests: { storage: size } } } },
});

/**
 * kube-prometheus-stack values, subcharts included. Paths exist in the chart's (or the subchart's)
 * values.yaml, except `alertmanagerSpec.configSecret`, which values.yaml documents commented out.
 */
export function monitoringValues(a: MonitoringValuesArgs) {
    const prometheus = replicatedPlacement(a.prometheusReplicas, { "app.kubernetes.io/name": "prometheus", "operator.prometheus.io/name": PROMETHEUS_NAME });
    const alertmanager = replicatedPlacement(a.alertmanagerReplicas, { "app.kubernetes.io/name": "alertmanager", "operator.prometheus.io/name": ALERTMANAGER_NAME });
    const limits = prometheusLimits(a.prometheusMemoryRequest, a.prometheusVolumeSize);
    return {
        // CRDs are too large for client-side apply's last-applied annotation; the upgrade job
        // applies them server-side on every chart upgrade (Helm itself never upgrades CRDs).
        crds: {
            enabled: true,
            upgradeJob: {
                enabled: true,
                forceConflicts: true,
                // The chart's default busybox tag is `latest`.
                image: { busybox: { ...dockerHubImage(a.dockerHub, "library/busybox"), tag: "1.37.0" } },
                nodeSelector: WORKLOAD_NODES.nodeSelector,
                resources: { requests: { cpu: "50m", memory: "64Mi" }, limits: { memory: "256Mi" } },
            },
        },
        // EKS runs the scheduler, controller manager and etcd out of reach: their monitors would find
        // no target and their alerts (KubeSchedulerDown, KubeControllerManagerDown) fire forever.
        kubeScheduler: { enabled: false },
        kubeControllerManager: { enabled: false },
        kubeEtcd: { enabled: false },
        // Under Auto Mode no CoreDNS pod exists: the monitor would select nothing.
        coreDns: { enabled: a.clusterDnsPods },
        // EKS's kube-proxy add-on serves metrics on 127.0.0.1:10249 only (aws/containers-roadmap#657):
        // the monitor would never reach it and KubeProxyDown would fire forever.
        kubeProxy: { enabled: false },
        // Rules for what is not scraped (above) or not there (Windows nodes) could never resolve.
        defaultRules: { rules: { etcd: false, kubeControllerManager: false, kubeSchedulerAlerting: false, kubeSchedulerRecording: false, kubeProxy: false, windows: false } },
        alertmanager: {
            enabled: true,
            ...alertmanager.disruptionBudget,
            alertmanagerSpec: {
                // The whole configuration comes from the program's Secret (receivers' URLs and keys are secrets).
                useExistingSecret: true,
                configSecret: ALERTMANAGER_CONFIG_SECRET.name,
                replicas: a.alertmanagerReplicas,
                ...alertmanager.pod,
                resources: { requests: { cpu: "50m", memory: "128Mi" }, limits: { memory: "256Mi" } },
                storage: volumeClaim(a.storageClassName, "10Gi"),
            },
        },
        grafana: grafanaValues({
            namespace: a.namespace,
            storageClassName: a.storageClassName,
            volumeSize: a.grafanaVolumeSize,
            placement: WORKLOAD_NODES,
            disruptionBudget: a.prometheusReplicas > 1,
            image: dockerHubImage(a.dockerHub, "grafana/grafana"),
        }),
        "kube-state-metrics": kubeStateMetricsValues(WORKLOAD_NODES),
        // Node metrics from every node, the tainted system nodes included.
        "prometheus-node-exporter": nodeExporterValues(),
        prometheus: {
            additionalPodMonitors: podMonitors(a.scrapeTargets),
            ...prometheus.disruptionBudget,
            prometheusSpec: {
                replicas: a.prometheusReplicas,
                retention: a.prometheusRetention,
                retentionSize: limits.retentionSize,
                storageSpec: volumeClaim(a.storageClassName, a.prometheusVolumeSize),
                ...prometheus.pod,
                resources: { requests: { cpu: "250m", memory: a.prometheusMemoryRequest }, limits: { memory: limits.memory } },
                // Pick up monitors and rules from every release, not only this one.
                serviceMonitorSelectorNilUsesHelmValues: false,
                podMonitorSelectorNilUsesHelmValues: false,
                ruleSelectorNilUsesHelmValues: false,
            },
        },
        prometheusOperator: {
            nodeSelector: WORKLOAD_NODES.nodeSelector,
            admissionWebhooks: {
                patch: { nodeSelector: WORKLOAD_NODES.nodeSelector, resources: { requests: { cpu: "10m", memory: "32Mi" }, limits: { memory: "64Mi" } } },
            },
            resources: { requests: { cpu: "50m", memory: "128Mi" }, limits: { memory: "256Mi" } },
        },
    };
}

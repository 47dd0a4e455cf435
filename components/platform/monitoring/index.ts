import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { DEFAULT_STORAGE_CLASS } from "../../cluster/storage";
import { helmRelease } from "../../shared/helm-release";
import { releaseNamespace } from "../../shared/namespace";
import { CHARTS } from "../../versions";
import { adminPassword } from "../admin-password";
import { AlbIngressSettings, albIngress } from "../ingress";
import { AlertReceivers, alertmanagerConfigSecret } from "./alerting";
import { GRAFANA_ADMIN_SECRET, GRAFANA_SIDECAR_ROLE, MonitoringValuesArgs, NODE_EXPORTER_NAMESPACE, monitoringValues } from "./values";

export const MONITORING_NAMESPACE = "monitoring";
const RELEASE_NAME = "kube-prometheus-stack";

export interface MonitoringArgs extends Omit<MonitoringValuesArgs, "storageClassName" | "namespace"> {
    /** Provider of the cluster. */
    provider: k8s.Provider;
    /** The EKS cluster: the namespace goes with it on destroy. */
    cluster: pulumi.Resource;
    /** The default StorageClass (volumes need it), and what else must run first. */
    storageClass: k8s.storage.v1.StorageClass;
    /** What the release waits for: nodes, the Load Balancer Controller, the pull-through cache rule. */
    dependsOn: pulumi.Resource[];
    /** Configured Grafana admin password (secret), or undefined to generate one. */
    grafanaAdminPassword?: pulumi.Output<string>;
    /** Where Alertmanager sends alerts (secret URLs and keys, written only into a Secret). */
    alerting: AlertReceivers;
    /** Shared-ALB settings for Grafana; absent means no Ingress. */
    ingress?: AlbIngressSettings & { host: string };
}

/** Prometheus, Alertmanager and Grafana (kube-prometheus-stack), Grafana's admin in a Secret. */
export class Monitoring extends pulumi.ComponentResource {
    readonly release: k8s.helm.v3.Release;
    readonly grafanaAdminPassword: pulumi.Output<string>;
    readonly grafanaUrl?: pulumi.Output<string>;
    /** The Secrets it declares itself (not the chart's), by label: CI's refresh reads exactly these. */
    readonly ownedSecrets: Record<string, k8s.core.v1.Secret>;

    constructor(name: string, args: MonitoringArgs, opts?: pulumi.ComponentResourceOptions) {
        super("eks-platform:platform:Monitoring", name, {}, opts);
        const provider = args.provider;
        const namespace = releaseNamespace(name, MONITORING_NAMESPACE, { provider, cluster: args.cluster, parent: this });
        const nodeExporterNamespace = releaseNamespace(`${name}-node-exporter`, NODE_EXPORTER_NAMESPACE, { provider, cluster: args.cluster, parent: this });
        const sidecarRole = new k8s.rbac.v1.Role(
            `${name}-grafana-sidecar`,
            {
                metadata: { name: GRAFANA_SIDECAR_ROLE, namespace: namespace.metadata.name },
                rules: [{ apiGroups: [""], resources: ["configmaps"], verbs: ["get", "list", "watch"] }],
            },
            { parent: this, provider },
        );
        const password = adminPassword(`${name}-grafana-admin`, args.grafanaAdminPassword, this);
        this.grafanaAdminPassword = password.password;
        // The chart reads the admin from this Secret; the password never appears in Helm values.
        const adminSecret = new k8s.core.v1.Secret(
            `${name}-grafana-admin`,
            {
                metadata: { name: GRAFANA_ADMIN_SECRET.name, namespace: namespace.metadata.name },
                type: "Opaque",
                stringData: { [GRAFANA_ADMIN_SECRET.userKey]: "admin", [GRAFANA_ADMIN_SECRET.passwordKey]: password.password },
            },
            { parent: this, provider },
        );
        const alertmanagerConfig = alertmanagerConfigSecret(`${name}-alertmanager-config`, namespace.metadata.name, args.alerting, { parent: this, provider });
        this.ownedSecrets = { "grafana-admin": adminSecret, "alertmanager-config": alertmanagerConfig };

        this.release = helmRelease(
            name,
            {
                chart: CHARTS.kubePrometheusStack,
                namespace: namespace.metadata.name,
                releaseName: RELEASE_NAME,
                values: monitoringValues({
                    prometheusRetention: args.prometheusRetention,
                    prometheusMemoryRequest: args.prometheusMemoryRequest,
                    prometheusVolumeSize: args.prometheusVolumeSize,
                    grafanaVolumeSize: args.grafanaVolumeSize,
                    storageClassName: DEFAULT_STORAGE_CLASS,
                    prometheusReplicas: args.prometheusReplicas,
                    alertmanagerReplicas: args.alertmanagerReplicas,
                    scrapeTargets: args.scrapeTargets,
                    namespace: MONITORING_NAMESPACE,
                    dockerHub: args.dockerHub,
                    clusterDnsPods: args.clusterDnsPods,
                }),
            },
            { parent: this, provider, dependsOn: [adminSecret, alertmanagerConfig, sidecarRole, nodeExporterNamespace, args.storageClass, ...args.dockerHub.dependencies, ...args.dependsOn] },
        );

        if (args.ingress) {
            albIngress(
                `${name}-grafana`,
                {
                    ...args.ingress,
                    namespace: namespace.metadata.name,
                    name: "grafana",
                    serviceName: `${RELEASE_NAME}-grafana`,
                    servicePort: 80,
                    backendProtocol: "HTTP",
                    healthCheckPath: "/api/health",
                },
                { parent: this, provider, dependsOn: [this.release, ...args.dependsOn] },
            );
            this.grafanaUrl = pulumi.output(`https://${args.ingress.host}`);
        }
        this.registerOutputs({ grafanaUrl: this.grafanaUrl });
    }
}

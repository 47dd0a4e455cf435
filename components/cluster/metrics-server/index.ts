import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { helmRelease } from "../../shared/helm-release";
import { onSystemNodes } from "../../shared/placement";
import { ScrapeTarget } from "../../shared/scrape-target";
import { CHARTS } from "../../versions";
import { ClusterAddonComponent, ClusterAddonSpec, clusterAddonValues, ownedNamespaces } from "../cluster-addon";
import type { Cluster } from "../index";

/** kube-system, on the system nodes: HorizontalPodAutoscalers stop scaling while it is away. */
export const METRICS_SERVER_ADDON: ClusterAddonSpec = {
    name: "metrics-server",
    chart: CHARTS.metricsServer,
    serviceAccount: { namespace: "kube-system", name: "metrics-server" },
    ownNamespace: false,
    placement: onSystemNodes(),
};

export interface MetricsServerArgs {
    /** The cluster; provides its name and the Kubernetes provider. */
    cluster: Cluster;
    /** Replicas; two or more get a PDB allowing one disruption, spread over system nodes. Config key `metricsServerReplicas`. */
    replicas: number;
    /** The Load Balancer Controller's release: its webhook mutates every Service, so the chart's Services wait for it. */
    serviceAdmission: pulumi.Resource[];
}

/**
 * metrics-server, the resource-metrics API (`metrics.k8s.io`) that HorizontalPodAutoscalers and
 * `kubectl top` read. It calls no AWS API, so unlike the other add-ons it has no Pod Identity role.
 */
export class MetricsServer extends pulumi.ComponentResource implements ClusterAddonComponent {
    readonly release: k8s.helm.v3.Release;
    readonly platformDependencies: pulumi.Resource[] = [];
    /** Nothing to scrape: Prometheus reads the same kubelet metrics itself. */
    readonly scrapeTargets: ScrapeTarget[] = [];
    readonly ownNamespaces = ownedNamespaces(METRICS_SERVER_ADDON);

    constructor(name: string, args: MetricsServerArgs, opts?: pulumi.ComponentResourceOptions) {
        super("eks-platform:cluster:MetricsServer", name, {}, opts);
        this.release = helmRelease(
            `${args.cluster.configuredName}-${METRICS_SERVER_ADDON.name}`,
            {
                chart: METRICS_SERVER_ADDON.chart,
                namespace: METRICS_SERVER_ADDON.serviceAccount.namespace,
                releaseName: METRICS_SERVER_ADDON.name,
                values: clusterAddonValues(METRICS_SERVER_ADDON, metricsServerValues(args.replicas), args.cluster.computeMode),
            },
            { parent: this, provider: args.cluster.provider, dependsOn: args.serviceAdmission },
        );
        this.registerOutputs({});
    }
}

/** Chart values without the service account and placement (`METRICS_SERVER_ADDON` adds them). */
export function metricsServerValues(replicas: number) {
    const ha = replicas > 1;
    return {
        replicas,
        podDisruptionBudget: { enabled: ha, ...(ha ? { maxUnavailable: 1 } : {}) },
        // Preferred, not required: a rolling update on two system nodes must be able to surge.
        affinity: ha
            ? {
                  podAntiAffinity: {
                      preferredDuringSchedulingIgnoredDuringExecution: [
                          {
                              weight: 100,
                              podAffinityTerm: {
                                  topologyKey: "kubernetes.io/hostname",
                                  labelSelector: { matchLabels: { "app.kubernetes.io/name": "metrics-server", "app.kubernetes.io/instance": METRICS_SERVER_ADDON.name } },
                              },
                          },
                      ],
                  },
              }
            : {},
        // Sized for clusters up to ~50 nodes (upstream: 200Mi per 100 nodes).
        resources: { requests: { cpu: "50m", memory: "128Mi" }, limits: { memory: "256Mi" } },
    };
}

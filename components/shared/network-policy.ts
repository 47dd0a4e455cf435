import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ScrapeTarget } from "./scrape-target";

/** A label selector as Kubernetes takes it. */
export interface LabelSelector {
    matchLabels?: Record<string, string>;
    matchExpressions?: { key: string; operator: "In" | "NotIn" | "Exists" | "DoesNotExist"; values?: string[] }[];
}

/** Pods that take traffic from outside their namespace, on named container ports. */
export interface IngressBackend {
    /** Names the NetworkPolicy (`allow-<name>`). */
    name: string;
    namespace: string;
    pods: LabelSelector;
    /** Container port names. */
    ports: string[];
}

/** Where cross-namespace traffic may come from. */
export type TrafficSource = "vpc" | "prometheus";

/** Admission webhooks in the program's namespaces: the EKS control plane calls them from ENIs in the VPC. */
export const WEBHOOK_BACKENDS: IngressBackend[] = [
    { name: "webhook", namespace: "external-secrets", pods: { matchLabels: { "app.kubernetes.io/name": "external-secrets-webhook" } }, ports: ["webhook"] },
    { name: "webhook", namespace: "monitoring", pods: { matchLabels: { app: "kube-prometheus-stack-operator" } }, ports: ["https"] },
];

/** What the shared ALB (target type ip, so from its ENIs in the VPC) forwards to when the platform's Ingresses exist. */
export const ALB_BACKENDS: IngressBackend[] = [
    { name: "alb", namespace: "argocd", pods: { matchLabels: { "app.kubernetes.io/name": "argocd-server" } }, ports: ["server"] },
    { name: "alb", namespace: "monitoring", pods: { matchLabels: { "app.kubernetes.io/name": "grafana" } }, ports: ["grafana"] },
];

/** Prometheus's pods (the operator labels them), the one scraper. */
const PROMETHEUS = { namespace: "monitoring", pods: { matchLabels: { "app.kubernetes.io/name": "prometheus" } } };

/** Scrape targets as backends Prometheus may reach: the PodMonitors' own selectors and ports. */
export function scrapeBackends(targets: readonly ScrapeTarget[]): IngressBackend[] {
    return targets.map((t) => ({
        name: `metrics-${t.name}`,
        namespace: t.namespace,
        pods: { matchExpressions: [{ key: "app.kubernetes.io/name", operator: "In", values: t.appNames }] },
        ports: [t.port],
    }));
}

export interface NamespaceIsolationArgs {
    /** The namespaces the program owns; each gets default-deny ingress and an allow within itself. */
    namespaces: string[];
    /** The VPC's CIDR: where the EKS control plane's and the ALB's ENIs are. */
    vpcCidr: string;
    /** Backends open to the VPC (webhooks; the ALB's targets when Ingresses exist). */
    fromVpc: IngressBackend[];
    /** Backends open to Prometheus (metrics ports). */
    fromPrometheus: IngressBackend[];
}

type NetworkPolicyManifest = { metadata: { name: string; namespace: string }; spec: k8s.types.input.networking.v1.NetworkPolicySpec };

/**
 * The NetworkPolicy manifests: per owned namespace, deny all ingress, allow the namespace's own pods
 * (Argo CD's server, repo-server, redis and controller; Grafana, Prometheus, Alertmanager), then one
 * allow per backend a caller outside the namespace needs. Backends in other namespaces are left alone.
 */
export function networkPolicyManifests(args: NamespaceIsolationArgs): NetworkPolicyManifest[] {
    const owned = new Set(args.namespaces);
    const source = (from: TrafficSource) =>
        from === "vpc"
            ? [{ ipBlock: { cidr: args.vpcCidr } }]
            : [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": PROMETHEUS.namespace } }, podSelector: PROMETHEUS.pods }];
    const allows = (backends: IngressBackend[], from: TrafficSource) =>
        backends
            // Prometheus reaches its own namespace through the same-namespace allow.
            .filter((b) => owned.has(b.namespace) && !(from === "prometheus" && b.namespace === PROMETHEUS.namespace))
            .map((b) => ({
                metadata: { name: `allow-${b.name}`, namespace: b.namespace },
                spec: {
                    podSelector: b.pods,
                    policyTypes: ["Ingress"],
                    ingress: [{ from: source(from), ports: b.ports.map((port) => ({ protocol: "TCP", port })) }],
                },
            }));
    return [
        ...args.namespaces.flatMap((namespace) => [
            { metadata: { name: "default-deny-ingress", namespace }, spec: { podSelector: {}, policyTypes: ["Ingress"] } },
            { metadata: { name: "allow-same-namespace", namespace }, spec: { podSelector: {}, policyTypes: ["Ingress"], ingress: [{ from: [{ podSelector: {} }] }] } },
        ]),
        ...allows(args.fromVpc, "vpc"),
        ...allows(args.fromPrometheus, "prometheus"),
    ];
}

/**
 * Default-deny ingress NetworkPolicies in the platform's namespaces, enforced by the VPC CNI's network
 * policy agent (`enableNetworkPolicy` on the vpc-cni add-on). The program's policies are the one source:
 * the Argo CD chart's own stay off.
 */
export class NamespaceIsolation extends pulumi.ComponentResource {
    constructor(name: string, args: NamespaceIsolationArgs, opts: pulumi.ComponentResourceOptions & { provider: k8s.Provider; cluster: pulumi.Resource }) {
        super("eks-platform:shared:NamespaceIsolation", name, {}, opts);
        for (const manifest of networkPolicyManifests(args)) {
            new k8s.networking.v1.NetworkPolicy(
                `${name}-${manifest.metadata.namespace}-${manifest.metadata.name}`,
                { metadata: manifest.metadata, spec: manifest.spec },
                // No AWS resources behind them: they go with the cluster.
                { parent: this, provider: opts.provider, deletedWith: opts.cluster },
            );
        }
        this.registerOutputs({});
    }
}

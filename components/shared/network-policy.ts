import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { LINK_LOCAL, dnsEgress, egressTo, ipBlockExcept, podIdentityEgress } from "./egress-policy";
import { ScrapeTarget } from "./scrape-target";

type EgressRule = k8s.types.input.networking.v1.NetworkPolicyEgressRule;

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
export type TrafficSource = "control-plane" | "alb" | "prometheus";

/** Admission webhooks in the program's namespaces: the EKS control plane calls them from its ENIs in the cluster's subnets. */
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
export const PROMETHEUS = { namespace: "monitoring", pods: { matchLabels: { "app.kubernetes.io/name": "prometheus" } } };

/** Prometheus as a NetworkPolicy peer. */
export const PROMETHEUS_PEER: k8s.types.input.networking.v1.NetworkPolicyPeer = {
    namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": PROMETHEUS.namespace } },
    podSelector: PROMETHEUS.pods,
};

/** One ipBlock peer per CIDR. */
export const cidrPeers = (cidrs: pulumi.Input<string[]>) => pulumi.output(cidrs).apply((list) => list.map((cidr) => ({ ipBlock: { cidr } })));

/** Scrape targets as backends Prometheus may reach: the PodMonitors' own selectors and ports. */
export function scrapeBackends(targets: readonly ScrapeTarget[]): IngressBackend[] {
    return targets.map((t) => ({
        name: `metrics-${t.name}`,
        namespace: t.namespace,
        pods: { matchExpressions: [{ key: "app.kubernetes.io/name", operator: "In", values: t.appNames }] },
        ports: [t.port],
    }));
}

/** Egress some platform namespaces need beyond DNS, their own namespace, Pod Identity and HTTPS. */
function namespaceEgress(namespace: string, egress: PlatformEgress): EgressRule[] {
    const outside = [LINK_LOCAL, ...egress.otherVpcCidrs];
    const ownIpv6 = egress.vpcIpv6Cidr;
    // Prometheus scrapes kubelets and node-exporter on the nodes' addresses and pods in every namespace, on their own ports.
    if (namespace === PROMETHEUS.namespace) {
        return [{ to: ownIpv6 ? [ipBlockExcept(egress.vpcCidr, []), { ipBlock: { cidr: ownIpv6 } }] : [ipBlockExcept(egress.vpcCidr, [])] }];
    }
    // Argo CD clones GitOps repositories over SSH (git@host:path URLs).
    if (namespace === "argocd") return [egressTo(["0.0.0.0/0"], [...outside, egress.vpcCidr], [22], ownIpv6 ? { excluded: [ownIpv6] } : undefined)];
    return [];
}

/** What the platform namespaces' egress is built from. */
export interface PlatformEgress {
    /** The stack's VPC: the API server's ENIs (443) are there, Prometheus's scrape targets too. */
    vpcCidr: string;
    /** Its Amazon-provided IPv6 block in an IPv6 cluster (pods, nodes and the API server's ENIs are there too); undefined: IPv4 only. */
    vpcIpv6Cidr?: pulumi.Input<string>;
    /** The other stacks' VPCs: never a destination. */
    otherVpcCidrs: string[];
}

export interface NamespaceIsolationArgs {
    /** The namespaces the program owns; each gets default-deny both ways and an allow within itself. */
    namespaces: string[];
    /** CIDRs (both families in an IPv6 cluster) of the cluster's subnets, where the EKS control plane's ENIs are: the webhooks' callers. */
    controlPlaneCidrs: pulumi.Input<string[]>;
    /** CIDRs of the subnets the shared ALB's ENIs are in: the public ones for an internet-facing ALB, else the private ones. */
    albCidrs: pulumi.Input<string[]>;
    /** Admission webhooks, open to the control plane. */
    webhooks: IngressBackend[];
    /** The ALB's targets when Ingresses exist. */
    albBackends: IngressBackend[];
    /** Backends open to Prometheus (metrics ports). */
    fromPrometheus: IngressBackend[];
    /** Where the namespaces' pods may connect to. */
    egress: PlatformEgress;
    /** The cluster's DNS address when it is no pod (EKS Auto Mode: `Cluster.dnsAddress`); absent: the CoreDNS pods. */
    dnsAddress?: pulumi.Input<string>;
}

type NetworkPolicyManifest = { metadata: { name: string; namespace: string }; spec: k8s.types.input.networking.v1.NetworkPolicySpec };

/**
 * The NetworkPolicy manifests: per owned namespace, deny all ingress and egress, allow the namespace's own
 * pods (Argo CD's server, repo-server, redis and controller; Grafana, Prometheus, Alertmanager), DNS, the Pod
 * Identity agent and HTTPS (the API server, AWS APIs, registries) outside link-local addresses and the other
 * stacks' VPCs; then one allow per backend a caller outside the namespace needs. Backends in other namespaces
 * are left alone.
 */
export function networkPolicyManifests(args: NamespaceIsolationArgs): NetworkPolicyManifest[] {
    const owned = new Set(args.namespaces);
    const source = (from: TrafficSource) =>
        from === "control-plane" ? cidrPeers(args.controlPlaneCidrs) : from === "alb" ? cidrPeers(args.albCidrs) : [PROMETHEUS_PEER];
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
    const ipv6 = args.egress.vpcIpv6Cidr !== undefined;
    const https = egressTo(["0.0.0.0/0"], [LINK_LOCAL, ...args.egress.otherVpcCidrs], [443], ipv6 ? { excluded: [] } : undefined);
    return [
        ...args.namespaces.flatMap((namespace) => [
            { metadata: { name: "default-deny-ingress", namespace }, spec: { podSelector: {}, policyTypes: ["Ingress"] } },
            { metadata: { name: "default-deny-egress", namespace }, spec: { podSelector: {}, policyTypes: ["Egress"] } },
            {
                metadata: { name: "allow-same-namespace", namespace },
                spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"], ingress: [{ from: [{ podSelector: {} }] }], egress: [{ to: [{ podSelector: {} }] }] },
            },
            {
                metadata: { name: "allow-egress", namespace },
                spec: { podSelector: {}, policyTypes: ["Egress"], egress: [dnsEgress(args.dnsAddress), podIdentityEgress(ipv6), https, ...namespaceEgress(namespace, args.egress)] },
            },
        ]),
        ...allows(args.webhooks, "control-plane"),
        ...allows(args.albBackends, "alb"),
        ...allows(args.fromPrometheus, "prometheus"),
    ];
}

/**
 * Default-deny NetworkPolicies (both directions) in the platform's namespaces, enforced by the VPC CNI's network
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

import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { LINK_LOCAL, dnsEgress, egressTo, podIdentityEgress } from "../../shared/egress-policy";
import { PROMETHEUS_PEER, cidrPeers } from "../../shared/network-policy";

/** Container port names of the service template (templates/service): the ALB forwards to `http`, Prometheus scrapes `metrics`. */
export const TENANT_PORTS = { http: "http", metrics: "metrics" } as const;

/** The port applications reach the internet and AWS APIs on. */
export const TENANT_EGRESS_PORT = 443;

export interface TenantNetworkArgs {
    /** The application namespaces (`gitopsEnvironments`). */
    namespaces: string[];
    /** Per namespace, the CIDRs its pods may reach on TCP 443 (config key `tenantEgress`); empty: none. */
    egress: Record<string, string[]>;
    /** The stack's VPC: nodes, pods, webhooks and the other namespaces are there, so it is cut out of the egress CIDRs. */
    vpcCidr: string;
    /** The VPC's IPv6 block in an IPv6 cluster: the egress CIDRs then also hold in IPv6 (the internet as ::/0, a network as its NAT64 form), this block cut out; undefined: IPv4 only. */
    vpcIpv6Cidr?: pulumi.Input<string>;
    /** The other stacks' VPCs, cut out of the egress CIDRs too. */
    otherVpcCidrs: string[];
    /** CIDRs (both families in an IPv6 cluster) of the subnets internal ALBs put their ENIs in: applications' Ingresses get internal ALBs only. */
    albCidrs: pulumi.Input<string[]>;
    /** The cluster's DNS address when it is no pod (EKS Auto Mode: `Cluster.dnsAddress`); absent: the CoreDNS pods. */
    dnsAddress?: pulumi.Input<string>;
}

type NetworkPolicyManifest = { metadata: { name: string; namespace: string }; spec: k8s.types.input.networking.v1.NetworkPolicySpec };

/**
 * Per application namespace: deny everything both ways; allow the namespace's own pods, DNS, the Pod Identity
 * agent, the ALB to `http`, Prometheus to `metrics`, and TCP 443 to the environment's egress CIDRs outside
 * link-local addresses (instance metadata), this VPC and the other stacks' VPCs. Argo CD never connects to
 * the pods: it applies their manifests through the API server, so it needs no allow here.
 */
export function tenantNetworkPolicyManifests(args: TenantNetworkArgs): NetworkPolicyManifest[] {
    const excluded = [LINK_LOCAL, args.vpcCidr, ...args.otherVpcCidrs];
    const ipv6 = args.vpcIpv6Cidr !== undefined ? { excluded: [args.vpcIpv6Cidr] } : undefined;
    const allow = (namespace: string, name: string, spec: Omit<k8s.types.input.networking.v1.NetworkPolicySpec, "podSelector">): NetworkPolicyManifest => ({
        metadata: { name: `allow-${name}`, namespace },
        spec: { podSelector: {}, ...spec },
    });
    return args.namespaces.flatMap((namespace) => {
        const cidrs = args.egress[namespace] ?? [];
        return [
            { metadata: { name: "default-deny-ingress", namespace }, spec: { podSelector: {}, policyTypes: ["Ingress"] } },
            { metadata: { name: "default-deny-egress", namespace }, spec: { podSelector: {}, policyTypes: ["Egress"] } },
            allow(namespace, "same-namespace", { policyTypes: ["Ingress", "Egress"], ingress: [{ from: [{ podSelector: {} }] }], egress: [{ to: [{ podSelector: {} }] }] }),
            allow(namespace, "dns", { policyTypes: ["Egress"], egress: [dnsEgress(args.dnsAddress), podIdentityEgress(ipv6 !== undefined)] }),
            allow(namespace, "alb", { policyTypes: ["Ingress"], ingress: [{ from: cidrPeers(args.albCidrs), ports: [{ protocol: "TCP", port: TENANT_PORTS.http }] }] }),
            allow(namespace, "prometheus", { policyTypes: ["Ingress"], ingress: [{ from: [PROMETHEUS_PEER], ports: [{ protocol: "TCP", port: TENANT_PORTS.metrics }] }] }),
            ...(cidrs.length > 0 ? [allow(namespace, "https", { policyTypes: ["Egress"], egress: [egressTo(cidrs, excluded, [TENANT_EGRESS_PORT], ipv6)] })] : []),
        ];
    });
}

/** The application namespaces' NetworkPolicies, enforced by the VPC CNI's network policy agent. */
export class TenantNetworkPolicies extends pulumi.ComponentResource {
    constructor(
        name: string,
        args: TenantNetworkArgs,
        opts: pulumi.ComponentResourceOptions & { provider: k8s.Provider; cluster: pulumi.Resource; dependsOn?: pulumi.Input<pulumi.Resource>[] },
    ) {
        super("eks-platform:tenants:TenantNetworkPolicies", name, {}, opts);
        for (const manifest of tenantNetworkPolicyManifests(args)) {
            new k8s.networking.v1.NetworkPolicy(
                `${name}-${manifest.metadata.namespace}-${manifest.metadata.name}`,
                { metadata: manifest.metadata, spec: manifest.spec },
                // No AWS resources behind them: they go with the cluster.
                { parent: this, provider: opts.provider, deletedWith: opts.cluster, dependsOn: opts.dependsOn },
            );
        }
        this.registerOutputs({});
    }
}

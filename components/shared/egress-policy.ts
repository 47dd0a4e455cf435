import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { EC2_IPV6_SERVICES, IPV6_LINK_LOCAL, IPV6_WORLD, POD_IDENTITY_AGENT_IPV6, cidrContains, nat64, parseIpv6Cidr } from "./ipv6";
import { parseIpv4Cidr } from "../../stacks/config/cidr";

type Peer = k8s.types.input.networking.v1.NetworkPolicyPeer;
type EgressRule = k8s.types.input.networking.v1.NetworkPolicyEgressRule;

/** Link-local addresses: the instance metadata service (169.254.169.254) and the node's other agents; never the internet. */
export const LINK_LOCAL = "169.254.0.0/16";

/** The EKS Pod Identity agent on every node: where a pod's SDK fetches the credentials of its service account's role. */
export const POD_IDENTITY_AGENT = "169.254.170.23/32";

/** CoreDNS, UDP and TCP 53: every namespace resolves names through it. */
export const DNS_EGRESS: EgressRule = {
    to: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } }, podSelector: { matchLabels: { "k8s-app": "kube-dns" } } }],
    ports: [{ protocol: "UDP", port: 53 }, { protocol: "TCP", port: 53 }],
};

/**
 * DNS, UDP and TCP 53, where the cluster serves it: the CoreDNS pods (`karpenter` mode), or, under EKS Auto
 * Mode, `dnsAddress`, the kube-dns service address that each node's own DNS service answers on (Auto Mode runs
 * CoreDNS on the node, not as pods, so a pod selector would match nothing and cut every namespace off).
 */
export function dnsEgress(dnsAddress?: pulumi.Input<string>): EgressRule {
    if (!dnsAddress) return DNS_EGRESS;
    const cidr = pulumi.output(dnsAddress).apply((a) => `${a}/${a.includes(":") ? 128 : 32}`);
    return { to: [{ ipBlock: { cidr } }], ports: DNS_EGRESS.ports };
}

/** Credentials from the Pod Identity agent (TCP 80); the instance metadata address stays closed. */
export const POD_IDENTITY_EGRESS: EgressRule = { to: [{ ipBlock: { cidr: POD_IDENTITY_AGENT } }], ports: [{ protocol: "TCP", port: 80 }] };

/** The agent on both of its addresses: IPv6 pods reach it at [fd00:ec2::23] (their SDKs' credentials URL). */
export const POD_IDENTITY_EGRESS_DUAL_STACK: EgressRule = {
    to: [{ ipBlock: { cidr: POD_IDENTITY_AGENT } }, { ipBlock: { cidr: POD_IDENTITY_AGENT_IPV6 } }],
    ports: [{ protocol: "TCP", port: 80 }],
};

/** The Pod Identity egress for a cluster of the family (`ipv6`: a VPC IPv6 block is given). */
export const podIdentityEgress = (ipv6: boolean): EgressRule => (ipv6 ? POD_IDENTITY_EGRESS_DUAL_STACK : POD_IDENTITY_EGRESS);

const parseCidr = (text: string) => parseIpv4Cidr(text) ?? parseIpv6Cidr(text);

/**
 * `cidr` as an ipBlock with every excluded range inside it cut out (either family). Kubernetes accepts only
 * `except` entries within `cidr`; a range that contains `cidr` itself the caller must have refused.
 */
export function ipBlockExcept(cidr: string, excluded: readonly string[]): Peer {
    const outer = parseCidr(cidr);
    if (!outer) throw new Error(`not an IPv4 or IPv6 network address with prefix: ${cidr}`);
    const except = [...new Set(excluded)].filter((e) => {
        const inner = parseCidr(e);
        return inner !== undefined && cidrContains(cidr, e) && inner.prefix > outer.prefix;
    });
    return { ipBlock: except.length > 0 ? { cidr, except } : { cidr } };
}

/**
 * What an IPv6 pod must not reach in place of the IPv4 `excluded` ranges: those ranges as NAT64 addresses
 * (DNS64 hands them out for IPv4-only names), link-local addresses and the node's AWS services (fd00:ec2::/32).
 */
export function ipv6Exclusions(excluded: readonly string[]): string[] {
    return [IPV6_LINK_LOCAL, EC2_IPV6_SERVICES, ...excluded.filter((c) => parseIpv4Cidr(c)).map(nat64)];
}

/** An IPv4 egress destination's IPv6 counterpart: the whole IPv4 internet is the whole IPv6 one, a network its NAT64 form. */
export function ipv6Destination(cidr: string): string {
    return parseIpv4Cidr(cidr)?.prefix === 0 ? IPV6_WORLD : nat64(cidr);
}

/**
 * TCP `ports` to each of `cidrs` (IPv4), with the excluded ranges cut out. With `ipv6` (an IPv6 cluster) each
 * destination also in its IPv6 form (`ipv6Destination`), cut by `ipv6Exclusions(excluded)` and `ipv6.excluded`
 * (the VPC's own IPv6 block where the IPv4 VPC is excluded).
 */
export function egressTo(cidrs: readonly string[], excluded: readonly string[], ports: number[], ipv6?: { excluded: pulumi.Input<string>[] }): EgressRule {
    const ipv4 = cidrs.map((c) => ipBlockExcept(c, excluded));
    const to = ipv6
        ? pulumi.all(ipv6.excluded).apply((own) => [...ipv4, ...cidrs.map((c) => ipBlockExcept(ipv6Destination(c), [...ipv6Exclusions(excluded), ...own]))])
        : ipv4;
    return { to, ports: ports.map((port) => ({ protocol: "TCP", port })) };
}

import * as k8s from "@pulumi/kubernetes";
import { contains, parseIpv4Cidr } from "../../stacks/config/cidr";

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
export function dnsEgress(dnsAddress?: string): EgressRule {
    return dnsAddress ? { to: [{ ipBlock: { cidr: `${dnsAddress}/32` } }], ports: DNS_EGRESS.ports } : DNS_EGRESS;
}

/** Credentials from the Pod Identity agent (TCP 80); the instance metadata address stays closed. */
export const POD_IDENTITY_EGRESS: EgressRule = { to: [{ ipBlock: { cidr: POD_IDENTITY_AGENT } }], ports: [{ protocol: "TCP", port: 80 }] };

/**
 * `cidr` as an ipBlock with every excluded range inside it cut out. Kubernetes accepts only `except`
 * entries within `cidr`; a range that contains `cidr` itself the caller must have refused.
 */
export function ipBlockExcept(cidr: string, excluded: readonly string[]): Peer {
    const outer = parseIpv4Cidr(cidr);
    if (!outer) throw new Error(`not an IPv4 network address with prefix: ${cidr}`);
    const except = [...new Set(excluded)].filter((e) => {
        const inner = parseIpv4Cidr(e);
        return inner !== undefined && contains(outer, inner) && inner.prefix > outer.prefix;
    });
    return { ipBlock: except.length > 0 ? { cidr, except } : { cidr } };
}

/** TCP `ports` to each of `cidrs`, with the excluded ranges cut out. */
export function egressTo(cidrs: readonly string[], excluded: readonly string[], ports: number[]): EgressRule {
    return { to: cidrs.map((c) => ipBlockExcept(c, excluded)), ports: ports.map((port) => ({ protocol: "TCP", port })) };
}

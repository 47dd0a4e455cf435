import * as ipaddr from "ipaddr.js";
import { overlaps, parseIpv4Cidr } from "../../../stacks/config/cidr";

/** The two service CIDRs EKS chooses between when none is given (EKS User Guide, "Create a cluster"). */
const SERVICE_CIDRS = ["172.20.0.0/16", "10.100.0.0/16"] as const;

/**
 * The service CIDR an Auto Mode cluster is given explicitly: EKS's own first choice, 172.20.0.0/16, unless it
 * overlaps the stack's VPC or a network the pods reach (`otherVpcCidrs`), then 10.100.0.0/16. Explicit, because
 * Auto Mode serves DNS from every node at the CIDR's tenth address and the NetworkPolicies must name it.
 */
export function autoModeServiceCidr(vpcCidr: string, otherCidrs: readonly string[]): string {
    const taken = [vpcCidr, ...otherCidrs].map((c) => parseIpv4Cidr(c)).filter((c) => c !== undefined);
    const free = SERVICE_CIDRS.find((candidate) => !taken.some((t) => overlaps(parseIpv4Cidr(candidate)!, t!)));
    if (!free) throw new Error(`vpcCidr ${vpcCidr} and otherVpcCidrs ${otherCidrs.join(", ")} overlap both service CIDRs EKS offers (${SERVICE_CIDRS.join(", ")})`);
    return free;
}

/** The kube-dns service address of a service CIDR: its tenth address (`172.20.0.10`), where Auto Mode's nodes answer DNS. */
export function clusterDnsAddress(serviceCidr: string): string {
    const cidr = parseIpv4Cidr(serviceCidr);
    if (!cidr || cidr.prefix > 28) throw new Error(`not an IPv4 network of 16 addresses or more: ${serviceCidr}`);
    const bytes = cidr.address.toByteArray();
    const tenth = ((bytes[0] << 24) | (bytes[1] << 16) | (bytes[2] << 8) | bytes[3]) + 10;
    return ipaddr.fromByteArray([(tenth >>> 24) & 255, (tenth >>> 16) & 255, (tenth >>> 8) & 255, tenth & 255]).toString();
}

/**
 * The kube-dns service address of an IPv6 cluster's service range (EKS assigns it from fd00::/8 at creation):
 * the range's address ::a, as Kubernetes gives kube-dns its tenth address in either family.
 */
export function clusterDnsAddressIpv6(serviceCidr: string | undefined): string {
    const [address, prefix] = (serviceCidr ?? "").split("/");
    if (!address || !ipaddr.IPv6.isValid(address) || Number(prefix) > 124) throw new Error(`not an IPv6 service range: ${serviceCidr}`);
    const parts = ipaddr.IPv6.parse(address).parts;
    parts[7] += 10;
    return new ipaddr.IPv6(parts).toString();
}

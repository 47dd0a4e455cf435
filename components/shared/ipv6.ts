import * as ipaddr from "ipaddr.js";

/** The well-known NAT64 prefix (RFC 6052): DNS64 answers IPv4-only names inside it, the NAT gateway translates it. */
export const NAT64_PREFIX = "64:ff9b::/96";

/** The whole IPv6 address space. */
export const IPV6_WORLD = "::/0";

/** IPv6 link-local addresses: never the internet. */
export const IPV6_LINK_LOCAL = "fe80::/10";

/**
 * The node's AWS services over IPv6 (instance metadata fd00:ec2::254, DNS ::253, the Pod Identity agent ::23):
 * the IPv6 counterpart of 169.254.0.0/16, never a destination on the internet.
 */
export const EC2_IPV6_SERVICES = "fd00:ec2::/32";

/** The EKS Pod Identity agent's IPv6 address: in an IPv6 cluster the SDKs fetch credentials from [fd00:ec2::23]. */
export const POD_IDENTITY_AGENT_IPV6 = "fd00:ec2::23/128";

function toBigInt(address: ipaddr.IPv6): bigint {
    return address.parts.reduce((n, part) => (n << 16n) | BigInt(part), 0n);
}

function fromBigInt(n: bigint): string {
    const parts = Array.from({ length: 8 }, (_, i) => Number((n >> BigInt(16 * (7 - i))) & 0xffffn));
    return new ipaddr.IPv6(parts).toString();
}

/** Parses an IPv6 network `addr/prefix` with no host bits set; undefined otherwise. */
export function parseIpv6Cidr(text: string): { address: ipaddr.IPv6; prefix: number } | undefined {
    if (!text.includes(":") || !ipaddr.IPv6.isValidCIDR(text)) return undefined;
    const [address, prefix] = ipaddr.IPv6.parseCIDR(text);
    const host = toBigInt(address) & ((1n << BigInt(128 - prefix)) - 1n);
    return host === 0n ? { address, prefix } : undefined;
}

/**
 * The `index`-th subnet of `prefix` bits inside the IPv6 network `block` (Terraform's cidrsubnet): the /64 of
 * each subnet inside the VPC's Amazon-provided /56.
 */
export function ipv6Subnet(block: string, prefix: number, index: number): string {
    const parent = parseIpv6Cidr(block);
    if (!parent) throw new Error(`not an IPv6 network address with prefix: ${block}`);
    if (prefix < parent.prefix || prefix > 128) throw new Error(`a /${prefix} does not fit in ${block}`);
    if (index < 0 || BigInt(index) >= 1n << BigInt(prefix - parent.prefix)) throw new Error(`${block} holds no subnet #${index} of /${prefix}`);
    return `${fromBigInt(toBigInt(parent.address) | (BigInt(index) << BigInt(128 - prefix)))}/${prefix}`;
}

/** An IPv4 network as IPv6 pods reach it through DNS64 and NAT64: inside 64:ff9b::/96 (0.0.0.0/0 is the whole prefix). */
export function nat64(ipv4Cidr: string): string {
    const [address, prefix] = ipaddr.IPv4.parseCIDR(ipv4Cidr);
    const [base] = NAT64_PREFIX.split("/");
    const n = toBigInt(ipaddr.IPv6.parse(base)) | BigInt(address.toByteArray().reduce((v, b) => v * 256 + b, 0));
    return `${fromBigInt(n)}/${96 + prefix}`;
}

/** Whether `ip` (either family) is in `cidr`; false across families. */
export function inCidr(ip: string, cidr: string): boolean {
    const address = ipaddr.parse(ip);
    const [network, prefix] = ipaddr.parseCIDR(cidr);
    return address.kind() === network.kind() && address.match(network, prefix);
}

/** Whether every address of the network `inner` is inside the network `outer` (same family). */
export function cidrContains(outer: string, inner: string): boolean {
    const [o, op] = ipaddr.parseCIDR(outer);
    const [i, ip] = ipaddr.parseCIDR(inner);
    return o.kind() === i.kind() && ip >= op && i.match(o, op);
}

import * as ipaddr from "ipaddr.js";

export interface Cidr {
    address: ipaddr.IPv4;
    prefix: number;
}

/** Parses `a.b.c.d/n`; undefined when malformed or when host bits are set (e.g. 10.0.1.0/16). */
export function parseIpv4Cidr(text: string): Cidr | undefined {
    if (!/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/.test(text) || !ipaddr.IPv4.isValidCIDR(text)) {
        return undefined;
    }
    const [address, prefix] = ipaddr.IPv4.parseCIDR(text);
    const network = ipaddr.IPv4.networkAddressFromCIDR(text);
    return network.toString() === address.toString() ? { address, prefix } : undefined;
}

export function isPrivate(cidr: Cidr): boolean {
    return cidr.address.range() === "private" && cidr.prefix >= 8;
}

export function overlaps(a: Cidr, b: Cidr): boolean {
    return a.address.match(b.address, b.prefix) || b.address.match(a.address, a.prefix);
}

/** Whether every address of `inner` is in `outer` (equal networks included). */
export function contains(outer: Cidr, inner: Cidr): boolean {
    return inner.prefix >= outer.prefix && inner.address.match(outer.address, outer.prefix);
}

import * as awsx from "@pulumi/awsx";

/** Private subnets are 1/8 of the VPC each, public ones 1/64: with awsx's one block per zone (a quarter for 3-4 zones), room for 4 zones. */
export const PRIVATE_SUBNET_BITS = 3;
export const PUBLIC_SUBNET_BITS = 6;

/**
 * Subnet ranges as awsx's `Auto` strategy lays them out for `subnetSpecs`: each of the `azs` zones gets an equal
 * power-of-two block of the VPC, filled from its start with the private subnet (1/8 of the VPC) and then the
 * public one (1/64). The dual-stack VPC (dual-stack.ts) uses the same layout, so both families have the same
 * IPv4 ranges.
 */
export function subnetLayout(vpcCidr: string, azs: number): { private: string[]; public: string[] } {
    const [base, prefixText] = vpcCidr.split("/");
    const prefix = Number(prefixText);
    const start = base.split(".").reduce((n, octet) => n * 256 + Number(octet), 0);
    const size = 2 ** (32 - prefix);
    const azBlock = size / 2 ** Math.ceil(Math.log2(azs));
    const text = (n: number, bits: number) => `${[24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join(".")}/${prefix + bits}`;
    const range = (offset: number, bits: number) => Array.from({ length: azs }, (_, i) => text(start + i * azBlock + offset, bits));
    return { private: range(0, PRIVATE_SUBNET_BITS), public: range(size / 2 ** PRIVATE_SUBNET_BITS, PUBLIC_SUBNET_BITS) };
}

/** Subnet discovery tags (the tags of each side, for awsx's specs and the dual-stack subnets alike). */
export function subnetTags(clusterName: string): { private: Record<string, string>; public: Record<string, string> } {
    return { private: { "kubernetes.io/role/internal-elb": "1", "karpenter.sh/discovery": clusterName }, public: { "kubernetes.io/role/elb": "1" } };
}

/** Subnet discovery tags: the LBC places internet-facing ALBs in public subnets, internal ones and Karpenter nodes in private ones. */
export function subnetSpecs(vpcPrefix: number, clusterName: string): awsx.types.input.ec2.SubnetSpecArgs[] {
    return [
        {
            type: awsx.ec2.SubnetType.Private,
            name: "private",
            cidrMask: vpcPrefix + PRIVATE_SUBNET_BITS,
            tags: subnetTags(clusterName).private,
        },
        {
            type: awsx.ec2.SubnetType.Public,
            name: "public",
            cidrMask: vpcPrefix + PUBLIC_SUBNET_BITS,
            tags: subnetTags(clusterName).public,
        },
    ];
}

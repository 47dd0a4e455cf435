import * as awsx from "@pulumi/awsx";

/** Private subnets are 1/8 of the VPC each, public ones 1/64: with awsx's one block per zone (a quarter for 3-4 zones), room for 4 zones. */
export const PRIVATE_SUBNET_BITS = 3;
export const PUBLIC_SUBNET_BITS = 6;

/** Subnet discovery tags: the LBC places internet-facing ALBs in public subnets, internal ones and Karpenter nodes in private ones. */
export function subnetSpecs(vpcPrefix: number, clusterName: string): awsx.types.input.ec2.SubnetSpecArgs[] {
    return [
        {
            type: awsx.ec2.SubnetType.Private,
            name: "private",
            cidrMask: vpcPrefix + PRIVATE_SUBNET_BITS,
            tags: { "kubernetes.io/role/internal-elb": "1", "karpenter.sh/discovery": clusterName },
        },
        {
            type: awsx.ec2.SubnetType.Public,
            name: "public",
            cidrMask: vpcPrefix + PUBLIC_SUBNET_BITS,
            tags: { "kubernetes.io/role/elb": "1" },
        },
    ];
}

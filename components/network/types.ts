import * as pulumi from "@pulumi/pulumi";
import { AwsContext } from "../shared/aws-context";

export type NatStrategy = "single" | "onePerAz";

/** `ipv4`, or `ipv6`: a dual-stack VPC whose pods and Services are IPv6 (EKS's IPv6 family). */
export type IpFamily = "ipv4" | "ipv6";

export interface NetworkArgs {
    /** VPC IPv4 CIDR, /16 to /20 (validated by the stack config). */
    vpcCidr: string;
    /** Availability zones to spread subnets over (the region's first N). */
    azCount: number;
    /** `ipv6`: an Amazon-provided IPv6 block, IPv6 on every subnet, egress-only IGW, DNS64 and NAT64. Config key `ipFamily`. */
    ipFamily: IpFamily;
    /** One shared NAT gateway (`single`) or one per AZ (`onePerAz`). */
    natStrategy: NatStrategy;
    /** Cluster whose Karpenter discovers the private subnets by tag. Config key `clusterName`. */
    clusterName: string;
    /** Retention of the flow-log group, in days. */
    flowLogRetentionDays: number;
    /** KMS key that encrypts the flow-log group. */
    logsKeyArn: pulumi.Input<string>;
    /** Account facts for ARNs and trust conditions. */
    aws: AwsContext;
    /** Protect the flow-log group from deletion. */
    protect: boolean;
}

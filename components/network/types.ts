import * as pulumi from "@pulumi/pulumi";
import { AwsContext } from "../shared/aws-context";

export type NatStrategy = "single" | "onePerAz";

export interface NetworkArgs {
    /** VPC IPv4 CIDR, /16 to /20 (validated by the stack config). */
    vpcCidr: string;
    /** Availability zones to spread subnets over (the region's first N). */
    azCount: number;
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

import { AwsContext, arn } from "../shared/aws-context";
import { PolicyDocument, PolicyStatement } from "../shared/iam";

/** The service account the VPC CNI (`aws-node`) runs as; in an IPv6 cluster it gets its own Pod Identity role. */
export const VPC_CNI_SERVICE_ACCOUNT = { namespace: "kube-system", name: "aws-node" } as const;

/**
 * What the VPC CNI needs in an IPv6 cluster (AWS, "Create IAM policy for clusters that use the IPv6 family"):
 * assign IPv6 prefixes to the nodes' interfaces and tag them, describe instances and interfaces. The writes are
 * scoped to this account's and region's interfaces of this cluster's nodes: those tagged
 * `kubernetes.io/cluster/<cluster>: owned` and with the stack's owner tags (the system nodes' launch template and
 * Karpenter put both on every interface they launch); the Describe calls have no resource-level permissions.
 */
export function vpcCniIpv6Policy(ctx: AwsContext, clusterName: string, ownerTags: Record<string, string>): PolicyDocument {
    const owned = Object.fromEntries([
        [`aws:ResourceTag/kubernetes.io/cluster/${clusterName}`, "owned"],
        ...Object.entries(ownerTags).map(([k, v]) => [`aws:ResourceTag/${k}`, v]),
    ]);
    const assign: PolicyStatement = { Sid: "AssignIpv6ToOwnInterfaces", Effect: "Allow", Action: ["ec2:AssignIpv6Addresses", "ec2:CreateTags"], Resource: arn(ctx, "ec2", "network-interface/*"), Condition: { StringEquals: owned } };
    const describe: PolicyStatement = { Sid: "Describe", Effect: "Allow", Action: ["ec2:DescribeInstances", "ec2:DescribeTags", "ec2:DescribeNetworkInterfaces", "ec2:DescribeInstanceTypes"], Resource: "*" };
    return { Version: "2012-10-17", Statement: [assign, describe] };
}

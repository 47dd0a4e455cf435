import * as pulumi from "@pulumi/pulumi";
import { PolicyDocument } from "../../shared/iam";

/**
 * Karpenter controller permissions, statement for statement the six managed policies of
 * Karpenter's getting-started CloudFormation template (of the release CHARTS.karpenter pins). Every
 * write is scoped by `aws:RequestTag`/`aws:ResourceTag` to this cluster; `Resource: "*"` appears
 * only where upstream has it (read-only discovery, pricing), as the security checklist allows.
 */
export interface KarpenterPolicyContext {
    partition: pulumi.Input<string>;
    region: string;
    accountId: pulumi.Input<string>;
    clusterName: string;
    nodeRoleArn: pulumi.Input<string>;
    queueArn: pulumi.Input<string>;
}

export function karpenterControllerPolicies(c: KarpenterPolicyContext): Record<string, PolicyDocument> {
    const ec2 = (resource: string) => pulumi.interpolate`arn:${c.partition}:ec2:${c.region}:*:${resource}`;
    const instanceProfiles = pulumi.interpolate`arn:${c.partition}:iam::${c.accountId}:instance-profile/*`;
    const clusterArn = pulumi.interpolate`arn:${c.partition}:eks:${c.region}:${c.accountId}:cluster/${c.clusterName}`;
    const owned = `kubernetes.io/cluster/${c.clusterName}`;
    const launched = ["fleet/*", "instance/*", "volume/*", "network-interface/*", "launch-template/*", "spot-instances-request/*"].map(ec2);

    return {
        "node-lifecycle": {
            Version: "2012-10-17",
            Statement: [
                {
                    Sid: "AllowScopedEC2InstanceAccessActions",
                    Effect: "Allow",
                    Resource: [
                        pulumi.interpolate`arn:${c.partition}:ec2:${c.region}::image/*`,
                        pulumi.interpolate`arn:${c.partition}:ec2:${c.region}::snapshot/*`,
                        ec2("security-group/*"),
                        ec2("subnet/*"),
                        ec2("capacity-reservation/*"),
                        ec2("placement-group/*"),
                    ],
                    Action: ["ec2:RunInstances", "ec2:CreateFleet"],
                },
                {
                    Sid: "AllowScopedEC2LaunchTemplateAccessActions",
                    Effect: "Allow",
                    Resource: ec2("launch-template/*"),
                    Action: ["ec2:RunInstances", "ec2:CreateFleet"],
                    Condition: {
                        StringEquals: { [`aws:ResourceTag/${owned}`]: "owned" },
                        StringLike: { "aws:ResourceTag/karpenter.sh/nodepool": "*" },
                    },
                },
                {
                    Sid: "AllowScopedEC2InstanceActionsWithTags",
                    Effect: "Allow",
                    Resource: launched,
                    Action: ["ec2:RunInstances", "ec2:CreateFleet", "ec2:CreateLaunchTemplate"],
                    Condition: {
                        StringEquals: { [`aws:RequestTag/${owned}`]: "owned", "aws:RequestTag/eks:eks-cluster-name": c.clusterName },
                        StringLike: { "aws:RequestTag/karpenter.sh/nodepool": "*" },
                    },
                },
                {
                    Sid: "AllowScopedResourceCreationTagging",
                    Effect: "Allow",
                    Resource: launched,
                    Action: "ec2:CreateTags",
                    Condition: {
                        StringEquals: {
                            [`aws:RequestTag/${owned}`]: "owned",
                            "aws:RequestTag/eks:eks-cluster-name": c.clusterName,
                            "ec2:CreateAction": ["RunInstances", "CreateFleet", "CreateLaunchTemplate"],
                        },
                        StringLike: { "aws:RequestTag/karpenter.sh/nodepool": "*" },
                    },
                },
                {
                    Sid: "AllowScopedResourceTagging",
                    Effect: "Allow",
                    Resource: ec2("instance/*"),
                    Action: "ec2:CreateTags",
                    Condition: {
                        StringEquals: { [`aws:ResourceTag/${owned}`]: "owned" },
                        StringLike: { "aws:ResourceTag/karpenter.sh/nodepool": "*" },
                        StringEqualsIfExists: { "aws:RequestTag/eks:eks-cluster-name": c.clusterName },
                        "ForAllValues:StringEquals": { "aws:TagKeys": ["eks:eks-cluster-name", "karpenter.sh/nodeclaim", "Name"] },
                    },
                },
                {
                    Sid: "AllowScopedDeletion",
                    Effect: "Allow",
                    Resource: [ec2("instance/*"), ec2("launch-template/*")],
                    Action: ["ec2:TerminateInstances", "ec2:DeleteLaunchTemplate"],
                    Condition: {
                        StringEquals: { [`aws:ResourceTag/${owned}`]: "owned" },
                        StringLike: { "aws:ResourceTag/karpenter.sh/nodepool": "*" },
                    },
                },
            ],
        },
        "iam-integration": {
            Version: "2012-10-17",
            Statement: [
                {
                    Sid: "AllowPassingInstanceRole",
                    Effect: "Allow",
                    Resource: c.nodeRoleArn,
                    Action: "iam:PassRole",
                    Condition: { StringEquals: { "iam:PassedToService": ["ec2.amazonaws.com", "ec2.amazonaws.com.cn"] } },
                },
                {
                    Sid: "AllowScopedInstanceProfileCreationActions",
                    Effect: "Allow",
                    Resource: instanceProfiles,
                    Action: ["iam:CreateInstanceProfile"],
                    Condition: {
                        StringEquals: {
                            [`aws:RequestTag/${owned}`]: "owned",
                            "aws:RequestTag/eks:eks-cluster-name": c.clusterName,
                            "aws:RequestTag/topology.kubernetes.io/region": c.region,
                        },
                        StringLike: { "aws:RequestTag/karpenter.k8s.aws/ec2nodeclass": "*" },
                    },
                },
                {
                    Sid: "AllowScopedInstanceProfileTagActions",
                    Effect: "Allow",
                    Resource: instanceProfiles,
                    Action: ["iam:TagInstanceProfile"],
                    Condition: {
                        StringEquals: {
                            [`aws:ResourceTag/${owned}`]: "owned",
                            "aws:ResourceTag/topology.kubernetes.io/region": c.region,
                            [`aws:RequestTag/${owned}`]: "owned",
                            "aws:RequestTag/eks:eks-cluster-name": c.clusterName,
                            "aws:RequestTag/topology.kubernetes.io/region": c.region,
                        },
                        StringLike: {
                            "aws:ResourceTag/karpenter.k8s.aws/ec2nodeclass": "*",
                            "aws:RequestTag/karpenter.k8s.aws/ec2nodeclass": "*",
                        },
                    },
                },
                {
                    Sid: "AllowScopedInstanceProfileActions",
                    Effect: "Allow",
                    Resource: instanceProfiles,
                    Action: ["iam:AddRoleToInstanceProfile", "iam:RemoveRoleFromInstanceProfile", "iam:DeleteInstanceProfile"],
                    Condition: {
                        StringEquals: {
                            [`aws:ResourceTag/${owned}`]: "owned",
                            "aws:ResourceTag/topology.kubernetes.io/region": c.region,
                        },
                        StringLike: { "aws:ResourceTag/karpenter.k8s.aws/ec2nodeclass": "*" },
                    },
                },
            ],
        },
        "eks-integration": {
            Version: "2012-10-17",
            Statement: [{ Sid: "AllowAPIServerEndpointDiscovery", Effect: "Allow", Resource: clusterArn, Action: "eks:DescribeCluster" }],
        },
        interruption: {
            Version: "2012-10-17",
            Statement: [
                {
                    Sid: "AllowInterruptionQueueActions",
                    Effect: "Allow",
                    Resource: c.queueArn,
                    Action: ["sqs:DeleteMessage", "sqs:GetQueueUrl", "sqs:ReceiveMessage"],
                },
            ],
        },
        "zonal-shift": {
            Version: "2012-10-17",
            Statement: [
                {
                    Sid: "AllowZonalShiftStatusReadOnly",
                    Effect: "Allow",
                    Resource: "*",
                    Action: ["arc-zonal-shift:GetManagedResource"],
                    Condition: { StringEquals: { "arc-zonal-shift:ResourceIdentifier": clusterArn } },
                },
            ],
        },
        "resource-discovery": {
            Version: "2012-10-17",
            Statement: [
                {
                    Sid: "AllowRegionalReadActions",
                    Effect: "Allow",
                    Resource: "*",
                    Action: [
                        "ec2:DescribeCapacityReservations",
                        "ec2:DescribeImages",
                        "ec2:DescribeInstances",
                        "ec2:DescribeInstanceStatus",
                        "ec2:DescribeInstanceTypeOfferings",
                        "ec2:DescribeInstanceTypes",
                        "ec2:DescribeLaunchTemplates",
                        "ec2:DescribePlacementGroups",
                        "ec2:DescribeSecurityGroups",
                        "ec2:DescribeSpotPriceHistory",
                        "ec2:DescribeSubnets",
                    ],
                    Condition: { StringEquals: { "aws:RequestedRegion": c.region } },
                },
                {
                    Sid: "AllowSSMReadActions",
                    Effect: "Allow",
                    Resource: pulumi.interpolate`arn:${c.partition}:ssm:${c.region}::parameter/aws/service/*`,
                    Action: "ssm:GetParameter",
                },
                { Sid: "AllowPricingReadActions", Effect: "Allow", Resource: "*", Action: "pricing:GetProducts" },
                { Sid: "AllowUnscopedInstanceProfileListAction", Effect: "Allow", Resource: "*", Action: "iam:ListInstanceProfiles" },
                { Sid: "AllowInstanceProfileReadActions", Effect: "Allow", Resource: instanceProfiles, Action: "iam:GetInstanceProfile" },
            ],
        },
    };
}

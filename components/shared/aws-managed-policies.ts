import { AUTO_MODE_POLICIES } from "./auto-mode-managed-policies";
import type { PolicyDocument } from "./iam";

/** An AWS-managed policy as AWS publishes it: its path, the default version copied, and that version's document. */
export interface AwsManagedPolicy {
    /** Path under `arn:<partition>:iam::aws:policy/` (`service-role/` for some). */
    path: string;
    /** The default version this copy is of (`aws iam get-policy-version`), and when AWS created it. */
    version: string;
    created: string;
    document: PolicyDocument;
}

/**
 * The AWS-managed policies the platform attaches to its roles, statement for statement as AWS publishes
 * each version named (`aws iam get-policy-version --policy-arn <arn> --version-id <version>`). The roles
 * attach them by name from here, so a policy the program attaches is always one whose document the
 * permissions-boundary tests ask (tests/ci-access-boundary.test.ts): everything in it must stay possible
 * under the boundary on this environment's resources. When AWS publishes a new version, copy it here
 * (Auto Mode's cluster and node policies: auto-mode-managed-policies.ts).
 */
export const AWS_MANAGED_POLICIES = {
    AmazonEKSClusterPolicy: {
        path: "",
        version: "v10",
        created: "2026-02-12",
        document: {
            Version: "2012-10-17",
            Statement: [
                {
                    Sid: "AmazonEKSClusterPolicy",
                    Effect: "Allow",
                    Action: [
                        "autoscaling:DescribeAutoScalingGroups", "autoscaling:UpdateAutoScalingGroup", "ec2:AttachVolume", "ec2:AuthorizeSecurityGroupIngress",
                        "ec2:CreateRoute", "ec2:CreateSecurityGroup", "ec2:CreateTags", "ec2:CreateVolume", "ec2:DeleteRoute", "ec2:DeleteSecurityGroup",
                        "ec2:DeleteVolume", "ec2:DescribeInstances", "ec2:DescribeRouteTables", "ec2:DescribeSecurityGroups", "ec2:DescribeSubnets",
                        "ec2:DescribeVolumes", "ec2:DescribeVolumesModifications", "ec2:DescribeVpcs", "ec2:DescribeDhcpOptions", "ec2:DescribeNetworkInterfaces",
                        "ec2:DescribeAvailabilityZones", "ec2:DetachVolume", "ec2:ModifyInstanceAttribute", "ec2:ModifyVolume", "ec2:RevokeSecurityGroupIngress",
                        "ec2:DescribeAccountAttributes", "ec2:DescribeAddresses", "ec2:DescribeInternetGateways", "ec2:DescribeInstanceTopology",
                        "elasticloadbalancing:AddTags", "elasticloadbalancing:ApplySecurityGroupsToLoadBalancer", "elasticloadbalancing:AttachLoadBalancerToSubnets",
                        "elasticloadbalancing:ConfigureHealthCheck", "elasticloadbalancing:CreateListener", "elasticloadbalancing:CreateLoadBalancer",
                        "elasticloadbalancing:CreateLoadBalancerListeners", "elasticloadbalancing:CreateLoadBalancerPolicy", "elasticloadbalancing:CreateTargetGroup",
                        "elasticloadbalancing:DeleteListener", "elasticloadbalancing:DeleteLoadBalancer", "elasticloadbalancing:DeleteLoadBalancerListeners",
                        "elasticloadbalancing:DeleteTargetGroup", "elasticloadbalancing:DeregisterInstancesFromLoadBalancer", "elasticloadbalancing:DeregisterTargets",
                        "elasticloadbalancing:DescribeListeners", "elasticloadbalancing:DescribeLoadBalancerAttributes", "elasticloadbalancing:DescribeLoadBalancerPolicies",
                        "elasticloadbalancing:DescribeLoadBalancers", "elasticloadbalancing:DescribeTargetGroupAttributes", "elasticloadbalancing:DescribeTargetGroups",
                        "elasticloadbalancing:DescribeTargetHealth", "elasticloadbalancing:DetachLoadBalancerFromSubnets", "elasticloadbalancing:ModifyListener",
                        "elasticloadbalancing:ModifyLoadBalancerAttributes", "elasticloadbalancing:ModifyTargetGroup", "elasticloadbalancing:ModifyTargetGroupAttributes",
                        "elasticloadbalancing:RegisterInstancesWithLoadBalancer", "elasticloadbalancing:RegisterTargets",
                        "elasticloadbalancing:SetLoadBalancerPoliciesForBackendServer", "elasticloadbalancing:SetLoadBalancerPoliciesOfListener", "kms:DescribeKey",
                    ],
                    Resource: "*",
                },
                {
                    Sid: "AmazonEKSClusterPolicySLRCreate",
                    Effect: "Allow",
                    Action: "iam:CreateServiceLinkedRole",
                    Resource: "*",
                    Condition: { StringEquals: { "iam:AWSServiceName": "elasticloadbalancing.amazonaws.com" } },
                },
                {
                    Sid: "AmazonEKSClusterPolicyENIDelete",
                    Effect: "Allow",
                    Action: "ec2:DeleteNetworkInterface",
                    Resource: "*",
                    Condition: { StringEquals: { "ec2:ResourceTag/eks:eni:owner": "amazon-vpc-cni" } },
                },
            ],
        },
    },
    AmazonEKSWorkerNodePolicy: {
        path: "",
        version: "v3",
        created: "2023-11-27",
        document: {
            Version: "2012-10-17",
            Statement: [
                {
                    Sid: "WorkerNodePermissions",
                    Effect: "Allow",
                    Action: [
                        "ec2:DescribeInstances", "ec2:DescribeInstanceTypes", "ec2:DescribeRouteTables", "ec2:DescribeSecurityGroups", "ec2:DescribeSubnets",
                        "ec2:DescribeVolumes", "ec2:DescribeVolumesModifications", "ec2:DescribeVpcs", "eks:DescribeCluster", "eks-auth:AssumeRoleForPodIdentity",
                    ],
                    Resource: "*",
                },
            ],
        },
    },
    AmazonEKS_CNI_Policy: {
        path: "",
        version: "v6",
        created: "2026-03-04",
        document: {
            Version: "2012-10-17",
            Statement: [
                {
                    Sid: "AmazonEKSCNIPolicy",
                    Effect: "Allow",
                    Action: [
                        "ec2:AssignPrivateIpAddresses", "ec2:AttachNetworkInterface", "ec2:CreateNetworkInterface", "ec2:DeleteNetworkInterface",
                        "ec2:DescribeInstances", "ec2:DescribeTags", "ec2:DescribeNetworkInterfaces", "ec2:DescribeInstanceTypes", "ec2:DescribeSubnets",
                        "ec2:DescribeSecurityGroups", "ec2:DetachNetworkInterface", "ec2:ModifyNetworkInterfaceAttribute", "ec2:UnassignPrivateIpAddresses",
                    ],
                    Resource: "*",
                },
                { Sid: "AmazonEKSCNIPolicyENITag", Effect: "Allow", Action: ["ec2:CreateTags"], Resource: ["arn:aws:ec2:*:*:network-interface/*"] },
            ],
        },
    },
    AmazonEC2ContainerRegistryPullOnly: {
        path: "",
        version: "v1",
        created: "2024-10-04",
        document: {
            Version: "2012-10-17",
            Statement: [
                {
                    Effect: "Allow",
                    Action: ["ecr:GetAuthorizationToken", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchImportUpstreamImage"],
                    Resource: "*",
                },
            ],
        },
    },
    AmazonSSMManagedInstanceCore: {
        path: "",
        version: "v2",
        created: "2019-05-23",
        document: {
            Version: "2012-10-17",
            Statement: [
                {
                    Effect: "Allow",
                    Action: [
                        "ssm:DescribeAssociation", "ssm:GetDeployablePatchSnapshotForInstance", "ssm:GetDocument", "ssm:DescribeDocument", "ssm:GetManifest",
                        "ssm:GetParameter", "ssm:GetParameters", "ssm:ListAssociations", "ssm:ListInstanceAssociations", "ssm:PutInventory",
                        "ssm:PutComplianceItems", "ssm:PutConfigurePackageResult", "ssm:UpdateAssociationStatus", "ssm:UpdateInstanceAssociationStatus",
                        "ssm:UpdateInstanceInformation",
                    ],
                    Resource: "*",
                },
                {
                    Effect: "Allow",
                    Action: ["ssmmessages:CreateControlChannel", "ssmmessages:CreateDataChannel", "ssmmessages:OpenControlChannel", "ssmmessages:OpenDataChannel"],
                    Resource: "*",
                },
                {
                    Effect: "Allow",
                    Action: [
                        "ec2messages:AcknowledgeMessage", "ec2messages:DeleteMessage", "ec2messages:FailMessage", "ec2messages:GetEndpoint",
                        "ec2messages:GetMessages", "ec2messages:SendReply",
                    ],
                    Resource: "*",
                },
            ],
        },
    },
    AmazonEBSCSIDriverPolicy: {
        path: "service-role/",
        version: "v14",
        created: "2026-02-12",
        document: {
            Version: "2012-10-17",
            Statement: [
                {
                    Effect: "Allow",
                    Action: [
                        "ec2:DescribeAvailabilityZones", "ec2:DescribeInstances", "ec2:DescribeSnapshots", "ec2:DescribeTags", "ec2:DescribeVolumes",
                        "ec2:DescribeVolumesModifications", "ec2:DescribeVolumeStatus",
                    ],
                    Resource: "*",
                },
                { Effect: "Allow", Action: ["ec2:CreateSnapshot", "ec2:ModifyVolume"], Resource: "arn:aws:ec2:*:*:volume/*" },
                { Effect: "Allow", Action: ["ec2:CopyVolumes"], Resource: ["arn:aws:ec2:*:*:volume/vol-*"] },
                { Effect: "Allow", Action: ["ec2:AttachVolume", "ec2:DetachVolume"], Resource: ["arn:aws:ec2:*:*:volume/*", "arn:aws:ec2:*:*:instance/*"] },
                { Effect: "Allow", Action: ["ec2:CreateVolume", "ec2:EnableFastSnapshotRestores"], Resource: "arn:aws:ec2:*:*:snapshot/*" },
                {
                    Effect: "Allow",
                    Action: ["ec2:CreateTags"],
                    Resource: ["arn:aws:ec2:*:*:volume/*", "arn:aws:ec2:*:*:snapshot/*"],
                    Condition: { StringEquals: { "ec2:CreateAction": ["CreateVolume", "CreateSnapshot", "CopyVolumes"] } },
                },
                { Effect: "Allow", Action: ["ec2:DeleteTags"], Resource: ["arn:aws:ec2:*:*:volume/*", "arn:aws:ec2:*:*:snapshot/*"] },
                {
                    Effect: "Allow",
                    Action: ["ec2:CreateVolume", "ec2:CopyVolumes"],
                    Resource: "arn:aws:ec2:*:*:volume/*",
                    Condition: { StringLike: { "aws:RequestTag/ebs.csi.aws.com/cluster": "true" } },
                },
                { Effect: "Allow", Action: ["ec2:CreateVolume", "ec2:CopyVolumes"], Resource: "arn:aws:ec2:*:*:volume/*", Condition: { StringLike: { "aws:RequestTag/CSIVolumeName": "*" } } },
                { Effect: "Allow", Action: ["ec2:DeleteVolume"], Resource: "arn:aws:ec2:*:*:volume/*", Condition: { StringLike: { "ec2:ResourceTag/ebs.csi.aws.com/cluster": "true" } } },
                { Effect: "Allow", Action: ["ec2:DeleteVolume"], Resource: "arn:aws:ec2:*:*:volume/*", Condition: { StringLike: { "ec2:ResourceTag/CSIVolumeName": "*" } } },
                {
                    Effect: "Allow",
                    Action: ["ec2:DeleteVolume"],
                    Resource: "arn:aws:ec2:*:*:volume/*",
                    Condition: { StringLike: { "ec2:ResourceTag/kubernetes.io/created-for/pvc/name": "*" } },
                },
                {
                    Effect: "Allow",
                    Action: ["ec2:CreateSnapshot"],
                    Resource: "arn:aws:ec2:*:*:snapshot/*",
                    Condition: { StringLike: { "aws:RequestTag/CSIVolumeSnapshotName": "*" } },
                },
                {
                    Effect: "Allow",
                    Action: ["ec2:CreateSnapshot"],
                    Resource: "arn:aws:ec2:*:*:snapshot/*",
                    Condition: { StringLike: { "aws:RequestTag/ebs.csi.aws.com/cluster": "true" } },
                },
                {
                    Effect: "Allow",
                    Action: ["ec2:DeleteSnapshot", "ec2:LockSnapshot"],
                    Resource: "arn:aws:ec2:*:*:snapshot/*",
                    Condition: { StringLike: { "ec2:ResourceTag/CSIVolumeSnapshotName": "*" } },
                },
                {
                    Effect: "Allow",
                    Action: ["ec2:DeleteSnapshot", "ec2:LockSnapshot"],
                    Resource: "arn:aws:ec2:*:*:snapshot/*",
                    Condition: { StringLike: { "ec2:ResourceTag/ebs.csi.aws.com/cluster": "true" } },
                },
            ],
        },
    },
    ...AUTO_MODE_POLICIES,
} satisfies Record<string, AwsManagedPolicy>;

export type AwsManagedPolicyName = keyof typeof AWS_MANAGED_POLICIES;

/** `service-role/AmazonEBSCSIDriverPolicy` and the like: the policy's path and name, for its ARN. */
export const managedPolicyPath = (name: AwsManagedPolicyName): string => `${AWS_MANAGED_POLICIES[name].path}${name}`;

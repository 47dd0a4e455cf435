import type { AwsManagedPolicy } from "./aws-managed-policies";

/** The session tag EKS sets when it assumes the cluster role: the cluster's name. */
const CLUSTER = "${aws:PrincipalTag/eks:eks-cluster-name}";
/** Conditions the documents repeat, written once (each statement below is still AWS's, key for key). */
const ON_THIS_CLUSTER = { StringEquals: { "aws:ResourceTag/eks:eks-cluster-name": CLUSTER } };
const TAGGED_FOR_THIS_CLUSTER = { StringEquals: { "aws:RequestTag/eks:eks-cluster-name": CLUSTER } };
const SECURITY_GROUP_RULES = ["ec2:AuthorizeSecurityGroupIngress", "ec2:RevokeSecurityGroupIngress"];
const LOAD_BALANCING_TAGS = {
    ...TAGGED_FOR_THIS_CLUSTER,
    "ForAllValues:StringEquals": {
        "aws:TagKeys": ["eks:eks-cluster-name", "ingress.eks.amazonaws.com/stack", "ingress.eks.amazonaws.com/resource", "service.eks.amazonaws.com/stack", "service.eks.amazonaws.com/resource"],
    },
};

/**
 * The AWS-managed policies of EKS Auto Mode's cluster role (compute, block storage, load balancing, networking)
 * and node role (minimal worker-node permissions), part of AWS_MANAGED_POLICIES and held to the same rule: each
 * the default version AWS publishes, statement for statement. Most of their statements scope to the cluster by
 * `${aws:PrincipalTag/eks:eks-cluster-name}`, the session tag EKS sets when it assumes the cluster role.
 */
export const AUTO_MODE_POLICIES = {
    AmazonEKSComputePolicy: {
        path: "",
        version: "v5",
        created: "2026-02-12",
        document: {
            Version: "2012-10-17",
            Statement: [
                {
                    Effect: "Allow",
                    Action: ["ec2:CreateFleet", "ec2:RunInstances"],
                    Resource: ["arn:aws:ec2:*:*:capacity-reservation/*", "arn:aws:ec2:*::image/*", "arn:aws:ec2:*:*:security-group/*", "arn:aws:ec2:*:*:subnet/*"],
                },
                {
                    Effect: "Allow",
                    Action: ["ec2:CreateFleet", "ec2:RunInstances"],
                    Resource: "arn:aws:ec2:*:*:launch-template/*",
                    Condition: ON_THIS_CLUSTER,
                },
                {
                    Effect: "Allow",
                    Action: ["ec2:CreateFleet", "ec2:RunInstances", "ec2:CreateLaunchTemplate"],
                    Resource: "*",
                    Condition: {
                        StringLike: { "aws:RequestTag/eks:kubernetes-node-class-name": "*", "aws:RequestTag/eks:kubernetes-node-pool-name": "*" },
                        "ForAllValues:StringLike": { "aws:TagKeys": ["eks:eks-cluster-name", "eks:kubernetes-node-class-name", "eks:kubernetes-node-pool-name", "kubernetes.io/cluster/*"] },
                        StringEquals: { "aws:RequestTag/eks:eks-cluster-name": CLUSTER },
                    },
                },
                {
                    Effect: "Allow",
                    Action: "ec2:CreateTags",
                    Resource: "*",
                    Condition: { StringEquals: { "ec2:CreateAction": ["CreateFleet", "RunInstances", "CreateLaunchTemplate"] } },
                },
                { Effect: "Allow", Action: "iam:AddRoleToInstanceProfile", Resource: "arn:aws:iam::*:instance-profile/eks*" },
                {
                    Effect: "Allow",
                    Action: "iam:PassRole",
                    Resource: "*",
                    Condition: { StringEquals: { "iam:PassedToService": ["ec2.amazonaws.com", "ec2.amazonaws.com.cn"] } },
                },
                {
                    Effect: "Allow",
                    Action: ["iam:CreateServiceLinkedRole"],
                    Resource: ["arn:aws:iam::*:role/aws-service-role/spot.amazonaws.com/AWSServiceRoleForEC2Spot"],
                    Condition: { StringEquals: { "iam:AWSServiceName": "spot.amazonaws.com" } },
                },
            ],
        },
    },
    AmazonEKSBlockStoragePolicy: {
        path: "",
        version: "v1",
        created: "2024-10-30",
        document: {
            Version: "2012-10-17",
            Statement: [
                {
                    Effect: "Allow",
                    Action: ["ec2:AttachVolume", "ec2:DetachVolume", "ec2:ModifyVolume", "ec2:EnableFastSnapshotRestores"],
                    Resource: "*",
                    Condition: ON_THIS_CLUSTER,
                },
                { Effect: "Allow", Action: "ec2:CreateTags", Resource: "*", Condition: { StringEquals: { "ec2:CreateAction": ["CreateVolume", "CreateSnapshot"] } } },
                {
                    Effect: "Allow",
                    Action: ["ec2:CreateVolume"],
                    Resource: "arn:aws:ec2:*:*:volume/*",
                    Condition: {
                        "ForAllValues:StringLike": {
                            "aws:TagKeys": [
                                "eks:eks-cluster-name", "CSIVolumeName", "ebs.csi.eks.amazonaws.com/cluster", "kubernetes.io/cluster/*", "kubernetes.io/created-for/*",
                                "Name", "KubernetesCluster",
                            ],
                        },
                        StringEquals: { "aws:RequestTag/eks:eks-cluster-name": CLUSTER },
                    },
                },
                { Effect: "Allow", Action: ["ec2:CreateVolume"], Resource: "arn:aws:ec2:*:*:snapshot/*" },
                { Effect: "Allow", Action: ["ec2:CreateSnapshot"], Resource: "arn:aws:ec2:*:*:volume/*" },
                {
                    Effect: "Allow",
                    Action: ["ec2:CreateSnapshot"],
                    Resource: "arn:aws:ec2:*:*:snapshot/*",
                    Condition: {
                        "ForAllValues:StringLike": { "aws:TagKeys": ["eks:eks-cluster-name", "CSIVolumeSnapshotName", "ebs.csi.eks.amazonaws.com/cluster", "kubernetes.io/cluster/*", "Name"] },
                        StringEquals: { "aws:RequestTag/eks:eks-cluster-name": CLUSTER },
                    },
                },
            ],
        },
    },
    AmazonEKSLoadBalancingPolicy: {
        path: "",
        version: "v4",
        created: "2026-02-12",
        document: {
            Version: "2012-10-17",
            Statement: [
                {
                    Effect: "Allow",
                    Action: [
                        "elasticloadbalancing:CreateLoadBalancer", "elasticloadbalancing:CreateTargetGroup", "elasticloadbalancing:CreateListener",
                        "elasticloadbalancing:CreateRule", "ec2:CreateSecurityGroup",
                    ],
                    Resource: "*",
                    Condition: LOAD_BALANCING_TAGS,
                },
                { Effect: "Allow", Action: ["ec2:CreateSecurityGroup"], Resource: "arn:aws:ec2:*:*:vpc/*" },
                {
                    Effect: "Allow",
                    Action: ["elasticloadbalancing:RegisterTargets"],
                    Resource: "arn:aws:elasticloadbalancing:*:*:targetgroup/*/*",
                    Condition: ON_THIS_CLUSTER,
                },
                {
                    Effect: "Allow",
                    Action: ["ec2:AuthorizeSecurityGroupIngress"],
                    Resource: "arn:aws:ec2:*:*:security-group-rule/*",
                    Condition: TAGGED_FOR_THIS_CLUSTER,
                },
                // The cluster security group EKS creates (`eks-cluster-sg-<cluster>-…`), and the groups Auto Mode made for this cluster.
                { Effect: "Allow", Action: SECURITY_GROUP_RULES, Resource: "arn:aws:ec2:*:*:security-group/*", Condition: { StringLike: { "aws:ResourceTag/Name": "eks-cluster-sg*" } } },
                { Effect: "Allow", Action: SECURITY_GROUP_RULES, Resource: "arn:aws:ec2:*:*:security-group/*", Condition: ON_THIS_CLUSTER },
                {
                    Effect: "Allow",
                    Action: ["elasticloadbalancing:AddTags"],
                    Resource: "*",
                    Condition: { StringEquals: { "elasticloadbalancing:CreateAction": ["CreateLoadBalancer", "CreateTargetGroup", "CreateListener", "CreateRule"] } },
                },
                {
                    Effect: "Allow",
                    Action: ["ec2:CreateTags"],
                    Resource: "*",
                    Condition: { StringEquals: { "ec2:CreateAction": ["CreateSecurityGroup", "AuthorizeSecurityGroupIngress"] } },
                },
                {
                    Effect: "Allow",
                    Action: [
                        "elasticloadbalancing:ModifyLoadBalancerAttributes", "elasticloadbalancing:SetIpAddressType", "elasticloadbalancing:SetSecurityGroups",
                        "elasticloadbalancing:SetSubnets", "elasticloadbalancing:ModifyTargetGroup", "elasticloadbalancing:ModifyTargetGroupAttributes",
                        "elasticloadbalancing:ModifyListener", "elasticloadbalancing:AddListenerCertificates", "elasticloadbalancing:ModifyListenerAttributes",
                        "elasticloadbalancing:RemoveListenerCertificates", "elasticloadbalancing:ModifyRule",
                    ],
                    Resource: "*",
                    Condition: ON_THIS_CLUSTER,
                },
                {
                    Effect: "Allow",
                    Action: ["wafv2:AssociateWebACL", "wafv2:DisassociateWebACL"],
                    Resource: ["arn:aws:wafv2:*:*:*/webacl/*/*", "arn:aws:elasticloadbalancing:*:*:loadbalancer/app/*/*"],
                },
                {
                    Effect: "Allow",
                    Action: ["shield:CreateProtection"],
                    Resource: "*",
                    Condition: LOAD_BALANCING_TAGS,
                },
                {
                    Effect: "Allow",
                    Action: ["shield:DeleteProtection"],
                    Resource: "*",
                    Condition: ON_THIS_CLUSTER,
                },
                {
                    Effect: "Allow",
                    Action: ["shield:TagResource"],
                    Resource: "arn:aws:shield::*:protection/*",
                    Condition: LOAD_BALANCING_TAGS,
                },
                {
                    Effect: "Allow",
                    Action: [
                        "cognito-idp:DescribeUserPoolClient", "acm:ListCertificates", "acm:DescribeCertificate", "wafv2:GetWebACL", "wafv2:GetWebACLForResource",
                        "elasticloadbalancing:SetWebAcl", "elasticloadbalancing:DescribeTargetGroups",
                    ],
                    Resource: "*",
                },
                {
                    Effect: "Allow",
                    Action: [
                        "ec2:DescribeAccountAttributes", "ec2:DescribeAddresses", "ec2:DescribeInternetGateways", "ec2:DescribeSecurityGroups", "ec2:DescribeSubnets",
                        "ec2:DescribeVpcs", "ec2:DescribeVpcClassicLink", "ec2:DescribeInstances", "ec2:DescribeNetworkInterfaces", "ec2:DescribeClassicLinkInstances",
                        "ec2:DescribeRouteTables", "ec2:DescribeCoipPools", "ec2:GetCoipPoolUsage", "ec2:GetSecurityGroupsForVpc", "ec2:DescribeVpcPeeringConnections",
                    ],
                    Resource: "*",
                },
                {
                    Effect: "Allow",
                    Action: ["iam:CreateServiceLinkedRole"],
                    Resource: "arn:aws:iam::*:role/aws-service-role/elasticloadbalancing.amazonaws.com/AWSServiceRoleForElasticLoadBalancing",
                    Condition: { StringEquals: { "iam:AWSServiceName": "elasticloadbalancing.amazonaws.com" } },
                },
            ],
        },
    },
    AmazonEKSNetworkingPolicy: {
        path: "",
        version: "v2",
        created: "2026-02-20",
        document: {
            Version: "2012-10-17",
            Statement: [
                {
                    Effect: "Allow",
                    Action: "ec2:CreateNetworkInterface",
                    Resource: "*",
                    Condition: {
                        StringLike: { "aws:RequestTag/eks:kubernetes-cni-node-name": "*" },
                        StringEquals: { "aws:RequestTag/eks:eks-cluster-name": CLUSTER },
                        "ForAllValues:StringEquals": { "aws:TagKeys": ["eks:eks-cluster-name", "eks:kubernetes-cni-node-name"] },
                    },
                },
                { Effect: "Allow", Action: "ec2:CreateNetworkInterface", Resource: ["arn:aws:ec2:*:*:security-group/*", "arn:aws:ec2:*:*:subnet/*"] },
                { Effect: "Allow", Action: "ec2:CreateTags", Resource: "*", Condition: { StringEquals: { "ec2:CreateAction": "CreateNetworkInterface" } } },
                {
                    Effect: "Allow",
                    Action: [
                        "ec2:AttachNetworkInterface", "ec2:DetachNetworkInterface", "ec2:UnassignPrivateIpAddresses", "ec2:UnassignIpv6Addresses",
                        "ec2:AssignPrivateIpAddresses", "ec2:AssignIpv6Addresses",
                    ],
                    Resource: "*",
                    Condition: ON_THIS_CLUSTER,
                },
                {
                    Effect: "Allow",
                    Action: "ec2:ModifyNetworkInterfaceAttribute",
                    Resource: ["arn:aws:ec2:*:*:network-interface/*", "arn:aws:ec2:*:*:instance/*"],
                    Condition: ON_THIS_CLUSTER,
                },
            ],
        },
    },
    AmazonEKSWorkerNodeMinimalPolicy: {
        path: "",
        version: "v1",
        created: "2024-10-02",
        document: {
            Version: "2012-10-17",
            Statement: [
                { Sid: "WorkerNodePermissions", Effect: "Allow", Action: ["eks-auth:AssumeRoleForPodIdentity"], Resource: "*" },
            ],
        },
    },
} satisfies Record<string, AwsManagedPolicy>;

import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AwsContext } from "../../shared/aws-context";
import { AwsManagedPolicyName } from "../../shared/aws-managed-policies";
import { PolicyDocument } from "../../shared/iam";
import { createNodeRole } from "../node-group";

/**
 * What Auto Mode's cluster role holds beside AmazonEKSClusterPolicy: EKS launches instances, volumes and load
 * balancers and manages the node network as that role (EKS User Guide, "Amazon EKS Auto Mode cluster IAM role").
 */
export const AUTO_MODE_CLUSTER_POLICIES: AwsManagedPolicyName[] = [
    "AmazonEKSComputePolicy",
    "AmazonEKSBlockStoragePolicy",
    "AmazonEKSLoadBalancingPolicy",
    "AmazonEKSNetworkingPolicy",
];

/**
 * Auto Mode's managed policies let EKS tag what it launches with its own `eks:*` tags only. The NodeClass's and
 * IngressClassParams' tags (the stack's owner tags, on every instance, volume, interface and load balancer)
 * need this beside them: AWS's documented tag-propagation policy (EKS User Guide, "Custom AWS tags for EKS Auto
 * resources"), each create allowed only when it carries this cluster's `eks:eks-cluster-name` tag, which EKS
 * puts on everything it creates for the cluster. Shield is left out: the platform asks for no Shield protection.
 */
export function autoModeTagPropagationPolicy(): PolicyDocument {
    const thisCluster = { "aws:RequestTag/eks:eks-cluster-name": "${aws:PrincipalTag/eks:eks-cluster-name}" };
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "Compute",
                Effect: "Allow",
                Action: ["ec2:CreateFleet", "ec2:RunInstances", "ec2:CreateLaunchTemplate"],
                Resource: "*",
                Condition: { StringEquals: thisCluster, StringLike: { "aws:RequestTag/eks:kubernetes-node-class-name": "*", "aws:RequestTag/eks:kubernetes-node-pool-name": "*" } },
            },
            { Sid: "Storage", Effect: "Allow", Action: ["ec2:CreateVolume", "ec2:CreateSnapshot"], Resource: ["arn:*:ec2:*:*:volume/*", "arn:*:ec2:*:*:snapshot/*"], Condition: { StringEquals: thisCluster } },
            {
                Sid: "Networking",
                Effect: "Allow",
                Action: "ec2:CreateNetworkInterface",
                Resource: "*",
                Condition: { StringEquals: thisCluster, StringLike: { "aws:RequestTag/eks:kubernetes-cni-node-name": "*" } },
            },
            {
                Sid: "LoadBalancer",
                Effect: "Allow",
                Action: ["elasticloadbalancing:CreateLoadBalancer", "elasticloadbalancing:CreateTargetGroup", "elasticloadbalancing:CreateListener", "elasticloadbalancing:CreateRule", "ec2:CreateSecurityGroup"],
                Resource: "*",
                Condition: { StringEquals: thisCluster },
            },
        ],
    };
}

/** Auto Mode nodes: join the cluster and pull images, nothing more (EKS User Guide, "Amazon EKS Auto Mode node IAM role"). */
export const AUTO_MODE_NODE_POLICIES: AwsManagedPolicyName[] = ["AmazonEKSWorkerNodeMinimalPolicy", "AmazonEC2ContainerRegistryPullOnly"];

/**
 * Logical names of a cluster's two Auto Mode node roles: the built-in `system` pool's (`computeConfig.nodeRoleArn`)
 * and the workload NodeClass's. IAM auto-names each `<name>-<7 characters>`; CI's scopes match them by prefix.
 */
export const AUTO_MODE_NODE_ROLES = {
    system: (clusterName: string) => `${clusterName}-auto-system`,
    nodeClass: (clusterName: string) => `${clusterName}-auto-nodes`,
} as const;

/** The access policy an Auto Mode node role's `EC2` access entry carries. */
export const AUTO_MODE_NODE_ACCESS_POLICY = "AmazonEKSAutoNodePolicy";

/** An Auto Mode node role: the minimal policies, plus pulling through the stack's Docker Hub cache. */
export function createAutoModeNodeRole(name: string, description: string, ctx: AwsContext, imageCachePrefix: string, parent: pulumi.Resource): aws.iam.Role {
    return createNodeRole(name, description, AUTO_MODE_NODE_POLICIES, ctx, imageCachePrefix, parent);
}

/**
 * The `EC2` access entry a node role of a custom NodeClass needs (EKS creates the one of the cluster's own
 * node role, `computeConfig.nodeRoleArn`), with AmazonEKSAutoNodePolicy on the whole cluster.
 */
export function autoModeNodeAccess(name: string, clusterName: pulumi.Input<string>, role: aws.iam.Role, ctx: AwsContext, parent: pulumi.Resource): aws.eks.AccessPolicyAssociation {
    const entry = new aws.eks.AccessEntry(name, { clusterName, principalArn: role.arn, type: "EC2" }, { parent });
    return new aws.eks.AccessPolicyAssociation(
        name,
        {
            clusterName,
            principalArn: entry.principalArn,
            policyArn: pulumi.interpolate`arn:${ctx.partition}:eks::aws:cluster-access-policy/${AUTO_MODE_NODE_ACCESS_POLICY}`,
            accessScope: { type: "cluster" },
        },
        { parent },
    );
}

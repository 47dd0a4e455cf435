import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AwsContext } from "../../shared/aws-context";
import { AttachableManagedPolicyName } from "../../shared/aws-managed-policies";
import { createNodeRole } from "../node-group";

/**
 * What Auto Mode's cluster role holds beside AmazonEKSClusterPolicy: EKS launches instances, volumes and load
 * balancers and manages the node network as that role (EKS User Guide, "Amazon EKS Auto Mode cluster IAM role").
 */
export const AUTO_MODE_CLUSTER_POLICIES: AttachableManagedPolicyName[] = [
    "AmazonEKSComputePolicy",
    "AmazonEKSBlockStoragePolicy",
    "AmazonEKSLoadBalancingPolicy",
    "AmazonEKSNetworkingPolicy",
];

/** Auto Mode nodes: join the cluster and pull images, nothing more (EKS User Guide, "Amazon EKS Auto Mode node IAM role"). */
export const AUTO_MODE_NODE_POLICIES: AttachableManagedPolicyName[] = ["AmazonEKSWorkerNodeMinimalPolicy", "AmazonEC2ContainerRegistryPullOnly"];

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

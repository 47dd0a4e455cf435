import * as pulumi from "@pulumi/pulumi";
import { AwsContext } from "../shared/aws-context";
import type { RoleGrant } from "./access";

export type AccessLevel = "view" | "edit";

/** A namespace-scoped access entry. */
export interface NamespaceAccess {
    /** IAM role/user ARN, or `role/<name>` / `user/<name>` in the deploying account. */
    principal: string;
    /** `view` (AmazonEKSViewPolicy) or `edit` (AmazonEKSEditPolicy). */
    level: AccessLevel;
    /** Namespaces the access is limited to. */
    namespaces: string[];
}

export interface SystemNodesArgs {
    /** Instance types, all of one architecture. */
    instanceTypes: string[];
    /** Picks the AL2023 AMI type. */
    architecture: "x86_64" | "arm64";
    minSize: number;
    desiredSize: number;
    maxSize: number;
}

export interface ClusterArgs {
    /** EKS cluster name (also the Karpenter discovery tag value). */
    name: string;
    /** Kubernetes version, `1.NN`. */
    version: string;
    /** VPC of the cluster. */
    vpcId: pulumi.Input<string>;
    /** Private subnets for the control-plane ENIs and all nodes. */
    privateSubnetIds: pulumi.Input<string[]>;
    /** Whether the API endpoint is public (the private endpoint is always on). */
    endpointPublicAccess: boolean;
    /** CIDRs allowed to the public endpoint. */
    publicAccessCidrs: string[];
    /** Retention of the control-plane log group, in days. */
    logRetentionDays: number;
    /** KMS key for the control-plane log group. */
    logsKeyArn: pulumi.Input<string>;
    /** Principals with cluster-admin (ARN or `role/<name>` shorthand). */
    adminPrincipals: string[];
    /** Namespace-scoped view/edit access. */
    namespaceAccess: NamespaceAccess[];
    /** Roles this program creates that get cluster-admin by ARN (CI's deploy role). */
    adminRoles?: RoleGrant[];
    /** Roles that get cluster-wide read-only access without Secrets (CI's preview role). */
    viewerRoles?: RoleGrant[];
    /** Whether the creating identity gets implicit cluster-admin (fixed at creation). */
    bootstrapCreatorAdmin: boolean;
    /** The tainted system node group. */
    systemNodes: SystemNodesArgs;
    /** Account facts for ARNs and trust conditions. */
    aws: AwsContext;
    /** Protect the cluster, its secrets key and its log group. */
    protect: boolean;
}

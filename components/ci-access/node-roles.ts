import * as pulumi from "@pulumi/pulumi";
import { AUTO_MODE_NODE_ACCESS_POLICY, AUTO_MODE_NODE_ROLES } from "../cluster/auto-mode/iam";
import { arn } from "../shared/aws-context";
import { PolicyStatement } from "../shared/iam";
import { DeployScope } from "./deploy-policy";

export const ACCESS_ENTRY_ACTIONS = ["eks:CreateAccessEntry", "eks:DeleteAccessEntry", "eks:UpdateAccessEntry"];

/** Karpenter's node role of this cluster (auto-named `<cluster>-karpenter-nodes-<suffix>`). */
export const nodeRolePattern = (s: Pick<DeployScope, "aws" | "clusterName">) =>
    arn(s.aws, "iam", `role/${s.clusterName}-karpenter-nodes-*`, { global: true });

/** This cluster's Auto Mode node roles, the system pool's and the workload NodeClass's (auto-named `<name>-<suffix>`). */
export const autoModeNodeRolePatterns = (s: Pick<DeployScope, "aws" | "clusterName">) =>
    Object.values(AUTO_MODE_NODE_ROLES).map((name) => arn(s.aws, "iam", `role/${name(s.clusterName)}-*`, { global: true }));

/** The node role of a mode that needs an `EC2` access entry of its own: Karpenter's, or Auto Mode's NodeClass role (EKS makes the system pool's). */
const entryRolePattern = (s: Pick<DeployScope, "aws" | "clusterName" | "computeMode">) =>
    s.computeMode === "auto" ? arn(s.aws, "iam", `role/${AUTO_MODE_NODE_ROLES.nodeClass(s.clusterName)}-*`, { global: true }) : nodeRolePattern(s);

/** The access policies the deploy role may associate besides the configured principals' (AmazonEKSAutoNodePolicy in auto mode). */
export const nodeAccessPolicies = (s: Pick<DeployScope, "computeMode">): string[] => (s.computeMode === "auto" ? [AUTO_MODE_NODE_ACCESS_POLICY] : []);

/**
 * The access entry of this cluster's node role, and in auto mode its AmazonEKSAutoNodePolicy on the whole
 * cluster (what autoModeNodeAccess creates), for that role only.
 */
export function nodeAccessStatements(s: Pick<DeployScope, "aws" | "clusterName" | "computeMode">): PolicyStatement[] {
    const accessEntries = [arn(s.aws, "eks", `cluster/${s.clusterName}`), arn(s.aws, "eks", `access-entry/${s.clusterName}/*`)];
    return [
        { Sid: "AccessEntryForThisClustersNodeRole", Effect: "Allow", Action: ACCESS_ENTRY_ACTIONS, Resource: accessEntries, Condition: { ArnLike: { "eks:principalArn": entryRolePattern(s) } } },
        ...nodeAccessPolicies(s).map((policy) => ({
            Sid: "AutoNodeAccessForThisClustersNodeRole",
            Effect: "Allow" as const,
            Action: ["eks:AssociateAccessPolicy", "eks:DisassociateAccessPolicy"],
            Resource: arn(s.aws, "eks", `access-entry/${s.clusterName}/*`),
            Condition: {
                ArnLike: { "eks:principalArn": entryRolePattern(s) },
                ArnEquals: { "eks:policyArn": pulumi.interpolate`arn:${s.aws.partition}:eks::aws:cluster-access-policy/${policy}` },
                StringEquals: { "eks:accessScope": "cluster" },
            },
        })),
    ];
}

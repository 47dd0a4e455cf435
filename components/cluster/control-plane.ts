import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { arn } from "../shared/aws-context";
import { managedPolicyArn, policyJson, serviceTrustPolicy } from "../shared/iam";
import { KmsKey } from "../shared/kms-key";
import { AUTO_MODE_CLUSTER_POLICIES, autoModeTagPropagationPolicy } from "./auto-mode/iam";
import { ClusterArgs } from "./types";

/** The log group EKS writes the control-plane logs of cluster `name` to (a fixed name: EKS chooses it). */
export const controlPlaneLogGroupName = (name: string): string => `/aws/eks/${name}/cluster`;

/** All five control-plane log types (CKV_AWS_37). */
export const CONTROL_PLANE_LOG_TYPES = ["api", "audit", "authenticator", "controllerManager", "scheduler"];

export interface ControlPlane {
    cluster: aws.eks.Cluster;
    secretsKey: KmsKey;
    logGroup: aws.cloudwatch.LogGroup;
    /** The EKS-created security group shared by the control plane and all nodes. */
    clusterSecurityGroupId: pulumi.Output<string>;
}

/**
 * EKS control plane: IAM role, envelope-encryption key, log group, cluster, discovery tag. In `auto` mode the
 * cluster runs Auto Mode's compute (the built-in `system` pool, on `autoModeNodeRoleArn`), block storage and
 * load balancing, all three together as EKS requires, and its role holds the policies those need.
 */
export function createControlPlane(args: ClusterArgs, parent: pulumi.Resource, autoModeNodeRoleArn?: pulumi.Input<string>): ControlPlane {
    const name = args.name;
    const role = new aws.iam.Role(
        `${name}-cluster`,
        {
            description: `EKS control plane of ${name}`,
            assumeRolePolicy: policyJson(serviceTrustPolicy("eks.amazonaws.com", { actions: ["sts:AssumeRole", "sts:TagSession"] })),
        },
        { parent },
    );
    const clusterPolicy = new aws.iam.RolePolicyAttachment(
        `${name}-cluster-policy`,
        { role: role.name, policyArn: managedPolicyArn(args.aws, "AmazonEKSClusterPolicy") },
        { parent },
    );
    const auto = args.computeMode === "auto";
    const autoModePolicies = (auto ? AUTO_MODE_CLUSTER_POLICIES : []).map(
        (policy) => new aws.iam.RolePolicyAttachment(`${name}-cluster-${policy}`, { role: role.name, policyArn: managedPolicyArn(args.aws, policy) }, { parent }),
    );
    if (auto && (!autoModeNodeRoleArn || (args.ipFamily !== "ipv6" && !args.serviceIpv4Cidr))) {
        throw new Error("computeMode auto: the control plane needs the node role of Auto Mode's system pool and, with IPv4, an explicit service CIDR");
    }
    // The stack's owner tags on what Auto Mode launches: its managed policies alone refuse user-defined tags.
    const autoModeTags = auto
        ? [new aws.iam.RolePolicy(`${name}-cluster-auto-mode-tags`, { role: role.id, policy: policyJson(autoModeTagPropagationPolicy()) }, { parent })]
        : [];

    const secretsKey = new KmsKey(
        `${name}-secrets`,
        {
            description: `${name}: envelope encryption of Kubernetes secrets`,
            alias: `${name}/eks-secrets`,
            aws: args.aws,
            administration: args.keyAdministration,
            // The key's one user: EKS encrypts and decrypts secrets as the cluster role.
            serviceStatements: [
                {
                    Sid: "EksClusterRoleUses",
                    Effect: "Allow",
                    Principal: { AWS: role.arn },
                    Action: ["kms:Encrypt", "kms:Decrypt", "kms:ListGrants", "kms:DescribeKey"],
                    Resource: "*",
                },
            ],
            protect: args.protect,
        },
        { parent },
    );
    // EKS encrypts and decrypts secrets as the cluster role.
    const useSecretsKey = new aws.iam.RolePolicy(
        `${name}-cluster-secrets-key`,
        {
            role: role.id,
            policy: policyJson({
                Version: "2012-10-17",
                Statement: [
                    {
                        Effect: "Allow",
                        Action: ["kms:Encrypt", "kms:Decrypt", "kms:ListGrants", "kms:DescribeKey"],
                        Resource: secretsKey.arn,
                    },
                ],
            }),
        },
        { parent },
    );

    // Created before the cluster so EKS writes into it (with our retention and key) instead of making its own.
    const logGroup = new aws.cloudwatch.LogGroup(
        `${name}-control-plane`,
        { name: controlPlaneLogGroupName(name), retentionInDays: args.logRetentionDays, kmsKeyId: args.logsKeyArn },
        { parent, protect: args.protect },
    );

    const cluster = new aws.eks.Cluster(
        name,
        {
            name,
            version: args.kubernetesVersion,
            roleArn: role.arn,
            vpcConfig: {
                subnetIds: args.privateSubnetIds,
                endpointPrivateAccess: true,
                endpointPublicAccess: args.endpointPublicAccess,
                publicAccessCidrs: args.endpointPublicAccess ? args.publicAccessCidrs : undefined,
            },
            accessConfig: {
                authenticationMode: "API",
                bootstrapClusterCreatorAdminPermissions: args.bootstrapCreatorAdmin,
            },
            // IPv6: EKS picks the service range from fd00::/8 (no serviceIpv6Cidr to give); IPv4 keeps EKS's default
            // unless Auto Mode needs a known one (its nodes answer DNS at the range's tenth address).
            kubernetesNetworkConfig:
                args.ipFamily === "ipv6" || auto
                    ? {
                          ...(args.ipFamily === "ipv6" ? { ipFamily: "ipv6" } : { serviceIpv4Cidr: args.serviceIpv4Cidr }),
                          ...(auto ? { elasticLoadBalancing: { enabled: true } } : {}),
                      }
                    : undefined,
            // Add-ons are EKS managed add-ons (see addons.ts), never the unmanaged defaults; Auto Mode runs its own.
            bootstrapSelfManagedAddons: false,
            ...(auto
                ? {
                      // The built-in `system` pool runs the platform's controllers; the workload NodePool replaces `general-purpose`.
                      computeConfig: { enabled: true, nodePools: ["system"], nodeRoleArn: autoModeNodeRoleArn },
                      storageConfig: { blockStorage: { enabled: true } },
                  }
                : {}),
            encryptionConfig: { provider: { keyArn: secretsKey.arn }, resources: ["secrets"] },
            enabledClusterLogTypes: CONTROL_PLANE_LOG_TYPES,
            deletionProtection: args.protect,
            // Explicit, so the cluster never moves to extended support (USD 0.60/h instead of 0.10/h) unnoticed.
            upgradePolicy: { supportType: args.supportType },
            zonalShiftConfig: { enabled: args.zonalShift },
        },
        { parent, protect: args.protect, dependsOn: [clusterPolicy, ...autoModePolicies, ...autoModeTags, useSecretsKey, logGroup] },
    );

    const clusterSecurityGroupId = cluster.vpcConfig.clusterSecurityGroupId;
    // Karpenter's EC2NodeClass selects the node security group by this tag.
    new aws.ec2.Tag(
        `${name}-karpenter-discovery`,
        { resourceId: clusterSecurityGroupId, key: "karpenter.sh/discovery", value: name },
        { parent },
    );

    // EKS creates the group with its own tags only; the owner tags let the platform's roles (nodes, the
    // Load Balancer Controller) use and change it under CI's permissions boundary.
    for (const [key, value] of Object.entries(args.ownerTags)) {
        new aws.ec2.Tag(`${name}-cluster-sg-${key}`, { resourceId: clusterSecurityGroupId, key, value }, { parent });
    }

    // The way into a private API: each listed network may reach the endpoint on 443, and nothing else.
    for (const cidr of args.privateAccessCidrs) {
        new aws.vpc.SecurityGroupIngressRule(
            `${name}-api-from-${cidr.replace(/[./]/g, "-")}`,
            {
                securityGroupId: clusterSecurityGroupId,
                cidrIpv4: cidr,
                ipProtocol: "tcp",
                fromPort: 443,
                toPort: 443,
                description: `Kubernetes API (private endpoint) from ${cidr}`,
            },
            { parent },
        );
    }

    return { cluster, secretsKey, logGroup, clusterSecurityGroupId };
}

/** ARN of the cluster, for trust conditions (known before the cluster exists). */
export function clusterArn(args: ClusterArgs): pulumi.Output<string> {
    return arn(args.aws, "eks", `cluster/${args.name}`);
}

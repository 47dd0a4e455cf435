import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AwsContext } from "../shared/aws-context";
import { AwsManagedPolicyName } from "../shared/aws-managed-policies";
import { managedPolicyArn, policyJson, serviceTrustPolicy } from "../shared/iam";
import { SYSTEM_NODE_LABELS, SYSTEM_TAINT } from "../shared/placement";
import { pullThroughPolicy } from "../registry/pull-through-cache";
import { NodeArchitecture, instanceArchitecture } from "../shared/instance-types";
import { IpFamily } from "../network/types";
import { SystemNodesArgs } from "./types";

/** AWS-managed policies a node needs: join the cluster, run the VPC CNI, pull images (CIS 5.1.3). */
export const NODE_POLICIES: AwsManagedPolicyName[] = ["AmazonEKSWorkerNodePolicy", "AmazonEKS_CNI_Policy", "AmazonEC2ContainerRegistryPullOnly"];

/**
 * IMDSv2 only, one hop: pods cannot borrow the node role through the metadata service, so every
 * controller gets its own Pod Identity role (CKV_AWS_79, CKV_AWS_341).
 */
export const NODE_METADATA_OPTIONS = {
    httpEndpoint: "enabled",
    httpTokens: "required",
    httpPutResponseHopLimit: 1,
    instanceMetadataTags: "disabled",
} as const;

/**
 * A node role's managed policies in a cluster of `ipFamily`: in an IPv6 cluster the VPC CNI runs with its own
 * Pod Identity role (vpc-cni.ts), so the nodes drop AmazonEKS_CNI_Policy (IPv4 address management on every ENI).
 */
export function nodePoliciesFor(policies: readonly AwsManagedPolicyName[], ipFamily: IpFamily): AwsManagedPolicyName[] {
    return ipFamily === "ipv6" ? policies.filter((p) => p !== "AmazonEKS_CNI_Policy") : [...policies];
}

/** The metadata options of the cluster's nodes; IPv6 nodes also answer on the IPv6 endpoint [fd00:ec2::254] (Nitro), same hop limit. */
export function nodeMetadataOptions(ipFamily: IpFamily): typeof NODE_METADATA_OPTIONS & { httpProtocolIpv6?: "enabled" } {
    return ipFamily === "ipv6" ? { ...NODE_METADATA_OPTIONS, httpProtocolIpv6: "enabled" } : NODE_METADATA_OPTIONS;
}

export const ROOT_VOLUME = { deviceName: "/dev/xvda", sizeGiB: 50 } as const;

/** The distinct architectures of some instance types, sorted; one node group runs one AMI, so only one may appear. */
export function instanceArchitectures(instanceTypes: readonly string[]): NodeArchitecture[] {
    return [...new Set(instanceTypes.map(instanceArchitecture))].sort();
}

/** The AL2023 AMI type for the node group's instance types. */
export function systemNodeAmiType(instanceTypes: readonly string[]): "AL2023_x86_64_STANDARD" | "AL2023_ARM_64_STANDARD" {
    const architectures = instanceArchitectures(instanceTypes);
    if (architectures.length !== 1) {
        throw new Error(`system node instance types ${JSON.stringify(instanceTypes)} must all be of one architecture (x86_64 or arm64); got ${architectures.join(", ") || "none"}`);
    }
    return architectures[0] === "arm64" ? "AL2023_ARM_64_STANDARD" : "AL2023_x86_64_STANDARD";
}

/**
 * EC2 role for nodes with exactly the given managed policies, plus pulling through the stack's Docker
 * Hub cache (whose repository prefix is `imageCachePrefix`).
 */
export function createNodeRole(
    name: string,
    description: string,
    policies: AwsManagedPolicyName[],
    ctx: AwsContext,
    imageCachePrefix: string,
    parent: pulumi.Resource,
): aws.iam.Role {
    const role = new aws.iam.Role(name, { description, assumeRolePolicy: policyJson(serviceTrustPolicy("ec2.amazonaws.com")) }, { parent });
    for (const policy of policies) {
        new aws.iam.RolePolicyAttachment(`${name}-${policy}`, { role: role.name, policyArn: managedPolicyArn(ctx, policy) }, { parent });
    }
    new aws.iam.RolePolicy(`${name}-image-cache`, { role: role.name, policy: policyJson(pullThroughPolicy(ctx, imageCachePrefix)) }, { parent });
    return role;
}

export interface SystemNodeGroupArgs {
    clusterName: pulumi.Input<string>;
    /**
     * The cluster's Kubernetes version (its output, so the group updates after the control plane). Without it
     * the group keeps the version it was created with when `kubernetesVersion` changes.
     */
    kubernetesVersion: pulumi.Input<string>;
    subnetIds: pulumi.Input<string[]>;
    nodes: SystemNodesArgs;
    aws: AwsContext;
    /** Repository prefix of the stack's Docker Hub pull-through cache, which the nodes pull through. */
    imageCachePrefix: string;
    /** What must exist before nodes can become Ready: add-ons (CNI, kube-proxy, Pod Identity agent), the subnets' NAT routes. */
    dependsOn: pulumi.Resource[];
    /** The stack's owner tags, for the instances, volumes and interfaces the node group launches. */
    ownerTags: Record<string, string>;
    /** The cluster's IP family: the node role's policies and the metadata endpoint follow it. */
    ipFamily: IpFamily;
}

/** The small managed node group, tainted for system add-ons, that Karpenter and CoreDNS run on. */
export function createSystemNodeGroup(name: string, args: SystemNodeGroupArgs, parent: pulumi.Resource): aws.eks.NodeGroup {
    const role = createNodeRole(`${name}-node`, `Nodes of the ${name} managed node group`, nodePoliciesFor(NODE_POLICIES, args.ipFamily), args.aws, args.imageCachePrefix, parent);

    const launchTemplate = new aws.ec2.LaunchTemplate(
        name,
        {
            description: "System nodes: IMDSv2 with hop limit 1, encrypted gp3 root volume",
            metadataOptions: nodeMetadataOptions(args.ipFamily),
            blockDeviceMappings: [
                {
                    deviceName: ROOT_VOLUME.deviceName,
                    ebs: { volumeSize: ROOT_VOLUME.sizeGiB, volumeType: "gp3", encrypted: "true", deleteOnTermination: "true" },
                },
            ],
            // The cluster's own tag: CI's deploy role creates and changes only launch templates carrying it.
            tags: pulumi.output(args.clusterName).apply((cluster) => ({ [`kubernetes.io/cluster/${cluster}`]: "owned" })),
            // Provider default tags do not reach instances that the node group launches; the owner tags let the
            // platform's roles (VPC CNI, EBS CSI) use them under CI's permissions boundary.
            tagSpecifications: ["instance", "volume", "network-interface"].map((resourceType) => ({
                resourceType,
                tags: pulumi.output(args.clusterName).apply((cluster) => ({
                    ...args.ownerTags,
                    Name: `${name}`,
                    "eks-platform/node-group": name,
                    // IPv6: the VPC CNI's own role assigns addresses only on interfaces of this cluster's nodes (vpc-cni.ts), as Karpenter tags them.
                    ...(args.ipFamily === "ipv6" ? { [`kubernetes.io/cluster/${cluster}`]: "owned" } : {}),
                })),
            })),
        },
        { parent },
    );

    return new aws.eks.NodeGroup(
        name,
        {
            clusterName: args.clusterName,
            nodeGroupNamePrefix: `${name}-`,
            nodeRoleArn: role.arn,
            subnetIds: args.subnetIds,
            // A new version rolls the group to that version's AMI, one node at a time (updateConfig).
            version: args.kubernetesVersion,
            amiType: systemNodeAmiType(args.nodes.instanceTypes),
            capacityType: args.nodes.capacityType,
            instanceTypes: args.nodes.instanceTypes,
            scalingConfig: { minSize: args.nodes.minSize, desiredSize: args.nodes.desiredSize, maxSize: args.nodes.maxSize },
            updateConfig: { maxUnavailable: 1 },
            labels: { ...SYSTEM_NODE_LABELS },
            taints: [{ ...SYSTEM_TAINT }],
            launchTemplate: { id: launchTemplate.id, version: launchTemplate.latestVersion.apply(String) },
            nodeRepairConfig: { enabled: true },
        },
        // A new launch template version or instance type rolls the group in place; a replacement
        // must bring up the new group before the old one drains.
        { parent, dependsOn: args.dependsOn, deleteBeforeReplace: false },
    );
}

import * as pulumi from "@pulumi/pulumi";
import { AwsContext } from "../shared/aws-context";
import { KeyAdministration } from "../shared/kms-key";
import type { RoleGrant } from "./access";
import type { IpFamily } from "../network/types";

export type AccessLevel = "view" | "edit";

/**
 * Who runs the nodes, load balancers and volumes (config key `computeMode`, fixed at creation): `karpenter`,
 * the controllers this program installs on a system node group; `auto`, EKS Auto Mode.
 */
export type ComputeMode = "karpenter" | "auto";

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
    /** Instance types, all of one architecture (it picks the AL2023 AMI type). Config key `systemNodeInstanceTypes`. */
    instanceTypes: string[];
    /** `ON_DEMAND`, or `SPOT` (dev only). Config key `systemNodeCapacityType`. */
    capacityType: "ON_DEMAND" | "SPOT";
    /** Config key `systemNodeMinSize`. */
    minSize: number;
    /** Config key `systemNodeDesiredSize`. */
    desiredSize: number;
    /** Config key `systemNodeMaxSize`. */
    maxSize: number;
}

/**
 * Fields take the names of the config keys they come from; where they differ, the doc comment
 * names the key (`eks-platform:<key>`).
 */
export interface ClusterArgs {
    /** EKS cluster name (also the Karpenter discovery tag value). Config key `clusterName`. */
    name: string;
    /** Kubernetes version, `1.NN`. */
    kubernetesVersion: string;
    /** `karpenter`: managed add-ons and a system node group; `auto`: EKS Auto Mode's compute, block storage and load balancing. */
    computeMode: ComputeMode;
    /**
     * `auto` mode: the Kubernetes service CIDR, set explicitly (`autoModeServiceCidr`) so the address of the
     * node-local DNS (its tenth address) is known to the NetworkPolicies before the cluster exists.
     */
    serviceIpv4Cidr?: string;
    /** VPC of the cluster. */
    vpcId: pulumi.Input<string>;
    /** Private subnets for the control-plane ENIs and all nodes. */
    privateSubnetIds: pulumi.Input<string[]>;
    /** `ipv6`: pods and Services get IPv6 addresses (EKS assigns the service range); fixed at creation. Config key `ipFamily`. */
    ipFamily: IpFamily;
    /** The private subnets' routes to the internet (NAT): the system nodes wait for them, and go before them on destroy. */
    privateEgress: pulumi.Resource[];
    /** Whether the API endpoint is public (the private endpoint is always on). */
    endpointPublicAccess: boolean;
    /** CIDRs allowed to the public endpoint. */
    publicAccessCidrs: string[];
    /**
     * CIDRs outside the cluster (VPN clients, a CI runner subnet, a peered VPC) admitted to the private
     * endpoint on 443 through the cluster security group, which otherwise admits only its own members.
     */
    privateAccessCidrs: string[];
    /** Retention of the control-plane log group, in days. Config key `clusterLogRetentionDays`. */
    logRetentionDays: number;
    /** KMS key for the control-plane log group. */
    logsKeyArn: pulumi.Input<string>;
    /** Principals with cluster-admin (ARN or `role/<name>` shorthand). Config key `clusterAdminArns`. */
    adminPrincipals: string[];
    /** Namespace-scoped view/edit access. */
    namespaceAccess: NamespaceAccess[];
    /** Roles this program creates that get cluster-admin by ARN (CI's deploy role). */
    adminRoles?: RoleGrant[];
    /** Roles that get cluster-wide read-only access without Secrets (CI's preview role). */
    viewerRoles?: RoleGrant[];
    /** Whether the creating identity gets implicit cluster-admin (fixed at creation). */
    bootstrapCreatorAdmin: boolean;
    /** The tainted system node group (`karpenter` mode only). Config keys `systemNodeInstanceTypes`, `systemNode{Min,Desired,Max}Size`. */
    systemNodes: SystemNodesArgs;
    /** Repository prefix of the stack's Docker Hub pull-through cache; the system nodes pull through it. */
    imageCachePrefix: string;
    /**
     * The stack's owner tags (`project`, `environment`), put where the provider's default tags do not reach:
     * the system nodes' instances, volumes and interfaces, the VPC CNI's interfaces, the EBS CSI driver's
     * volumes and snapshots, the cluster security group. CI's permissions boundary lets the platform's roles
     * change only resources carrying them.
     */
    ownerTags: Record<string, string>;
    /** Account facts for ARNs and trust conditions. */
    aws: AwsContext;
    /** Administrators of the cluster's secrets key. */
    keyAdministration: KeyAdministration;
    /** Protect the cluster, its secrets key and its log group. */
    /** EKS support policy when the version's standard support ends: `STANDARD` upgrades, `EXTENDED` stays (and costs 6x). Config key `clusterSupportType`. */
    supportType: "STANDARD" | "EXTENDED";
    /** ARC zonal shift may move traffic away from an impaired zone. Config key `zonalShift`. */
    zonalShift: boolean;
    protect: boolean;
}

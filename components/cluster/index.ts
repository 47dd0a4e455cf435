import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { AwsManagedPolicyName } from "../shared/aws-managed-policies";
import { PolicyDocument } from "../shared/iam";
import { principalArn, createAccessEntries } from "./access";
import { EBS_CSI_SERVICE_ACCOUNT, createManagedAddon } from "./managed-addons";
import { clusterArn, createControlPlane } from "./control-plane";
import { kubeconfig } from "./kubeconfig";
import { createSystemNodeGroup } from "./node-group";
import { IpFamily } from "../network/types";
import { PodIdentityRole } from "./pod-identity";
import { createDefaultStorageClass } from "./storage";
import { clusterDnsAddress, clusterDnsAddressIpv6 } from "./auto-mode/dns";
import { AUTO_MODE_NODE_ROLES, createAutoModeNodeRole } from "./auto-mode/iam";
import { VPC_CNI_SERVICE_ACCOUNT, vpcCniIpv6Policy } from "./vpc-cni";
import { ClusterArgs, ComputeMode } from "./types";

export { ClusterArgs } from "./types";
export { PodIdentityRole } from "./pod-identity";

/** What a controller needs to get AWS permissions for its service account. */
export interface ServiceAccountPermissions {
    namespace: string;
    serviceAccount: string;
    policies?: Record<string, pulumi.Input<PolicyDocument>>;
    managedPolicies?: AwsManagedPolicyName[];
}

/**
 * EKS cluster in the private subnets: API authentication mode with access entries, Pod Identity
 * (no OIDC provider), secrets envelope-encrypted with a dedicated key, all control-plane logs, and
 * either (`karpenter`) EKS managed add-ons and a small tainted system node group, or (`auto`) EKS Auto
 * Mode, which runs the CNI, kube-proxy, CoreDNS, the Pod Identity agent and the EBS CSI driver itself
 * and its built-in `system` pool. Add-ons and the Platform component use `provider`, usable once the
 * cluster and the admins' access exist; what needs nodes waits for them itself.
 */
export class Cluster extends pulumi.ComponentResource {
    /** The EKS cluster's name, known once the cluster exists: for inputs that must wait for it. */
    readonly name: pulumi.Output<string>;
    /** The same name as configured, for resource names, tags and chart values known up front. */
    readonly configuredName: string;
    /** The stack's owner tags (`ClusterArgs.ownerTags`), for what the add-ons create outside the provider's default tags. */
    readonly ownerTags: Record<string, string>;
    /** The cluster's IP family (`ipFamily`): node roles, node metadata and the add-ons' load balancers follow it. */
    readonly ipFamily: IpFamily;
    readonly arn: pulumi.Output<string>;
    readonly endpoint: pulumi.Output<string>;
    readonly certificateAuthority: pulumi.Output<string>;
    /** Security group of the control plane and every node (tagged for Karpenter discovery). */
    readonly nodeSecurityGroupId: pulumi.Output<string>;
    /** Kubeconfig using `aws eks get-token`; a secret. */
    readonly kubeconfig: pulumi.Output<string>;
    /** Kubernetes provider for everything in-cluster. */
    readonly provider: k8s.Provider;
    readonly eksCluster: aws.eks.Cluster;
    /** Config key `computeMode`: what runs the nodes, load balancers and volumes. */
    readonly computeMode: ComputeMode;
    /** The tainted system node group; absent in `auto` mode, whose built-in `system` pool takes its place. */
    readonly systemNodeGroup?: aws.eks.NodeGroup;
    /** `auto` mode: the role of the nodes of Auto Mode's `system` pool (the cluster's `computeConfig.nodeRoleArn`). */
    readonly autoModeNodeRole?: aws.iam.Role;
    /** `auto` mode: where pods reach DNS (each node's own CoreDNS, at the service range's tenth address); absent: the CoreDNS pods. */
    readonly dnsAddress?: pulumi.Input<string>;
    /**
     * What a release whose pods run on the system nodes waits for, and so is deleted before on `pulumi
     * destroy` (the controllers that clean up after their objects run there): the system node group; none in
     * `auto` mode, whose `system` pool exists with the cluster.
     */
    readonly systemNodes: pulumi.Resource[];
    /** The default `gp3` StorageClass; workloads with volumes wait for it. */
    readonly defaultStorageClass: k8s.storage.v1.StorageClass;
    private readonly args: ClusterArgs;

    constructor(name: string, args: ClusterArgs, opts?: pulumi.ComponentResourceOptions) {
        super("eks-platform:cluster:Cluster", name, {}, opts);
        this.args = args;
        this.configuredName = args.name;
        this.ownerTags = args.ownerTags;
        this.computeMode = args.computeMode;
        this.ipFamily = args.ipFamily;
        const auto = args.computeMode === "auto";

        this.autoModeNodeRole = auto ? createAutoModeNodeRole(AUTO_MODE_NODE_ROLES.system(args.name), `Nodes of Auto Mode's system pool of ${args.name}`, args.aws, args.imageCachePrefix, this) : undefined;
        const controlPlane = createControlPlane(args, this, this.autoModeNodeRole?.arn);
        const cluster = controlPlane.cluster;
        this.eksCluster = cluster;
        // Auto Mode's nodes answer DNS at the service range's tenth address: IPv4's is ours, IPv6's EKS assigns.
        this.dnsAddress = !auto
            ? undefined
            : args.ipFamily === "ipv6"
              ? cluster.kubernetesNetworkConfig.apply((c) => clusterDnsAddressIpv6(c.serviceIpv6Cidr))
              : args.serviceIpv4Cidr && clusterDnsAddress(args.serviceIpv4Cidr);

        const adminAccess = createAccessEntries(
            {
                clusterName: cluster.name,
                adminPrincipals: args.adminPrincipals,
                namespaceAccess: args.namespaceAccess,
                adminRoles: args.adminRoles,
                viewerRoles: args.viewerRoles,
                aws: args.aws,
            },
            this,
        );

        // Auto Mode runs the node add-ons and the EBS CSI driver itself; the program installs them otherwise.
        this.systemNodeGroup = auto ? undefined : this.managedNodeSupport(args, cluster);
        this.systemNodes = this.systemNodeGroup ? [this.systemNodeGroup] : [];

        this.name = cluster.name;
        this.arn = cluster.arn;
        this.endpoint = cluster.endpoint;
        this.certificateAuthority = cluster.certificateAuthority.data;
        this.nodeSecurityGroupId = controlPlane.clusterSecurityGroupId;
        this.kubeconfig = kubeconfig({
            clusterName: cluster.name,
            endpoint: cluster.endpoint,
            certificateAuthority: this.certificateAuthority,
            region: args.aws.region,
        });
        // The API answers once the cluster (in the kubeconfig) and the admins' access exist; nodes and CoreDNS are
        // for pods, and what runs pods waits for them itself (`systemNodes`, Karpenter's NodePool).
        this.provider = new k8s.Provider(
            `${args.name}-k8s`,
            { kubeconfig: this.kubeconfig, enableServerSideApply: true },
            { parent: this, dependsOn: adminAccess },
        );
        this.defaultStorageClass = createDefaultStorageClass(this.provider, cluster, args.computeMode, args.ownerTags, this);
        this.warnIfDeployerLacksAccess();

        this.registerOutputs({
            clusterName: this.name,
            endpoint: this.endpoint,
            kubeconfig: this.kubeconfig,
            nodeSecurityGroupId: this.nodeSecurityGroupId,
        });
    }

    /**
     * `karpenter` mode: the managed add-ons nodes need (CNI, kube-proxy, Pod Identity agent), the system node
     * group, CoreDNS on it and the EBS CSI driver (those two go with the cluster on destroy); returns the node group.
     */
    private managedNodeSupport(args: ClusterArgs, cluster: aws.eks.Cluster): aws.eks.NodeGroup {
        // Nodes only turn Ready with the CNI and kube-proxy in place; Pod Identity needs its agent.
        const addonArgs = { cluster, kubernetesVersion: args.kubernetesVersion, ownerTags: args.ownerTags };
        // IPv6: the CNI assigns IPv6 prefixes with its own role (the nodes keep no CNI policy); IPv4: with the node role.
        const cniRole =
            args.ipFamily === "ipv6"
                ? this.podIdentity("vpc-cni", {
                      namespace: VPC_CNI_SERVICE_ACCOUNT.namespace,
                      serviceAccount: VPC_CNI_SERVICE_ACCOUNT.name,
                      policies: { ipv6: vpcCniIpv6Policy(args.aws, args.name, args.ownerTags) },
                  })
                : undefined;
        const nodeAddons = (["vpc-cni", "kube-proxy", "eks-pod-identity-agent"] as const).map((addon) =>
            createManagedAddon(addon, { ...addonArgs, dependsOn: addon === "vpc-cni" ? cniRole?.ready : undefined }, this),
        );
        const systemNodeGroup = createSystemNodeGroup(
            `${args.name}-system`,
            {
                clusterName: cluster.name,
                kubernetesVersion: cluster.version,
                subnetIds: args.privateSubnetIds,
                nodes: args.systemNodes,
                aws: args.aws,
                imageCachePrefix: args.imageCachePrefix,
                dependsOn: [...nodeAddons, ...args.privateEgress],
                ownerTags: args.ownerTags,
                ipFamily: args.ipFamily,
            },
            this,
        );
        // Deployments need schedulable nodes, or the add-on never turns ACTIVE. On destroy, DNS and the CSI
        // driver serve the controllers until the system nodes go: nothing deletes them before the cluster.
        createManagedAddon("coredns", { ...addonArgs, dependsOn: [systemNodeGroup], deletedWith: cluster }, this);
        const ebsCsiRole = this.podIdentity("ebs-csi-driver", {
            namespace: EBS_CSI_SERVICE_ACCOUNT.namespace,
            serviceAccount: EBS_CSI_SERVICE_ACCOUNT.name,
            managedPolicies: ["AmazonEBSCSIDriverPolicy"],
        });
        createManagedAddon("aws-ebs-csi-driver", { ...addonArgs, dependsOn: [systemNodeGroup, ...ebsCsiRole.ready], deletedWith: cluster }, this);
        return systemNodeGroup;
    }

    /** Role + policy + Pod Identity association for one service account of this cluster, in one call. */
    podIdentity(name: string, permissions: ServiceAccountPermissions, opts?: pulumi.ComponentResourceOptions): PodIdentityRole {
        return new PodIdentityRole(
            `${this.args.name}-${name}`,
            { ...permissions, clusterName: this.eksCluster.name, clusterArn: clusterArn(this.args), aws: this.args.aws },
            { parent: this, ...opts },
        );
    }

    /**
     * Without creator bootstrap, `pulumi up` can only create in-cluster objects if the identity
     * running it is one of the admins; say so up front instead of failing later with Unauthorized.
     */
    private warnIfDeployerLacksAccess(): void {
        if (this.args.bootstrapCreatorAdmin) return;
        const session = aws.iam.getSessionContextOutput({ arn: this.args.aws.callerArn }, { parent: this });
        const admins = [
            ...this.args.adminPrincipals.map((p) => principalArn(this.args.aws, p)),
            ...(this.args.adminRoles ?? []).map((r) => pulumi.output(r.roleArn)),
        ];
        pulumi.all([session.issuerArn, ...admins]).apply(([issuer, ...adminArns]) => {
            if (!adminArns.includes(issuer)) {
                pulumi.log.warn(
                    `${issuer} runs this update but is not in eks-platform:clusterAdminArns; with bootstrapCreatorAdmin false ` +
                        `it cannot create in-cluster resources. Add it, or deploy as one of: ${adminArns.join(", ")}`,
                    this,
                );
            }
        });
    }
}

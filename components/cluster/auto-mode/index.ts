import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { AwsContext } from "../../shared/aws-context";
import { ClusterAddonComponent } from "../cluster-addon";
import type { Cluster } from "../index";
import { NodePoolSettings, nodePool } from "../karpenter/manifests";
import { AUTO_MODE_NODE_ROLES, autoModeNodeAccess, createAutoModeNodeRole } from "./iam";
import { AUTO_MODE_NETWORK_POLICY_CONFIG, AUTO_MODE_NODE_CLASS_TARGET, autoModeIngressClasses, autoModeNodeClass } from "./manifests";

export interface AutoModeComputeArgs {
    /** An `auto` mode cluster; provides its name, security group and provider. */
    cluster: Cluster;
    /** Account facts for ARNs. */
    aws: AwsContext;
    /** The workload NodePool, from the same keys as Karpenter's (`karpenterInstanceFamilies`, `karpenterCapacityTypes`, `karpenterCpuLimit`, `karpenterConsolidateAfter`, `karpenterExpireAfter`). */
    nodePool: NodePoolSettings;
    /** Tags for the instances, volumes and interfaces Auto Mode launches (the stack's tags). */
    tags: Record<string, string>;
    /** Repository prefix of the stack's Docker Hub pull-through cache; the nodes pull through it. */
    imageCachePrefix: string;
    /** Namespaces allowed internet-facing ALBs through `alb-internet-facing`; empty: no such class. */
    internetFacingNamespaces: string[];
    /** Account-level resources the first launch needs (the EC2 Spot service-linked role); the NodePool waits for them. */
    launchPrerequisites?: pulumi.Resource[];
}

/**
 * What `computeMode: auto` puts in the cluster in place of Karpenter and the Load Balancer Controller: the
 * workload NodePool and its NodeClass (with their own node role and its `EC2` access entry), the `alb` and
 * `alb-internet-facing` IngressClasses of Auto Mode's load balancing, and the ConfigMap that turns on its
 * NetworkPolicy enforcement. No controller to install: EKS runs them outside the cluster.
 */
export class AutoModeCompute extends pulumi.ComponentResource implements ClusterAddonComponent {
    readonly nodeRole: aws.iam.Role;
    readonly nodePool: k8s.apiextensions.CustomResource;
    /** Pods need nodes; NetworkPolicies are enforced only once the ConfigMap exists. */
    readonly platformDependencies: pulumi.Resource[];
    /** The Platform's Ingresses need their class (and go before it on destroy). */
    readonly ingressDependencies: pulumi.Resource[];
    readonly scrapeTargets = [];
    readonly ownNamespaces = [];

    constructor(name: string, args: AutoModeComputeArgs, opts?: pulumi.ComponentResourceOptions) {
        super("eks-platform:cluster:AutoModeCompute", name, {}, opts);
        if (args.cluster.computeMode !== "auto") throw new Error("AutoModeCompute needs a cluster with computeMode auto");
        const provider = args.cluster.provider;
        const clusterName = args.cluster.configuredName;
        const prefix = `${clusterName}-auto`;

        this.nodeRole = createAutoModeNodeRole(AUTO_MODE_NODE_ROLES.nodeClass(clusterName), `Nodes Auto Mode launches for ${clusterName}'s workload NodePool`, args.aws, args.imageCachePrefix, this);
        const nodeAccess = autoModeNodeAccess(AUTO_MODE_NODE_ROLES.nodeClass(clusterName), args.cluster.name, this.nodeRole, args.aws, this);

        const networkPolicies = new k8s.core.v1.ConfigMap(`${prefix}-network-policy`, AUTO_MODE_NETWORK_POLICY_CONFIG, { parent: this, provider });
        const nodeClass = new k8s.apiextensions.CustomResource(
            `${prefix}-node-class`,
            autoModeNodeClass({ clusterName, nodeRoleName: this.nodeRole.name, securityGroupId: args.cluster.nodeSecurityGroupId, tags: args.tags }),
            { parent: this, provider, dependsOn: [nodeAccess, networkPolicies] },
        );
        this.nodePool = new k8s.apiextensions.CustomResource(`${prefix}-node-pool`, nodePool(args.nodePool, AUTO_MODE_NODE_CLASS_TARGET), {
            parent: this,
            provider,
            dependsOn: [nodeClass, ...(args.launchPrerequisites ?? [])],
            // Deleting the pool waits for Auto Mode to drain and terminate every node it launched.
            customTimeouts: { delete: "20m" },
        });

        const classes = autoModeIngressClasses(clusterName, args.cluster.ownerTags, args.internetFacingNamespaces, args.cluster.ipFamily).flatMap(({ params, ingressClass }) => {
            const parameters = new k8s.apiextensions.CustomResource(`${prefix}-${params.metadata.name}-params`, params, { parent: this, provider });
            return [parameters, new k8s.networking.v1.IngressClass(`${prefix}-${ingressClass.metadata.name}`, ingressClass, { parent: this, provider, dependsOn: [parameters] })];
        });
        this.platformDependencies = [this.nodePool, networkPolicies];
        this.ingressDependencies = classes;
        this.registerOutputs({ nodeRoleArn: this.nodeRole.arn });
    }
}

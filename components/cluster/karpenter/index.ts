import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { AwsContext } from "../../shared/aws-context";
import { AwsManagedPolicyName } from "../../shared/aws-managed-policies";
import { helmRelease } from "../../shared/helm-release";
import { onSystemNodes } from "../../shared/placement";
import { ScrapeTarget } from "../../shared/scrape-target";
import { CHARTS } from "../../versions";
import { ClusterAddonComponent, ClusterAddonSpec, installClusterAddon, ownedNamespaces } from "../cluster-addon";
import type { Cluster } from "../index";
import { createNodeRole, nodePoliciesFor } from "../node-group";
import { karpenterControllerPolicies } from "./iam";
import { createInterruptionQueue } from "./interruption";
import { NodePoolSettings, ec2NodeClass, nodePool } from "./manifests";

export { NodePoolSettings } from "./manifests";

/** Where the chart installs the controller; the Pod Identity association must match. */
export const KARPENTER_SERVICE_ACCOUNT = { namespace: "kube-system", name: "karpenter" } as const;

/** The controller's chart install: kube-system, on the system nodes (never on the nodes it manages). */
export const KARPENTER_ADDON: ClusterAddonSpec = {
    name: "karpenter",
    chart: CHARTS.karpenter,
    serviceAccount: KARPENTER_SERVICE_ACCOUNT,
    ownNamespace: false,
    // The chart's default selects Linux nodes; a nodeSelector here replaces it, so keep it.
    placement: onSystemNodes({ "kubernetes.io/os": "linux" }),
};

export const KARPENTER_SCRAPE_TARGET: ScrapeTarget = {
    name: "karpenter",
    namespace: KARPENTER_SERVICE_ACCOUNT.namespace,
    appNames: ["karpenter"],
    port: "http-metrics",
    path: "/metrics",
};

/** Karpenter nodes: worker, CNI, ECR pull-only and SSM (Session Manager instead of SSH). */
export const KARPENTER_NODE_POLICIES: AwsManagedPolicyName[] = [
    "AmazonEKSWorkerNodePolicy",
    "AmazonEKS_CNI_Policy",
    "AmazonEC2ContainerRegistryPullOnly",
    "AmazonSSMManagedInstanceCore",
];

/** Fields take the names of the config keys they come from (`karpenter<Field>`), e.g. `karpenterAmiAlias`. */
export interface KarpenterArgs {
    /** The cluster Karpenter scales; provides its name, the provider and Pod Identity. */
    cluster: Cluster;
    /** Account facts for ARNs. */
    aws: AwsContext;
    /** The default NodePool. Config keys `karpenterInstanceFamilies`, `karpenterCapacityTypes`, `karpenterCpuLimit`, `karpenterConsolidateAfter`, `karpenterExpireAfter`. */
    nodePool: NodePoolSettings;
    /** AMI alias for the EC2NodeClass. */
    amiAlias: string;
    /** Controller replicas (spread over system nodes). */
    replicas: number;
    /** Tags for the instances, volumes and ENIs Karpenter launches (the stack's tags). */
    tags: Record<string, string>;
    /** Repository prefix of the stack's Docker Hub pull-through cache; the nodes pull through it. */
    imageCachePrefix: string;
    /** Account-level resources the first launch needs (the EC2 Spot service-linked role); the NodePool waits for them. */
    launchPrerequisites?: pulumi.Resource[];
}

/**
 * Karpenter with its AWS side (controller role via Pod Identity, node role + EC2_LINUX access
 * entry, interruption queue and rules) and its Kubernetes side (CRDs, controller, EC2NodeClass,
 * NodePool). Dependencies make `pulumi destroy` delete the NodePool first, so the controller is
 * still there to terminate its instances, then the controller, then its IAM and queue, then the system
 * nodes it ran on. Pulumi orders deletes only by what was created first, so each step of that chain is
 * quick to create: the CRDs and the controller are applied without a wait, the NodeClass and NodePool are
 * API objects, and the Platform's releases (after the NodePool) start seconds after the controller; their
 * own wait for pods on Karpenter's first node covers the controller coming up (README, "Teardown order").
 */
export class Karpenter extends pulumi.ComponentResource implements ClusterAddonComponent {
    readonly nodeRole: aws.iam.Role;
    readonly queueName: pulumi.Output<string>;
    readonly release: k8s.helm.v3.Release;
    readonly nodePool: k8s.apiextensions.CustomResource;
    /** Pods need nodes: the Platform's releases wait for the NodePool (and on destroy go before it). */
    readonly platformDependencies: pulumi.Resource[];
    readonly scrapeTargets = [KARPENTER_SCRAPE_TARGET];
    readonly ownNamespaces = ownedNamespaces(KARPENTER_ADDON);

    constructor(name: string, args: KarpenterArgs, opts?: pulumi.ComponentResourceOptions) {
        super("eks-platform:cluster:Karpenter", name, {}, opts);
        const provider = args.cluster.provider;
        const clusterName = args.cluster.configuredName;
        const prefix = `${clusterName}-karpenter`;

        this.nodeRole = createNodeRole(`${prefix}-nodes`, `Nodes Karpenter launches for ${clusterName}`, nodePoliciesFor(KARPENTER_NODE_POLICIES, args.cluster.ipFamily), args.aws, args.imageCachePrefix, this);
        const nodeAccess = new aws.eks.AccessEntry(
            `${prefix}-nodes`,
            { clusterName: args.cluster.name, principalArn: this.nodeRole.arn, type: "EC2_LINUX" },
            { parent: this },
        );

        const interruption = createInterruptionQueue(clusterName, args.aws, this);
        this.queueName = interruption.queue.name;

        // CRDs only (the chart renders nothing else): nothing to wait for once the API server has them.
        const crds = helmRelease(
            `${prefix}-crd`,
            { chart: CHARTS.karpenterCrd, namespace: KARPENTER_SERVICE_ACCOUNT.namespace, releaseName: "karpenter-crd", values: {}, skipAwait: true },
            { parent: this, provider },
        );
        this.release = installClusterAddon(this, args.cluster, {
            ...KARPENTER_ADDON,
            permissions: {
                policies: karpenterControllerPolicies({
                    partition: args.aws.partition,
                    region: args.aws.region,
                    accountId: args.aws.accountId,
                    clusterName,
                    nodeRoleArn: this.nodeRole.arn,
                    queueArn: interruption.queue.arn,
                }),
            },
            skipCrds: true,
            // Not awaited: the NodePool after it, and the releases after the NodePool, need only its objects in
            // place; a controller that never turns Ready shows as their pods waiting for a node that never comes.
            skipAwait: true,
            values: karpenterValues({ clusterName, replicas: args.replicas }, this.queueName),
            // No wait for the Load Balancer Controller: the chart's one Service is ClusterIP, which the LBC's
            // webhook (failing open) leaves alone, and the controller owns no AWS resource of it to clean up.
            dependsOn: [crds, nodeAccess, ...interruption.resources],
        }).release;

        const nodeClass = new k8s.apiextensions.CustomResource(
            `${prefix}-node-class`,
            ec2NodeClass({ clusterName, nodeRoleName: this.nodeRole.name, amiAlias: args.amiAlias, tags: args.tags, ipFamily: args.cluster.ipFamily }),
            { parent: this, provider, dependsOn: [this.release] },
        );
        this.nodePool = new k8s.apiextensions.CustomResource(`${prefix}-node-pool`, nodePool(args.nodePool), {
            parent: this,
            provider,
            dependsOn: [this.release, nodeClass, ...(args.launchPrerequisites ?? [])],
            // Deleting the pool waits for Karpenter to drain and terminate every node it launched.
            customTimeouts: { delete: "20m" },
        });
        this.platformDependencies = [this.nodePool];
        this.registerOutputs({ queueName: this.queueName, nodeRoleArn: this.nodeRole.arn });
    }
}

/**
 * Chart values of the controller, without the service account and placement (`KARPENTER_ADDON`
 * adds them); every path exists in the chart's values.yaml (tests check against the reference).
 */
export function karpenterValues(args: { clusterName: string; replicas: number }, queueName: pulumi.Input<string>) {
    return {
        replicas: args.replicas,
        settings: { clusterName: args.clusterName, interruptionQueue: queueName },
        controller: {
            resources: { requests: { cpu: "250m", memory: "512Mi" }, limits: { memory: "1Gi" } },
        },
    };
}

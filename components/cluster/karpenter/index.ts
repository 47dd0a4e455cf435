import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { AwsContext } from "../../shared/aws-context";
import { helmRelease } from "../../shared/helm-release";
import { CHARTS } from "../../versions";
import type { Cluster } from "../index";
import { SYSTEM_NODE_LABEL, SYSTEM_TOLERATION, createNodeRole } from "../node-group";
import { karpenterControllerPolicies } from "./iam";
import { createInterruptionQueue } from "./interruption";
import { NodePoolSettings, ec2NodeClass, nodePool } from "./manifests";

export { NodePoolSettings } from "./manifests";

/** Where the chart installs the controller; the Pod Identity association must match. */
export const KARPENTER_SERVICE_ACCOUNT = { namespace: "kube-system", name: "karpenter" } as const;

/** Karpenter nodes: worker, CNI, ECR pull-only and SSM (Session Manager instead of SSH). */
export const KARPENTER_NODE_POLICIES = [
    "AmazonEKSWorkerNodePolicy",
    "AmazonEKS_CNI_Policy",
    "AmazonEC2ContainerRegistryPullOnly",
    "AmazonSSMManagedInstanceCore",
];

export interface KarpenterArgs {
    /** The cluster Karpenter scales; provides the provider and Pod Identity. */
    cluster: Cluster;
    /** Cluster name as configured (tag values, queue name). */
    clusterName: string;
    /** Account facts for ARNs. */
    aws: AwsContext;
    /** The default NodePool. */
    nodePool: NodePoolSettings;
    /** AMI alias for the EC2NodeClass. */
    amiAlias: string;
    /** Controller replicas (spread over system nodes). */
    replicas: number;
    /** Tags for the instances, volumes and ENIs Karpenter launches. */
    tags: Record<string, string>;
}

/**
 * Karpenter with its AWS side (controller role via Pod Identity, node role + EC2_LINUX access
 * entry, interruption queue and rules) and its Kubernetes side (CRDs, controller, EC2NodeClass,
 * NodePool). Dependencies make `pulumi destroy` delete the NodePool first, so the controller is
 * still there to terminate its instances, then the controller, then its IAM and queue.
 */
export class Karpenter extends pulumi.ComponentResource {
    readonly nodeRole: aws.iam.Role;
    readonly queueName: pulumi.Output<string>;
    readonly release: k8s.helm.v3.Release;
    readonly nodePool: k8s.apiextensions.CustomResource;

    constructor(name: string, args: KarpenterArgs, opts?: pulumi.ComponentResourceOptions) {
        super("eks-platform:cluster:Karpenter", name, {}, opts);
        const provider = args.cluster.provider;
        const prefix = `${args.clusterName}-karpenter`;

        this.nodeRole = createNodeRole(`${prefix}-nodes`, `Nodes Karpenter launches for ${args.clusterName}`, KARPENTER_NODE_POLICIES, args.aws, this);
        const nodeAccess = new aws.eks.AccessEntry(
            `${prefix}-nodes`,
            { clusterName: args.cluster.clusterName, principalArn: this.nodeRole.arn, type: "EC2_LINUX" },
            { parent: this },
        );

        const interruption = createInterruptionQueue(args.clusterName, this);
        this.queueName = interruption.queue.name;

        const controller = args.cluster.podIdentity(
            "karpenter",
            {
                namespace: KARPENTER_SERVICE_ACCOUNT.namespace,
                serviceAccount: KARPENTER_SERVICE_ACCOUNT.name,
                policies: karpenterControllerPolicies({
                    partition: args.aws.partition,
                    region: args.aws.region,
                    accountId: args.aws.accountId,
                    clusterName: args.clusterName,
                    nodeRoleArn: this.nodeRole.arn,
                    queueArn: interruption.queue.arn,
                }),
            },
            { parent: this },
        );

        const crds = helmRelease(
            `${prefix}-crd`,
            { chart: CHARTS.karpenterCrd, namespace: KARPENTER_SERVICE_ACCOUNT.namespace, releaseName: "karpenter-crd", values: {} },
            { parent: this, provider },
        );
        this.release = helmRelease(
            prefix,
            {
                chart: CHARTS.karpenter,
                namespace: KARPENTER_SERVICE_ACCOUNT.namespace,
                releaseName: "karpenter",
                skipCrds: true,
                values: karpenterValues(args, this.queueName),
            },
            { parent: this, provider, dependsOn: [crds, nodeAccess, ...controller.ready, ...interruption.resources] },
        );

        const nodeClass = new k8s.apiextensions.CustomResource(
            `${prefix}-node-class`,
            ec2NodeClass({ clusterName: args.clusterName, nodeRoleName: this.nodeRole.name, amiAlias: args.amiAlias, tags: args.tags }),
            { parent: this, provider, dependsOn: [this.release] },
        );
        this.nodePool = new k8s.apiextensions.CustomResource(`${prefix}-node-pool`, nodePool(args.nodePool), {
            parent: this,
            provider,
            dependsOn: [this.release, nodeClass],
            // Deleting the pool waits for Karpenter to drain and terminate every node it launched.
            customTimeouts: { delete: "20m" },
        });
        this.registerOutputs({ queueName: this.queueName, nodeRoleArn: this.nodeRole.arn });
    }
}

/** Chart values; every path exists in the chart's values.yaml (tests check against the reference). */
export function karpenterValues(args: Pick<KarpenterArgs, "clusterName" | "replicas">, queueName: pulumi.Input<string>) {
    return {
        replicas: args.replicas,
        serviceAccount: { create: true, name: KARPENTER_SERVICE_ACCOUNT.name },
        settings: { clusterName: args.clusterName, interruptionQueue: queueName },
        // The controller must not run on the nodes it manages: the tainted system nodes host it.
        nodeSelector: { "kubernetes.io/os": "linux", [SYSTEM_NODE_LABEL.key]: SYSTEM_NODE_LABEL.value },
        tolerations: [SYSTEM_TOLERATION],
        controller: {
            resources: { requests: { cpu: "250m", memory: "512Mi" }, limits: { memory: "1Gi" } },
        },
    };
}

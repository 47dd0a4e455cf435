import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { AwsContext, arn } from "../../shared/aws-context";
import { PolicyDocument } from "../../shared/iam";
import { TOLERATE_EVERY_TAINT } from "../../shared/placement";
import { CHARTS } from "../../versions";
import { ClusterAddonComponent, ClusterAddonSpec, installClusterAddon, ownedNamespaces } from "../cluster-addon";
import type { Cluster } from "../index";

/** Fluent Bit runs on every node, system nodes included: their pods log too. */
export const CONTAINER_LOGS_ADDON: ClusterAddonSpec = {
    name: "aws-for-fluent-bit",
    chart: CHARTS.awsForFluentBit,
    serviceAccount: { namespace: "amazon-cloudwatch", name: "fluent-bit" },
    ownNamespace: true,
    placement: { nodeSelector: { "kubernetes.io/os": "linux" }, tolerations: TOLERATE_EVERY_TAINT },
};

/** The Container Insights name, so the CloudWatch console's container views find the logs. */
export function applicationLogGroupName(clusterName: string): string {
    return `/aws/containerinsights/${clusterName}/application`;
}

export interface ContainerLogsArgs {
    /** The cluster; names the log group. */
    cluster: Cluster;
    /** Account facts for the log group ARN. */
    aws: AwsContext;
    /** Retention of the log group, in days. Config key `containerLogRetentionDays`. */
    retentionDays: number;
    /** The stack's logs KMS key. */
    logsKeyArn: pulumi.Input<string>;
    /** Keep the log group on destroy. Config key `protectResources`. */
    protect: boolean;
    /** The Load Balancer Controller's release: its webhook mutates every Service, so the chart's Services wait for it. */
    serviceAdmission: pulumi.Resource[];
}

/**
 * Every container's stdout/stderr in CloudWatch Logs: the program creates the log group (retention,
 * KMS), Fluent Bit (aws-for-fluent-bit chart, a DaemonSet) writes streams into it and may do nothing else.
 */
export class ContainerLogs extends pulumi.ComponentResource implements ClusterAddonComponent {
    readonly logGroup: aws.cloudwatch.LogGroup;
    readonly release: k8s.helm.v3.Release;
    readonly platformDependencies: pulumi.Resource[] = [];
    readonly scrapeTargets = [];
    readonly ownNamespaces = ownedNamespaces(CONTAINER_LOGS_ADDON);

    constructor(name: string, args: ContainerLogsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("eks-platform:cluster:ContainerLogs", name, {}, opts);
        const clusterName = args.cluster.configuredName;
        const groupName = applicationLogGroupName(clusterName);
        this.logGroup = new aws.cloudwatch.LogGroup(
            `${clusterName}-container-logs`,
            { name: groupName, retentionInDays: args.retentionDays, kmsKeyId: args.logsKeyArn },
            { parent: this, protect: args.protect },
        );
        this.release = installClusterAddon(this, args.cluster, {
            ...CONTAINER_LOGS_ADDON,
            permissions: { policies: { "write-container-logs": containerLogsPolicy(args.aws, groupName) } },
            values: containerLogsValues(args.aws.region, groupName),
            dependsOn: [this.logGroup, ...args.serviceAdmission],
        }).release;
        this.registerOutputs({ logGroupName: this.logGroup.name });
    }
}

/** Streams in the program's log group only: no CreateLogGroup, no retention changes, no other group. */
export function containerLogsPolicy(ctx: AwsContext, groupName: string): PolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "WriteContainerLogStreams",
                Effect: "Allow",
                Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
                // CloudWatch Logs authorizes log-group actions against `log-group:<name>:*` (the ARN it reports), streams below it.
                Resource: [arn(ctx, "logs", `log-group:${groupName}`), arn(ctx, "logs", `log-group:${groupName}:*`)],
            },
        ],
    };
}

/** Chart values without the service account and placement (`CONTAINER_LOGS_ADDON` adds them). */
export function containerLogsValues(region: string, groupName: string) {
    return {
        cloudWatchLogs: {
            region,
            logGroupName: groupName,
            // One stream per pod container, named after it, instead of one per node's tail.
            logStreamTemplate: "$kubernetes['namespace_name'].$kubernetes['pod_name'].$kubernetes['container_name']",
            // The program owns the group (retention, KMS key); Fluent Bit must not create one without them.
            autoCreateGroup: false,
        },
    };
}

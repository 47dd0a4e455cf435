import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AwsContext, arn } from "../shared/aws-context";
import { PolicyDocument, policyJson, serviceTrustPolicy } from "../shared/iam";

export interface FlowLogsArgs {
    /** VPC whose traffic is logged. */
    vpcId: pulumi.Input<string>;
    /** Log-group retention, in days. */
    retentionDays: number;
    /** KMS key for the log group. */
    kmsKeyArn: pulumi.Input<string>;
    /** Account facts for the trust conditions. */
    aws: AwsContext;
    /** Protect the log group from deletion. */
    protect: boolean;
}

/** Where the flow-log group is created (auto-named below it). */
export const FLOW_LOG_GROUP_PREFIX = "/aws/vpc/flow-logs/";

/** What VPC Flow Logs does as the role: streams in its one log group (`logGroupArn` may be a pattern under FLOW_LOG_GROUP_PREFIX). */
export function flowLogWritePolicy(logGroupArn: pulumi.Input<string>): PolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Effect: "Allow",
                Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
                Resource: [logGroupArn, pulumi.interpolate`${logGroupArn}:*`],
            },
        ],
    };
}

/** All VPC traffic (accepted and rejected) to an encrypted CloudWatch log group. */
export class FlowLogs extends pulumi.ComponentResource {
    readonly logGroup: aws.cloudwatch.LogGroup;

    constructor(name: string, args: FlowLogsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("eks-platform:network:FlowLogs", name, {}, opts);
        this.logGroup = new aws.cloudwatch.LogGroup(
            name,
            { namePrefix: FLOW_LOG_GROUP_PREFIX, retentionInDays: args.retentionDays, kmsKeyId: args.kmsKeyArn },
            { parent: this, protect: args.protect },
        );
        const role = new aws.iam.Role(
            name,
            {
                description: "Lets VPC Flow Logs write to its log group",
                assumeRolePolicy: policyJson(
                    serviceTrustPolicy("vpc-flow-logs.amazonaws.com", {
                        sourceAccount: args.aws,
                        sourceArn: arn(args.aws, "ec2", "vpc-flow-log/*"),
                    }),
                ),
            },
            { parent: this },
        );
        new aws.iam.RolePolicy(name, { role: role.id, policy: policyJson(flowLogWritePolicy(this.logGroup.arn)) }, { parent: this });
        new aws.ec2.FlowLog(
            name,
            {
                vpcId: args.vpcId,
                trafficType: "ALL",
                logDestinationType: "cloud-watch-logs",
                logDestination: this.logGroup.arn,
                iamRoleArn: role.arn,
                maxAggregationInterval: 60,
            },
            { parent: this },
        );
        this.registerOutputs({ logGroupName: this.logGroup.name });
    }
}

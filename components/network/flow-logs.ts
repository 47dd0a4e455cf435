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

/** All VPC traffic (accepted and rejected) to an encrypted CloudWatch log group. */
export class FlowLogs extends pulumi.ComponentResource {
    readonly logGroup: aws.cloudwatch.LogGroup;

    constructor(name: string, args: FlowLogsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("eks-platform:network:FlowLogs", name, {}, opts);
        this.logGroup = new aws.cloudwatch.LogGroup(
            name,
            { namePrefix: "/aws/vpc/flow-logs/", retentionInDays: args.retentionDays, kmsKeyId: args.kmsKeyArn },
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
        const writeLogs: PolicyDocument = {
            Version: "2012-10-17",
            Statement: [
                {
                    Effect: "Allow",
                    Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
                    Resource: [this.logGroup.arn, pulumi.interpolate`${this.logGroup.arn}:*`],
                },
            ],
        };
        new aws.iam.RolePolicy(name, { role: role.id, policy: policyJson(writeLogs) }, { parent: this });
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

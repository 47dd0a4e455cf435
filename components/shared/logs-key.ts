import * as pulumi from "@pulumi/pulumi";
import { AwsContext, arn } from "./aws-context";
import { PolicyStatement } from "./iam";
import { KeyAdministration, KmsKey } from "./kms-key";

export interface LogsKeyArgs {
    /** The cluster whose log groups (VPC flow logs, EKS control plane) the key encrypts; names the alias. */
    clusterName: string;
    /** Account, partition and region: the key serves only this account's log groups in this region. */
    aws: AwsContext;
    /** Key administrators, deployers and the break-glass role. */
    administration: KeyAdministration;
    /** Protect the key (logs encrypted with it are unreadable once it is gone). */
    protect: boolean;
}

/**
 * Key-policy statement that lets CloudWatch Logs of this region use the key, only for log groups
 * of this account (the encryption context names the log group).
 */
export function cloudWatchLogsStatement(ctx: AwsContext): PolicyStatement {
    return {
        Sid: "CloudWatchLogsOfThisAccount",
        Effect: "Allow",
        Principal: { Service: `logs.${ctx.region}.amazonaws.com` },
        Action: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
        Resource: "*",
        Condition: { ArnLike: { "kms:EncryptionContext:aws:logs:arn": arn(ctx, "logs", "log-group:*") } },
    };
}

/** The stack's KMS key for CloudWatch log groups (alias `<cluster>/logs`). */
export function logsKey(name: string, args: LogsKeyArgs, opts?: pulumi.ComponentResourceOptions): KmsKey {
    return new KmsKey(
        name,
        {
            description: `${args.clusterName}: CloudWatch log groups (VPC flow logs, EKS control plane)`,
            alias: `${args.clusterName}/logs`,
            aws: args.aws,
            administration: args.administration,
            serviceStatements: [cloudWatchLogsStatement(args.aws)],
            protect: args.protect,
        },
        opts,
    );
}

import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AwsContext } from "./aws-context";

export type PolicyDocument = aws.iam.PolicyDocument;
export type PolicyStatement = aws.iam.PolicyStatement;

/**
 * Trust policy for an AWS service principal. With `sourceAccount` (for services that send it:
 * Flow Logs, Pod Identity, EventBridge…) the service can only act for this account, optionally
 * only for `sourceArn`, so it cannot be used as a confused deputy.
 */
export function serviceTrustPolicy(
    service: string,
    opts: { sourceAccount?: AwsContext; sourceArn?: pulumi.Input<string>; actions?: string[] } = {},
): PolicyDocument {
    const condition: Record<string, Record<string, pulumi.Input<string>>> = {};
    if (opts.sourceAccount) condition.StringEquals = { "aws:SourceAccount": opts.sourceAccount.accountId };
    if (opts.sourceArn) condition.ArnLike = { "aws:SourceArn": opts.sourceArn };
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Effect: "Allow",
                Principal: { Service: service },
                Action: opts.actions ?? ["sts:AssumeRole"],
                ...(Object.keys(condition).length > 0 ? { Condition: condition } : {}),
            },
        ],
    };
}

/** Managed-policy ARN in the context's partition, e.g. `managedPolicyArn(ctx, "AmazonEKSWorkerNodePolicy")`. */
export function managedPolicyArn(ctx: AwsContext, name: string): pulumi.Output<string> {
    return pulumi.interpolate`arn:${ctx.partition}:iam::aws:policy/${name}`;
}

/** Serialises a policy document whose fields may be Outputs (ARNs, account ids). */
export function policyJson(doc: pulumi.Input<PolicyDocument>): pulumi.Output<string> {
    return pulumi.output(doc).apply((resolved) => JSON.stringify(resolved));
}

import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AwsContext } from "./aws-context";

export type PolicyDocument = aws.iam.PolicyDocument;
export type PolicyStatement = aws.iam.PolicyStatement;

/**
 * Trust policy for an AWS service principal, pinned to this account (and optionally a source ARN)
 * so the service cannot be used as a confused deputy from another account.
 */
export function serviceTrustPolicy(
    service: string,
    ctx: AwsContext,
    opts: { sourceArn?: pulumi.Input<string>; actions?: string[] } = {},
): PolicyDocument {
    const condition: Record<string, Record<string, pulumi.Input<string>>> = {
        StringEquals: { "aws:SourceAccount": ctx.accountId },
    };
    if (opts.sourceArn) condition.ArnLike = { "aws:SourceArn": opts.sourceArn };
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Effect: "Allow",
                Principal: { Service: service },
                Action: opts.actions ?? ["sts:AssumeRole"],
                Condition: condition,
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

import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AwsContext, MAX_LENGTH } from "./aws-context";
import { AwsManagedPolicyName, managedPolicyPath } from "./aws-managed-policies";

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

/** Managed-policy ARN in the context's partition, e.g. `managedPolicyArn(ctx, "AmazonEKSWorkerNodePolicy")`; path included. */
export function managedPolicyArn(ctx: AwsContext, name: AwsManagedPolicyName): pulumi.Output<string> {
    return pulumi.interpolate`arn:${ctx.partition}:iam::aws:policy/${managedPolicyPath(name)}`;
}

/** Serialises a policy document whose fields may be Outputs (ARNs, account ids). */
export function policyJson(doc: pulumi.Input<PolicyDocument>): pulumi.Output<string> {
    return pulumi.output(doc).apply((resolved) => JSON.stringify(resolved));
}

/** IAM's limit on a customer-managed policy document: 6,144 characters, whitespace not counted. */
export const MANAGED_POLICY_MAX_CHARS = 6144;
/** What an unresolved Output without a known bound is counted as: longer than any ARN the program builds. */
const UNRESOLVED_CHARS = 160;

/** Upper bound of a value's compact JSON length, with every Output or Promise counted at its longest. */
function jsonSizeBound(value: unknown): number {
    // A JSON string of an ARN: its characters plus the quotes (ARNs need no escapes).
    if (pulumi.Output.isInstance(value)) return typeof (value as any)[MAX_LENGTH] === "number" ? (value as any)[MAX_LENGTH] + 2 : UNRESOLVED_CHARS;
    if (value instanceof Promise) return UNRESOLVED_CHARS;
    if (Array.isArray(value)) return 2 + value.reduce((n: number, v) => n + jsonSizeBound(v) + 1, 0);
    if (value && typeof value === "object") {
        return 2 + Object.entries(value).reduce((n, [k, v]) => (v === undefined ? n : n + JSON.stringify(k).length + 1 + jsonSizeBound(v) + 1), 0);
    }
    return JSON.stringify(value ?? null).length;
}

/**
 * A document's statements packed, in order, into as few documents as keep each under IAM's managed-policy
 * limit (a role may carry ten): a policy that grows with the platform never fails `pulumi up` on size.
 */
export function splitPolicyDocument(doc: { Statement: PolicyStatement[] }, limit = MANAGED_POLICY_MAX_CHARS): PolicyDocument[] {
    const overhead = jsonSizeBound({ Version: "2012-10-17", Statement: [] });
    const chunks: PolicyStatement[][] = [[]];
    let size = overhead;
    for (const statement of doc.Statement) {
        const n = jsonSizeBound(statement) + 1;
        if (overhead + n > limit) throw new Error(`IAM statement ${statement.Sid ?? JSON.stringify(statement.Action)} alone may exceed ${limit} characters`);
        if (size + n > limit) {
            chunks.push([]);
            size = overhead;
        }
        chunks[chunks.length - 1].push(statement);
        size += n;
    }
    return chunks.map((Statement) => ({ Version: "2012-10-17", Statement }));
}

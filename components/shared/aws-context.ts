import * as pulumi from "@pulumi/pulumi";

/** Account facts that ARNs and key policies need; resolved once per stack, never hard-coded. */
export interface AwsContext {
    /** The deploying account's id. */
    accountId: pulumi.Input<string>;
    /** `aws`, `aws-cn` or `aws-us-gov`. */
    partition: pulumi.Input<string>;
    /** The stack's region (`aws:region`). */
    region: string;
    /** ARN of the identity running Pulumi (an STS session ARN for assumed roles). */
    callerArn: pulumi.Input<string>;
}

/** Longest a partition (`aws-us-gov`) and an account id (12 digits) can be. */
const PARTITION_MAX = 10;
const ACCOUNT_ID_LENGTH = 12;
/** Where an ARN Output carries the most characters it can resolve to (policy size planning: shared/iam.ts). */
export const MAX_LENGTH = Symbol("maxLength");

/** `arn:<partition>:<service>:<region>:<account>:<resource>` from the context. */
export function arn(ctx: AwsContext, service: string, resource: string, opts: { global?: boolean } = {}): pulumi.Output<string> {
    const region = opts.global ? "" : ctx.region;
    const out = pulumi.interpolate`arn:${ctx.partition}:${service}:${region}:${ctx.accountId}:${resource}`;
    Object.defineProperty(out, MAX_LENGTH, { value: `arn:::::`.length + PARTITION_MAX + service.length + region.length + ACCOUNT_ID_LENGTH + resource.length });
    return out;
}

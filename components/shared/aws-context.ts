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

/** `arn:<partition>:<service>:<region>:<account>:<resource>` from the context. */
export function arn(ctx: AwsContext, service: string, resource: string, opts: { global?: boolean } = {}): pulumi.Output<string> {
    return pulumi.interpolate`arn:${ctx.partition}:${service}:${opts.global ? "" : ctx.region}:${ctx.accountId}:${resource}`;
}

import * as pulumi from "@pulumi/pulumi";
import { AwsContext, arn } from "../shared/aws-context";
import { boundaryPolicyName } from "./types";

const ROLE = "aws:iam/role:Role";

/** ARN of the environment's permissions boundary (known from its name before CiAccess creates it). */
export const boundaryArnFor = (ctx: AwsContext, environment: string): pulumi.Output<string> =>
    arn(ctx, "iam", `policy/${boundaryPolicyName(environment)}`, { global: true });

/**
 * Puts the permissions boundary on every IAM role registered below the component it is given to: the
 * deploy role may create roles only with it (CiAccess). CiAccess's own roles are created by an
 * administrator and are never passed through this.
 */
export function permissionsBoundaryTransformation(boundaryArn: pulumi.Input<string>): pulumi.ResourceTransformation {
    return (t) => (t.type === ROLE && !t.props.permissionsBoundary ? { props: { ...t.props, permissionsBoundary: boundaryArn }, opts: t.opts } : undefined);
}

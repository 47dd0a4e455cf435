import * as pulumi from "@pulumi/pulumi";
import { AwsContext, arn } from "../shared/aws-context";
import { boundaryPolicyName, nodeBoundaryPolicyName } from "./types";

const ROLE = "aws:iam/role:Role";

/** ARN of the environment's permissions boundary (known from its name before CiAccess creates it). */
export const boundaryArnFor = (ctx: AwsContext, environment: string): pulumi.Output<string> =>
    arn(ctx, "iam", `policy/${boundaryPolicyName(environment)}`, { global: true });

/** ARN of the environment's node boundary (EC2 instance roles), known from its name likewise. */
export const nodeBoundaryArnFor = (ctx: AwsContext, environment: string): pulumi.Output<string> =>
    arn(ctx, "iam", `policy/${nodeBoundaryPolicyName(environment)}`, { global: true });

/** The boundaries of one environment: EC2 instance roles get `nodes`, every other role `workloads`. */
export interface Boundaries {
    /** ARN of the boundary of the cluster, controller and flow-log roles (`eks-platform-deploy-<env>-boundary`). */
    workloads: pulumi.Input<string>;
    /** ARN of the boundary of EC2 instance roles (`eks-platform-deploy-<env>-node-boundary`). */
    nodes: pulumi.Input<string>;
}

/** Whether a trust policy lets EC2 assume the role (an instance role: a node). */
export function trustsEc2(trustPolicy: string): boolean {
    const list = (x: unknown): unknown[] => (x === undefined ? [] : Array.isArray(x) ? x : [x]);
    return list(JSON.parse(trustPolicy).Statement).some((st: any) => st.Effect === "Allow" && list(st.Principal?.Service).includes("ec2.amazonaws.com"));
}

/**
 * Puts a permissions boundary on every IAM role registered below the component it is given to: the node
 * boundary on roles EC2 may assume, the workloads' boundary on the others. The deploy role may create roles
 * only with one of them (CiAccess). CiAccess's own roles are created by an administrator and are never
 * passed through this.
 */
export function permissionsBoundaryTransformation(boundaries: Boundaries): pulumi.ResourceTransformation {
    return (t) => {
        if (t.type !== ROLE || t.props.permissionsBoundary) return undefined;
        const boundary = pulumi
            .all([t.props.assumeRolePolicy, boundaries.nodes, boundaries.workloads])
            .apply(([trust, nodes, workloads]) => (typeof trust === "string" && trustsEc2(trust) ? nodes : workloads));
        return { props: { ...t.props, permissionsBoundary: boundary }, opts: t.opts };
    };
}

import * as pulumi from "@pulumi/pulumi";
import type { ComputeMode } from "../cluster/types";
import type { IpFamily } from "../network/types";
import { AwsContext, arn } from "../shared/aws-context";
import { PolicyDocument, PolicyStatement } from "../shared/iam";
import { AccessGrant, GITHUB_OIDC, ROLE_PREFIX } from "./types";

/** What the deploy role's policies are scoped to: the stack's identity, its account and its state objects. */
export interface DeployScope {
    aws: AwsContext;
    /** Pulumi project name: the `project` tag the provider's default tags put on everything. */
    project: string;
    /** The stack's environment: the `environment` tag. */
    environment: string;
    /** ARN of the permissions boundary every role the deploy role creates must carry (EC2 instance roles: `nodeBoundaryArn`). */
    boundaryArn: pulumi.Input<string>;
    /** ARN of the node boundary, the other one a role the deploy role creates may carry. */
    nodeBoundaryArn: pulumi.Input<string>;
    /** State objects: `bucket` or `bucket/prefix` of the S3 backend. */
    stateLocation: string;
    /** Secrets Manager prefixes the environment's workloads read (`externalSecretsPrefixes`). */
    secretPrefixes: string[];
    /** The EKS cluster's name: its ARN, its children's, its aliases and launch templates are what the deploy role may touch. */
    clusterName: string;
    /** Pulumi stack name: the state objects under `.pulumi/<kind>/<project>/<stack>` are the only ones CI may use. */
    stack: string;
    /** The cluster access the stack config gives (`clusterAdminArns`, namespace access, CI's roles): the only access entries and policies. */
    accessGrants: AccessGrant[];
    /** The stack's `ipFamily`: only an IPv6 stack's roles may create and change IPv6 network pieces (egress-only gateway, IPv6 ranges, the CNI's IPv6 addresses). */
    ipFamily: IpFamily;
    /** The stack's `computeMode`: which node roles the deploy role registers with the cluster, and which policies the boundaries cap. */
    computeMode: ComputeMode;
}

/** Services this program hands roles to: EKS (cluster, node group), Pod Identity, VPC flow logs. */
export const PASSED_TO_SERVICES = ["eks.amazonaws.com", "pods.eks.amazonaws.com", "vpc-flow-logs.amazonaws.com"];

/** AWS-managed policies no role of this program needs and none may get from CI. */
const FORBIDDEN_MANAGED_POLICIES = ["AdministratorAccess", "IAMFullAccess", "PowerUserAccess"];

const CREATE_ACTIONS = ["iam:CreatePolicy", "iam:CreateInstanceProfile"];
const TAG_ACTIONS = ["iam:TagRole", "iam:TagPolicy", "iam:TagInstanceProfile"];
const UNTAG_ACTIONS = ["iam:UntagRole", "iam:UntagPolicy", "iam:UntagInstanceProfile"];
/** Writes that change what a role may do or who may assume it: allowed only on roles under the boundary. */
const ROLE_POWER_ACTIONS = [
    "iam:UpdateAssumeRolePolicy", "iam:PutRolePolicy", "iam:DeleteRolePolicy", "iam:AttachRolePolicy", "iam:DetachRolePolicy",
];
const MANAGE_ACTIONS = [
    "iam:DeleteRole", "iam:UpdateRole", "iam:UpdateRoleDescription", "iam:CreatePolicyVersion", "iam:DeletePolicyVersion",
    "iam:SetDefaultPolicyVersion", "iam:DeletePolicy", "iam:AddRoleToInstanceProfile", "iam:RemoveRoleFromInstanceProfile",
    "iam:DeleteInstanceProfile",
];
/** Every IAM write the deploy role's statements allow: what the self-protection deny covers. */
export const IAM_WRITE_ACTIONS = [
    "iam:CreateRole", "iam:PutRolePermissionsBoundary", ...CREATE_ACTIONS, ...TAG_ACTIONS, ...UNTAG_ACTIONS, ...ROLE_POWER_ACTIONS, ...MANAGE_ACTIONS,
];
/** The tag keys that say whose a resource is; they can only be set to this stack's values and never removed. */
const OWNER_TAGS = ["project", "environment"];

const iamArn = (ctx: AwsContext, resource: string) => arn(ctx, "iam", resource, { global: true });
const tagged = (prefix: "aws:RequestTag" | "aws:ResourceTag", s: DeployScope) => ({
    [`${prefix}/project`]: s.project,
    [`${prefix}/environment`]: s.environment,
});

/**
 * The IAM half of the deploy role. Closes the paths to administrator the review found:
 * - roles are created only with the boundary (`iam:PermissionsBoundary`), and whatever changes a role's
 *   power or trust needs the role to carry that boundary too, so a role taken over is never stronger than it;
 * - tagging needs the resource to be tagged for this project and environment already AND the request to
 *   keep those values; the owner tags can never be removed, so nothing crosses between environments;
 * - roles are passed only to the platform's services; CI's own roles, policies, boundary and provider are
 *   never writable, and no administrator policy can be attached.
 */
export function deployIamPolicy(s: DeployScope): PolicyDocument {
    const ctx = s.aws;
    const role = iamArn(ctx, "role/*");
    const owned = [iamArn(ctx, "policy/*"), iamArn(ctx, "instance-profile/*")];
    const ciOwned = [
        iamArn(ctx, `role/${ROLE_PREFIX.deploy}*`),
        iamArn(ctx, `role/${ROLE_PREFIX.preview}*`),
        iamArn(ctx, `role/${ROLE_PREFIX.app}*`),
        iamArn(ctx, `policy/${ROLE_PREFIX.deploy}*`),
        iamArn(ctx, `policy/${ROLE_PREFIX.preview}*`),
        iamArn(ctx, `policy/${ROLE_PREFIX.app}*`),
        iamArn(ctx, `oidc-provider/${GITHUB_OIDC.host}`),
    ];
    const forbidden = FORBIDDEN_MANAGED_POLICIES.map((p) => pulumi.interpolate`arn:${ctx.partition}:iam::aws:policy/${p}`);
    const statements: PolicyStatement[] = [
        { Sid: "ReadIam", Effect: "Allow", Action: ["iam:GetRole", "iam:GetRolePolicy", "iam:GetPolicy", "iam:GetPolicyVersion", "iam:GetInstanceProfile", "iam:GetOpenIDConnectProvider", "iam:ListRolePolicies", "iam:ListAttachedRolePolicies", "iam:ListInstanceProfilesForRole", "iam:ListPolicyVersions", "iam:ListRoleTags", "iam:ListPolicyTags", "iam:ListInstanceProfileTags", "iam:ListOpenIDConnectProviders"], Resource: "*" },
        {
            Sid: "CreateRolesUnderTheBoundary",
            Effect: "Allow",
            Action: "iam:CreateRole",
            Resource: role,
            Condition: { StringEquals: { "iam:PermissionsBoundary": [s.boundaryArn, s.nodeBoundaryArn], ...tagged("aws:RequestTag", s) } },
        },
        {
            Sid: "CreateTaggedForThisEnvironment",
            Effect: "Allow",
            Action: CREATE_ACTIONS,
            Resource: owned,
            Condition: { StringEquals: tagged("aws:RequestTag", s) },
        },
        {
            // IAM authorizes the tags sent with a create as Tag* calls on the new resource, whose tags are the
            // request's. An existing resource must already be this environment's: no retagging across environments.
            Sid: "TagOnlyWhatIsAlreadyThisEnvironments",
            Effect: "Allow",
            Action: TAG_ACTIONS,
            Resource: [role, ...owned],
            Condition: { StringEquals: { ...tagged("aws:RequestTag", s), ...tagged("aws:ResourceTag", s) } },
        },
        {
            Sid: "ManageTaggedForThisEnvironment",
            Effect: "Allow",
            Action: [...MANAGE_ACTIONS, ...UNTAG_ACTIONS],
            Resource: [role, ...owned],
            Condition: { StringEquals: tagged("aws:ResourceTag", s) },
        },
        {
            Sid: "ChangeRolesOnlyUnderTheBoundary",
            Effect: "Allow",
            Action: [...ROLE_POWER_ACTIONS, "iam:PutRolePermissionsBoundary"],
            Resource: role,
            Condition: { StringEquals: { "iam:PermissionsBoundary": [s.boundaryArn, s.nodeBoundaryArn], ...tagged("aws:ResourceTag", s) } },
        },
        {
            Sid: "PassRolesToPlatformServices",
            Effect: "Allow",
            Action: "iam:PassRole",
            Resource: role,
            Condition: { StringEquals: { "iam:PassedToService": PASSED_TO_SERVICES, ...tagged("aws:ResourceTag", s) } },
        },
        {
            Sid: "SpotAndEksServiceLinkedRoles",
            Effect: "Allow",
            Action: "iam:CreateServiceLinkedRole",
            Resource: "*",
            Condition: { StringEquals: { "iam:AWSServiceName": ["spot.amazonaws.com", "eks.amazonaws.com", "eks-nodegroup.amazonaws.com"] } },
        },
        // PassRole too: a CI role handed to Pod Identity would give a pod of the cluster CI's own rights.
        { Sid: "NeverChangeCiAccess", Effect: "Deny", Action: [...IAM_WRITE_ACTIONS, "iam:DeleteRolePermissionsBoundary", "iam:PassRole"], Resource: ciOwned },
        { Sid: "NeverRemoveABoundary", Effect: "Deny", Action: "iam:DeleteRolePermissionsBoundary", Resource: "*" },
        {
            Sid: "NeverAnotherBoundary",
            Effect: "Deny",
            Action: ["iam:CreateRole", "iam:PutRolePermissionsBoundary"],
            Resource: "*",
            Condition: { StringNotEquals: { "iam:PermissionsBoundary": [s.boundaryArn, s.nodeBoundaryArn] } },
        },
        {
            Sid: "NeverRemoveOwnerTags",
            Effect: "Deny",
            Action: UNTAG_ACTIONS,
            Resource: "*",
            Condition: { "ForAnyValue:StringEquals": { "aws:TagKeys": OWNER_TAGS } },
        },
        {
            Sid: "NeverGrantAdministration",
            Effect: "Deny",
            Action: ["iam:AttachRolePolicy", "iam:AttachUserPolicy", "iam:AttachGroupPolicy"],
            Resource: "*",
            Condition: { ArnEquals: { "iam:PolicyARN": forbidden } },
        },
    ];
    return { Version: "2012-10-17", Statement: statements };
}

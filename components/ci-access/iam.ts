import * as pulumi from "@pulumi/pulumi";
import { AwsContext, arn } from "../shared/aws-context";
import { PolicyDocument, PolicyStatement } from "../shared/iam";
import { CI_ACCESS_FORMS, CiAccessArgs, GITHUB_OIDC, ROLE_PREFIX } from "./types";

/** `sub` claims of push jobs on the given branches and of jobs in the given GitHub environments. */
export function deploySubjects(repository: string, branches: string[], environments: string[]): string[] {
    // A job that names an environment presents `environment:<name>` instead of its ref, so both forms are needed.
    return [
        ...branches.map((b) => `repo:${repository}:ref:refs/heads/${b}`),
        ...environments.map((e) => `repo:${repository}:environment:${e}`),
    ];
}

/** `sub` claim of every pull_request-triggered job of the repository (GitHub issues none to fork PRs' jobs with secrets). */
export function previewSubjects(repository: string): string[] {
    return [`repo:${repository}:pull_request`];
}

/**
 * Trust for GitHub Actions: only tokens minted for AWS STS, only for the listed subjects; exact matches
 * (StringEquals), so no wildcard can widen the set. Optionally also named IAM roles (never an account).
 */
export function githubTrustPolicy(providerArn: pulumi.Input<string>, subjects: string[], trustedRoleArns: string[] = []): PolicyDocument {
    const statements: PolicyStatement[] = [
        {
            Sid: "GitHubActions",
            Effect: "Allow",
            Principal: { Federated: providerArn },
            Action: "sts:AssumeRoleWithWebIdentity",
            Condition: {
                StringEquals: {
                    [`${GITHUB_OIDC.host}:aud`]: GITHUB_OIDC.audience,
                    [`${GITHUB_OIDC.host}:sub`]: subjects,
                },
            },
        },
    ];
    if (trustedRoleArns.length > 0) {
        statements.push({ Sid: "TrustedRoles", Effect: "Allow", Principal: { AWS: trustedRoleArns }, Action: "sts:AssumeRole" });
    }
    return { Version: "2012-10-17", Statement: statements };
}

/** Services this program hands roles to: EKS (cluster, node group), Pod Identity, VPC flow logs. */
const PASSED_TO_SERVICES = ["eks.amazonaws.com", "pods.eks.amazonaws.com", "vpc-flow-logs.amazonaws.com"];

/** AWS-managed policies no role of this program needs and none may get from CI. */
const FORBIDDEN_MANAGED_POLICIES = ["AdministratorAccess", "IAMFullAccess", "PowerUserAccess"];

const CREATE_ACTIONS = ["iam:CreateRole", "iam:CreatePolicy", "iam:CreateInstanceProfile", "iam:CreateOpenIDConnectProvider"];
const TAG_ACTIONS = ["iam:TagRole", "iam:TagPolicy", "iam:TagInstanceProfile", "iam:TagOpenIDConnectProvider"];
const MANAGE_ACTIONS = [
    "iam:DeleteRole", "iam:UpdateRole", "iam:UpdateRoleDescription", "iam:UpdateAssumeRolePolicy",
    "iam:PutRolePolicy", "iam:DeleteRolePolicy", "iam:AttachRolePolicy", "iam:DetachRolePolicy",
    "iam:UntagRole", "iam:CreatePolicyVersion", "iam:DeletePolicyVersion", "iam:SetDefaultPolicyVersion",
    "iam:DeletePolicy", "iam:UntagPolicy", "iam:AddRoleToInstanceProfile", "iam:RemoveRoleFromInstanceProfile",
    "iam:DeleteInstanceProfile", "iam:UntagInstanceProfile", "iam:DeleteOpenIDConnectProvider",
    "iam:UpdateOpenIDConnectProviderThumbprint", "iam:AddClientIDToOpenIDConnectProvider",
    "iam:RemoveClientIDFromOpenIDConnectProvider", "iam:UntagOpenIDConnectProvider",
];
/** Every IAM write the statements above allow: what the self-protection deny covers. */
export const IAM_WRITE_ACTIONS = [...CREATE_ACTIONS, ...TAG_ACTIONS, ...MANAGE_ACTIONS];

/**
 * The IAM half of the deploy role's permissions (PowerUserAccess, attached beside it, excludes IAM).
 * Writes are limited to resources carrying this stack's `project`/`environment` tags, which the AWS
 * provider's default tags put on everything the program creates, so one environment's pipeline cannot
 * change another's roles. Roles go only to the services the program passes them to. The CI roles, their
 * policies and the GitHub provider are denied outright: a workflow can never widen its own access (an
 * administrator applies changes to them). A role that may create roles and policies can still build one
 * more powerful than itself; only an IAM permissions boundary would close that, so who may assume the
 * role (main, or the reviewed `production` environment) remains the real control.
 */
export function deployIamPolicy(ctx: AwsContext, project: string, environment: string): PolicyDocument {
    const iamArn = (resource: string) => arn(ctx, "iam", resource, { global: true });
    const managed = [iamArn("role/*"), iamArn("policy/*"), iamArn("instance-profile/*"), iamArn("oidc-provider/*")];
    const ciOwned = [
        iamArn(`role/${ROLE_PREFIX.deploy}*`),
        iamArn(`role/${ROLE_PREFIX.preview}*`),
        iamArn(`policy/${ROLE_PREFIX.deploy}*`),
        iamArn(`policy/${ROLE_PREFIX.preview}*`),
        iamArn(`oidc-provider/${GITHUB_OIDC.host}`),
    ];
    const forbidden = FORBIDDEN_MANAGED_POLICIES.map((p) => pulumi.interpolate`arn:${ctx.partition}:iam::aws:policy/${p}`);
    return {
        Version: "2012-10-17",
        Statement: [
            { Sid: "ReadIam", Effect: "Allow", Action: ["iam:Get*", "iam:List*"], Resource: "*" },
            {
                // IAM authorizes the tags sent with a create as Tag* calls, so both are allowed on tagged requests.
                Sid: "CreateTaggedForThisEnvironment",
                Effect: "Allow",
                Action: [...CREATE_ACTIONS, ...TAG_ACTIONS],
                Resource: managed,
                Condition: { StringEquals: { "aws:RequestTag/project": project, "aws:RequestTag/environment": environment } },
            },
            {
                Sid: "ManageTaggedForThisEnvironment",
                Effect: "Allow",
                Action: [...TAG_ACTIONS, ...MANAGE_ACTIONS],
                Resource: managed,
                Condition: { StringEquals: { "aws:ResourceTag/project": project, "aws:ResourceTag/environment": environment } },
            },
            {
                Sid: "PassRolesToPlatformServices",
                Effect: "Allow",
                Action: "iam:PassRole",
                Resource: iamArn("role/*"),
                Condition: { StringEquals: { "iam:PassedToService": PASSED_TO_SERVICES } },
            },
            { Sid: "NeverChangeCiAccess", Effect: "Deny", Action: IAM_WRITE_ACTIONS, Resource: ciOwned },
            {
                Sid: "NeverGrantAdministration",
                Effect: "Deny",
                Action: ["iam:AttachRolePolicy", "iam:AttachUserPolicy", "iam:AttachGroupPolicy"],
                Resource: "*",
                Condition: { ArnEquals: { "iam:PolicyARN": forbidden } },
            },
        ],
    };
}

/** One problem with CiAccess arguments, naming the argument(s) as data so callers can map them to their own names. */
export interface CiAccessProblem {
    /** The argument at fault; two when only their combination is wrong. */
    fields: (keyof CiAccessArgs)[];
    value: unknown;
    allowed: string;
}

/** Every problem with the arguments, each naming the argument, its value and what is allowed. */
export function ciAccessIssues(args: Omit<CiAccessArgs, "aws" | "oidcProviderArn">): CiAccessProblem[] {
    const problems: CiAccessProblem[] = [];
    const bad = (field: keyof CiAccessArgs, value: unknown, allowed: string) => problems.push({ fields: [field], value, allowed });
    const f = CI_ACCESS_FORMS;
    if (!f.repository.pattern.test(args.repository)) bad("repository", args.repository, f.repository.form);
    if (!f.environment.pattern.test(args.environment)) bad("environment", args.environment, f.environment.form);
    if (args.deployBranches.length + args.deployEnvironments.length === 0) {
        problems.push({ fields: ["deployBranches", "deployEnvironments"], value: [], allowed: "at least one branch or GitHub environment that may deploy" });
    }
    for (const b of args.deployBranches) if (!f.branch.pattern.test(b)) bad("deployBranches", b, f.branch.form);
    for (const e of args.deployEnvironments) if (!f.githubEnvironment.pattern.test(e)) bad("deployEnvironments", e, f.githubEnvironment.form);
    for (const r of args.trustedRoleArns ?? []) if (!f.roleArn.pattern.test(r)) bad("trustedRoleArns", r, f.roleArn.form);
    const seconds = args.deploySessionSeconds;
    const { min, max } = f.sessionSeconds;
    if (seconds !== undefined && !(Number.isInteger(seconds) && seconds >= min && seconds <= max)) {
        bad("deploySessionSeconds", seconds, `an integer from ${min} to ${max}`);
    }
    return problems;
}

/** The problems of {@link ciAccessIssues} as lines `field: got <value>; allowed: <form>`. */
export function ciAccessProblems(args: Omit<CiAccessArgs, "aws" | "oidcProviderArn">): string[] {
    return ciAccessIssues(args).map((p) => `${p.fields.join("/")}: got ${JSON.stringify(p.value)}; allowed: ${p.allowed}`);
}

import * as pulumi from "@pulumi/pulumi";
import { PolicyDocument, PolicyStatement } from "../shared/iam";
import { CI_ACCESS_FORMS, CiAccessArgs, GITHUB_OIDC } from "./types";

/** `sub` claims of push jobs on the given branches and of jobs in the given GitHub environments. */
export function deploySubjects(repository: string, branches: string[], environments: string[]): string[] {
    // A job that names an environment presents `environment:<name>` instead of its ref, so both forms are needed.
    return [
        ...branches.map((b) => `repo:${repository}:ref:refs/heads/${b}`),
        ...environments.map((e) => `repo:${repository}:environment:${e}`),
    ];
}

/**
 * `sub` claim of the preview jobs: with an environment, only jobs a reviewer let into it; without, every
 * pull_request-triggered job of the repository (GitHub issues none to fork PRs' jobs with secrets).
 */
export function previewSubjects(repository: string, environment?: string): string[] {
    return [environment ? `repo:${repository}:environment:${environment}` : `repo:${repository}:pull_request`];
}

/** The reusable workflow whose jobs run `pulumi up` (its `job_workflow_ref` is pinned in the deploy trust). */
export const DEPLOY_WORKFLOW = ".github/workflows/pulumi-up.yml";

/** What a GitHub token must carry besides its subject: the repository's immutable id and, optionally, the workflow file. */
export interface GithubPins {
    repositoryId: string;
    /** The owner's numeric id (`repository_owner_id`); pinned when given. */
    repositoryOwnerId?: string;
    /** Allowed `job_workflow_ref` values (`owner/repo/.github/workflows/<file>@<ref>`); absent: any workflow. */
    workflowRefs?: string[];
}

/** `job_workflow_ref` values of pulumi-up.yml on the refs that may deploy (an environment deploys from main). */
export function deployWorkflowRefs(repository: string, branches: string[], environments: string[]): string[] {
    const refs = [...new Set([...branches, ...(environments.length > 0 ? ["main"] : [])])];
    return refs.map((b) => `${repository}/${DEPLOY_WORKFLOW}@refs/heads/${b}`);
}

/**
 * Trust for GitHub Actions: only tokens minted for AWS STS, only for the listed subjects, only from the
 * repository with this id and owner id (STS exposes GitHub's `repository_id` and `repository_owner_id`
 * claims as condition keys), and with
 * `workflowRefs` only jobs of that workflow file at those refs. Exact subjects use StringEquals; `likeSubjects`
 * (tag patterns such as `ref:refs/tags/v*`) StringLike. Optionally also named IAM roles (never an account).
 */
export function githubTrustPolicy(
    providerArn: pulumi.Input<string>,
    subjects: string[],
    pins: GithubPins,
    trustedRoleArns: string[] = [],
    likeSubjects: string[] = [],
): PolicyDocument {
    const host = GITHUB_OIDC.host;
    const equals: Record<string, unknown> = { [`${host}:aud`]: GITHUB_OIDC.audience, [`${host}:repository_id`]: pins.repositoryId };
    if (pins.repositoryOwnerId) equals[`${host}:repository_owner_id`] = pins.repositoryOwnerId;
    if (pins.workflowRefs) equals[`${host}:job_workflow_ref`] = pins.workflowRefs;
    const condition: Record<string, Record<string, unknown>> = {};
    if (likeSubjects.length > 0) condition.StringLike = { [`${host}:sub`]: [...subjects, ...likeSubjects] };
    else equals[`${host}:sub`] = subjects;
    condition.StringEquals = equals;
    const statements: PolicyStatement[] = [
        { Sid: "GitHubActions", Effect: "Allow", Principal: { Federated: providerArn }, Action: "sts:AssumeRoleWithWebIdentity", Condition: condition as any },
    ];
    if (trustedRoleArns.length > 0) {
        statements.push({ Sid: "TrustedRoles", Effect: "Allow", Principal: { AWS: trustedRoleArns }, Action: "sts:AssumeRole" });
    }
    return { Version: "2012-10-17", Statement: statements };
}

/**
 * Subjects of an application's image jobs: with a GitHub environment, only its (reviewed) jobs; without,
 * pushes to main (exact) and release tags `v*` (a pattern).
 */
export function applicationSubjects(repository: string, environment?: string): { exact: string[]; like: string[] } {
    if (environment) return { exact: [`repo:${repository}:environment:${environment}`], like: [] };
    return { exact: [`repo:${repository}:ref:refs/heads/main`], like: [`repo:${repository}:ref:refs/tags/v*`] };
}

/** What a promotion job may do with another stack's repository: read its images, nothing else. */
export function imagePullPolicy(repositoryArn: pulumi.Input<string>): PolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [
            { Sid: "RegistryLogin", Effect: "Allow", Action: "ecr:GetAuthorizationToken", Resource: "*" },
            {
                Sid: "PullFromOwnRepository",
                Effect: "Allow",
                Action: ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:DescribeImages"],
                Resource: repositoryArn,
            },
        ],
    };
}

/** What an application's release job may do: push (and read back) images of its own ECR repository only. */
export function imagePushPolicy(repositoryArn: pulumi.Input<string>): PolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [
            // GetAuthorizationToken takes no resource: the login itself; every image call below is scoped.
            { Sid: "RegistryLogin", Effect: "Allow", Action: "ecr:GetAuthorizationToken", Resource: "*" },
            {
                Sid: "PushToOwnRepository",
                Effect: "Allow",
                Action: [
                    "ecr:BatchCheckLayerAvailability", "ecr:InitiateLayerUpload", "ecr:UploadLayerPart", "ecr:CompleteLayerUpload",
                    "ecr:PutImage", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:DescribeImages",
                ],
                Resource: repositoryArn,
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

type CheckedArgs = Omit<CiAccessArgs, "aws" | "oidcProviderArn" | "clusterName">;

/** Every problem with the arguments, each naming the argument, its value and what is allowed. */
export function ciAccessIssues(args: CheckedArgs): CiAccessProblem[] {
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
    if (!f.repositoryId.pattern.test(String(args.repositoryId ?? ""))) bad("repositoryId", args.repositoryId, f.repositoryId.form);
    if (!f.ownerId.pattern.test(String(args.repositoryOwnerId ?? ""))) bad("repositoryOwnerId", args.repositoryOwnerId, f.ownerId.form);
    if (!f.stateLocation.pattern.test(args.stateLocation ?? "")) bad("stateLocation", args.stateLocation, f.stateLocation.form);
    if (args.previewEnvironment && !f.githubEnvironment.pattern.test(args.previewEnvironment)) bad("previewEnvironment", args.previewEnvironment, f.githubEnvironment.form);
    for (const a of args.applications ?? []) {
        if (!f.repository.pattern.test(a.repository) || !f.repositoryId.pattern.test(a.repositoryId)) bad("applications", a, f.application.form);
    }
    const seconds = args.deploySessionSeconds;
    const { min, max } = f.sessionSeconds;
    if (seconds !== undefined && !(Number.isInteger(seconds) && seconds >= min && seconds <= max)) {
        bad("deploySessionSeconds", seconds, `an integer from ${min} to ${max}`);
    }
    return problems;
}

/** The problems of {@link ciAccessIssues} as lines `field: got <value>; allowed: <form>`. */
export function ciAccessProblems(args: CheckedArgs): string[] {
    return ciAccessIssues(args).map((p) => `${p.fields.join("/")}: got ${JSON.stringify(p.value)}; allowed: ${p.allowed}`);
}

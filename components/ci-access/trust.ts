import * as pulumi from "@pulumi/pulumi";
import { PolicyDocument, PolicyStatement } from "../shared/iam";
import { GITHUB_OIDC } from "./types";

/**
 * The workflow files whose jobs the trusts pin (`job_workflow_ref`): the platform's reusable deploy
 * workflow and pull-request preview, and the service template's release and promotion workflows.
 */
export const WORKFLOWS = {
    deploy: ".github/workflows/pulumi-up.yml",
    preview: ".github/workflows/preview.yml",
    drift: ".github/workflows/drift.yml",
    release: ".github/workflows/release.yml",
    promotion: ".github/workflows/production.yml",
} as const;

/** Claims of a GitHub Actions token a trust statement pins, besides `aud` and the repository's ids. */
export type GithubClaim = "sub" | "ref" | "job_workflow_ref";

/**
 * One kind of job a role trusts: each pinned claim with its allowed values. A claim with a `*` in any
 * value is compared with StringLike (a pattern such as `refs/tags/v*`), every other one with StringEquals.
 */
export interface GithubGrant {
    /** Statement id, e.g. `GitHubDeployEnvironments`. */
    sid: string;
    claims: Partial<Record<GithubClaim, string[]>>;
}

/** What every GitHub statement pins: the repository's immutable id and its owner's (STS exposes both claims as condition keys). */
export interface GithubPins {
    repositoryId: string;
    repositoryOwnerId: string;
}

/** `job_workflow_ref` of `file` in `repository` at `ref` (`refs/heads/main`, or a pattern such as `refs/tags/v*`). */
export const workflowRef = (repository: string, file: string, ref: string): string => `${repository}/${file}@${ref}`;

/**
 * Deploy jobs: pushes to `branches` (their ref is in the subject), and jobs of the GitHub `environments`,
 * whose subject names the environment instead, so their ref is pinned to main separately: an
 * environment's branch rules then only add to the trust, they are not all of it. Both only as jobs of
 * pulumi-up.yml at that ref.
 */
export function deployGrants(repository: string, branches: string[], environments: string[]): GithubGrant[] {
    const grants: GithubGrant[] = [];
    if (branches.length > 0) {
        grants.push({
            sid: "GitHubDeployBranches",
            claims: {
                sub: branches.map((b) => `repo:${repository}:ref:refs/heads/${b}`),
                job_workflow_ref: branches.map((b) => workflowRef(repository, WORKFLOWS.deploy, `refs/heads/${b}`)),
            },
        });
    }
    if (environments.length > 0) {
        grants.push({
            sid: "GitHubDeployEnvironments",
            claims: {
                sub: environments.map((e) => `repo:${repository}:environment:${e}`),
                ref: ["refs/heads/main"],
                job_workflow_ref: [workflowRef(repository, WORKFLOWS.deploy, "refs/heads/main")],
            },
        });
    }
    return grants;
}

/**
 * Preview jobs: with an environment, only jobs a reviewer let into it; without, every pull_request job of
 * the repository (GitHub issues none to fork PRs' jobs with secrets). Either way only preview.yml's jobs,
 * which run at the pull request's merge ref. And the drift check: drift.yml's jobs on main (nightly or run
 * by hand), in the same environment when there is one; the ref is pinned apart from the subject, as an
 * environment's subject does not name it.
 */
export function previewGrants(repository: string, environment?: string): GithubGrant[] {
    return [
        {
            sid: "GitHubPreview",
            claims: {
                sub: [environment ? `repo:${repository}:environment:${environment}` : `repo:${repository}:pull_request`],
                job_workflow_ref: [workflowRef(repository, WORKFLOWS.preview, "refs/pull/*/merge")],
            },
        },
        {
            sid: "GitHubDrift",
            claims: {
                sub: [environment ? `repo:${repository}:environment:${environment}` : `repo:${repository}:ref:refs/heads/main`],
                ref: ["refs/heads/main"],
                job_workflow_ref: [workflowRef(repository, WORKFLOWS.drift, "refs/heads/main")],
            },
        },
    ];
}

/**
 * An application's image jobs. With a GitHub environment: only its (reviewed) promotion job, production.yml
 * run on main. Without: release.yml on pushes to main, and on `v*` tags. STS has no condition key for
 * GitHub's `ref_protected`, so who may create such a tag is the repository's tag ruleset's to decide.
 */
export function applicationGrants(repository: string, environment?: string): GithubGrant[] {
    if (environment) {
        return [
            {
                sid: "GitHubPromotion",
                claims: {
                    sub: [`repo:${repository}:environment:${environment}`],
                    ref: ["refs/heads/main"],
                    job_workflow_ref: [workflowRef(repository, WORKFLOWS.promotion, "refs/heads/main")],
                },
            },
        ];
    }
    return [
        {
            sid: "GitHubReleaseMain",
            claims: { sub: [`repo:${repository}:ref:refs/heads/main`], job_workflow_ref: [workflowRef(repository, WORKFLOWS.release, "refs/heads/main")] },
        },
        {
            sid: "GitHubReleaseTags",
            claims: { sub: [`repo:${repository}:ref:refs/tags/v*`], job_workflow_ref: [workflowRef(repository, WORKFLOWS.release, "refs/tags/v*")] },
        },
    ];
}

/**
 * Trust for GitHub Actions: per grant, only tokens minted for AWS STS, from the repository with this id and
 * owner id, carrying the grant's claims. Optionally also named IAM roles (never an account), with plain
 * sts:AssumeRole.
 */
export function githubTrustPolicy(providerArn: pulumi.Input<string>, pins: GithubPins, grants: GithubGrant[], trustedRoleArns: string[] = []): PolicyDocument {
    const host = GITHUB_OIDC.host;
    const statements: PolicyStatement[] = grants.map(({ sid, claims }) => {
        const equals: Record<string, unknown> = {
            [`${host}:aud`]: GITHUB_OIDC.audience,
            [`${host}:repository_id`]: pins.repositoryId,
            [`${host}:repository_owner_id`]: pins.repositoryOwnerId,
        };
        const like: Record<string, unknown> = {};
        for (const [claim, values] of Object.entries(claims)) {
            (values.some((v) => v.includes("*")) ? like : equals)[`${host}:${claim}`] = values;
        }
        const condition = { StringEquals: equals, ...(Object.keys(like).length > 0 ? { StringLike: like } : {}) };
        return { Sid: sid, Effect: "Allow", Principal: { Federated: providerArn }, Action: "sts:AssumeRoleWithWebIdentity", Condition: condition as any };
    });
    if (trustedRoleArns.length > 0) {
        statements.push({ Sid: "TrustedRoles", Effect: "Allow", Principal: { AWS: trustedRoleArns }, Action: "sts:AssumeRole" });
    }
    return { Version: "2012-10-17", Statement: statements };
}

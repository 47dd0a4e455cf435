import * as pulumi from "@pulumi/pulumi";
import { AwsContext } from "../shared/aws-context";

export interface CiAccessArgs {
    /** GitHub repository `owner/name`, spelled exactly as GitHub does (the `sub` claim is compared case-sensitively). */
    repository: string;
    /** The stack's environment (`dev`, `prod`); names the roles `eks-platform-deploy-<environment>` and `eks-platform-preview-<environment>`. */
    environment: string;
    /** Branches whose push-triggered jobs (without a GitHub environment) may assume the deploy role, e.g. `["main"]` for dev. */
    deployBranches: string[];
    /** GitHub environments whose jobs may assume the deploy role, e.g. `["production"]` for prod. */
    deployEnvironments: string[];
    /**
     * ARN of the account's existing GitHub OIDC provider. An account holds one provider per URL, so when dev
     * and prod share an account, one stack creates it and the other passes its ARN here. Absent: create it.
     */
    oidcProviderArn?: pulumi.Input<string>;
    /** IAM role ARNs outside GitHub (e.g. a Jenkins agent's instance role) that may assume both roles with `sts:AssumeRole`. */
    trustedRoleArns?: string[];
    /** Longest session of the deploy role, in seconds (3600-43200): a first `pulumi up` of a whole platform can outlast an hour. */
    deploySessionSeconds?: number;
    /** Account and partition for ARNs. */
    aws: AwsContext;
}

/**
 * The accepted form of each argument, as data: CiAccess checks its arguments with it, and the stack
 * config rules (stacks/config/keys.ts) are built from it, so both say the same thing.
 */
export const CI_ACCESS_FORMS = {
    repository: { pattern: /^[A-Za-z0-9-]{1,39}\/[A-Za-z0-9._-]{1,100}$/, form: "a GitHub repository `owner/name`" },
    environment: { pattern: /^[a-z][a-z0-9-]{1,15}$/, form: "lowercase letters, digits and '-', 2-16 characters, starting with a letter" },
    // Exact names only: `*` is not in the character set, so no wildcard can widen the trusted refs.
    branch: { pattern: /^[A-Za-z0-9._\/-]{1,255}$/, form: "an exact branch name, no wildcards" },
    githubEnvironment: { pattern: /^[A-Za-z0-9._\/-]{1,255}$/, form: "an exact GitHub environment name" },
    roleArn: { pattern: /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@\/-]+$/, form: "an IAM role ARN (never an account, a root or `*`)" },
    sessionSeconds: { min: 3600, max: 43200 },
} as const;

/** The GitHub Actions OIDC issuer and the audience `aws-actions/configure-aws-credentials` asks for. */
export const GITHUB_OIDC = {
    url: "https://token.actions.githubusercontent.com",
    host: "token.actions.githubusercontent.com",
    audience: "sts.amazonaws.com",
} as const;

/** Role names are fixed, not auto-named: stack config (`clusterAdminArns`) and CI variables refer to them. */
export const ROLE_PREFIX = { deploy: "eks-platform-deploy-", preview: "eks-platform-preview-" } as const;

export const deployRoleName = (environment: string): string => `${ROLE_PREFIX.deploy}${environment}`;
export const previewRoleName = (environment: string): string => `${ROLE_PREFIX.preview}${environment}`;

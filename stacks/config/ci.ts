/**
 * The CI area: the GitHub OIDC deploy, preview and image roles (CiAccess). Its keys (type, default,
 * description, rule), its reader and its type; keys.ts joins the areas.
 */
import { CI_ACCESS_FORMS, CiAccessArgs, CiApplication, deployRoleName } from "../../components/ci-access/types";
import { ciAccessIssues } from "../../components/ci-access/iam";
import * as checks from "./checks";
import { ConfigReader, Reads } from "./reader";
import { KeySpec, check, integer, list, optional, pattern } from "./rules";

const OIDC_PROVIDER = /^arn:aws(-cn|-us-gov)?:iam::\d{12}:oidc-provider\/token\.actions\.githubusercontent\.com$/;

export const CI_KEYS = {
    ciRepository: {
        type: "string",
        description: "GitHub `owner/name` whose Actions may deploy this stack through OIDC; empty leaves CI access out (CiAccess).",
        default: "",
        rule: optional(check(`${CI_ACCESS_FORMS.repository.form} of your own (placeholders such as your-org/… are refused)`, (v) => checks.githubRepository(v, CI_ACCESS_FORMS.repository.pattern))),
    },
    ciRepositoryId: {
        type: "string",
        description: "Numeric id of ciRepository (`gh api repos/<owner>/<name> --jq .id`); every CI trust pins it (OIDC claim repository_id).",
        default: "",
        rule: optional(pattern(CI_ACCESS_FORMS.repositoryId.pattern, CI_ACCESS_FORMS.repositoryId.form)),
        crossKey: "required when ciRepository is set",
    },
    ciRepositoryOwnerId: {
        type: "string",
        description: "Numeric id of ciRepository's owner (`gh api users/<owner> --jq .id`); the deploy and preview trusts pin it (OIDC claim repository_owner_id).",
        default: "",
        rule: optional(pattern(CI_ACCESS_FORMS.ownerId.pattern, CI_ACCESS_FORMS.ownerId.form)),
        crossKey: "required when ciRepository is set",
    },
    ciStateBucket: {
        type: "string",
        description: "The S3 state backend as `bucket` or `bucket/prefix` (PULUMI_BACKEND_URL without s3://): the only objects the CI roles may touch.",
        default: "",
        rule: optional(pattern(CI_ACCESS_FORMS.stateLocation.pattern, CI_ACCESS_FORMS.stateLocation.form)),
        crossKey: "required when ciRepository is set",
    },
    ciPreviewEnvironment: {
        type: "string",
        description: "GitHub environment (required reviewers) the pull-request preview of this stack runs in; empty trusts every same-repository pull request (dev only).",
        default: "",
        rule: optional(pattern(CI_ACCESS_FORMS.githubEnvironment.pattern, CI_ACCESS_FORMS.githubEnvironment.form)),
        crossKey: "required in prod when ciRepository is set",
    },
    ciApplications: {
        type: "array",
        description: "Application repositories whose release jobs (release.yml on main and v* tags) may push images, each to one ECR repository: `<owner>/<repo>#<owner id>/<repository id>=<ecr repository>`.",
        default: [],
        rule: list(pattern(CI_ACCESS_FORMS.application.pattern, CI_ACCESS_FORMS.application.form), { unique: true }),
        crossKey: "each ECR repository one of ecrRepositories; needs ciRepository",
    },
    ciApplicationPushEnvironment: {
        type: "string",
        description: "GitHub environment of the ciApplications repositories whose jobs push images here (prod: production, the reviewed promotion); empty: their main branch and v* tags.",
        default: "",
        rule: optional(pattern(CI_ACCESS_FORMS.githubEnvironment.pattern, CI_ACCESS_FORMS.githubEnvironment.form)),
    },
    ciApplicationPullEnvironment: {
        type: "string",
        description: "GitHub environment of the ciApplications repositories whose jobs may pull images from here to promote them (dev: production); empty: no pull roles.",
        default: "",
        rule: optional(pattern(CI_ACCESS_FORMS.githubEnvironment.pattern, CI_ACCESS_FORMS.githubEnvironment.form)),
    },
    ciDeployBranches: {
        type: "array",
        description: "Branches whose push jobs may assume the deploy role (e.g. main for dev).",
        default: [],
        rule: list(pattern(CI_ACCESS_FORMS.branch.pattern, CI_ACCESS_FORMS.branch.form), { unique: true }),
        crossKey: "with ciDeployEnvironments at least one entry when ciRepository is set",
    },
    ciDeployEnvironments: {
        type: "array",
        description: "GitHub environments whose jobs may assume the deploy role (e.g. production, with required reviewers).",
        default: [],
        rule: list(pattern(CI_ACCESS_FORMS.githubEnvironment.pattern, CI_ACCESS_FORMS.githubEnvironment.form), { unique: true }),
        crossKey: "with ciDeployBranches at least one entry when ciRepository is set",
    },
    ciOidcProviderArn: {
        type: "string",
        description: "The account's existing GitHub OIDC provider; empty creates it (one per account).",
        default: "",
        rule: optional(pattern(OIDC_PROVIDER, "arn:aws:iam::<account>:oidc-provider/token.actions.githubusercontent.com")),
    },
    ciTrustedRoleArns: {
        type: "array",
        description: "Other IAM roles (e.g. the instance role of a Jenkins agent that builds branches) that may assume the CI roles of a stack without ciPreviewEnvironment.",
        default: [],
        rule: list(pattern(CI_ACCESS_FORMS.roleArn.pattern, CI_ACCESS_FORMS.roleArn.form), { unique: true }),
        crossKey: "empty when ciPreviewEnvironment is set",
    },
    ciProdAgentRoleArns: {
        type: "array",
        description: "In a stack with ciPreviewEnvironment, the only IAM roles besides GitHub's jobs its deploy and preview roles trust: the instance role of a Jenkins agent that builds main alone (label eks-platform-prod).",
        default: [],
        rule: list(pattern(CI_ACCESS_FORMS.roleArn.pattern, CI_ACCESS_FORMS.roleArn.form), { unique: true }),
        crossKey: "only when ciPreviewEnvironment is set",
    },
    ciDeploySessionSeconds: {
        type: "integer",
        description: "Longest session of the deploy role, in seconds.",
        default: 7200,
        rule: integer(CI_ACCESS_FORMS.sessionSeconds.min, CI_ACCESS_FORMS.sessionSeconds.max),
    },
} as const satisfies Record<string, KeySpec>;

/** CiAccess arguments that come from config (the rest are the stack's environment and account). */
export type CiConfig = Omit<CiAccessArgs, "environment" | "aws" | "clusterName" | "ipFamily" | "computeMode">;

type CiKeys = typeof CI_KEYS &
    Reads<{ environment: "string"; externalSecretsPrefixes: "array"; ecrRepositories: "array"; ecrPrefixWithEnvironment: "boolean"; clusterAdminArns: "array" }>;

/** The config key each CiAccess argument comes from. */
const ARGUMENT_KEYS: Partial<Record<keyof CiAccessArgs, keyof CiKeys & string>> = {
    repository: "ciRepository",
    environment: "environment",
    deployBranches: "ciDeployBranches",
    deployEnvironments: "ciDeployEnvironments",
    trustedRoleArns: "ciTrustedRoleArns",
    prodAgentRoleArns: "ciProdAgentRoleArns",
    deploySessionSeconds: "ciDeploySessionSeconds",
    repositoryId: "ciRepositoryId",
    repositoryOwnerId: "ciRepositoryOwnerId",
    stateLocation: "ciStateBucket",
    previewEnvironment: "ciPreviewEnvironment",
    applications: "ciApplications",
    applicationPushEnvironment: "ciApplicationPushEnvironment",
    applicationPullEnvironment: "ciApplicationPullEnvironment",
};

/** Reads the CiAccess keys; undefined when `ciRepository` is empty (no CI access in this stack). */
export function readCiConfig(r: ConfigReader<CiKeys>, environment: string, adminPrincipals: string[]): CiConfig | undefined {
    const repository = r.get("ciRepository");
    const ci = {
        repository,
        deployBranches: r.get("ciDeployBranches"),
        deployEnvironments: r.get("ciDeployEnvironments"),
        trustedRoleArns: r.get("ciTrustedRoleArns"),
        prodAgentRoleArns: r.get("ciProdAgentRoleArns"),
        deploySessionSeconds: r.get("ciDeploySessionSeconds"),
        oidcProviderArn: r.get("ciOidcProviderArn") || undefined,
        repositoryId: r.get("ciRepositoryId"),
        repositoryOwnerId: r.get("ciRepositoryOwnerId"),
        stateLocation: r.get("ciStateBucket"),
        previewEnvironment: r.get("ciPreviewEnvironment") || undefined,
        secretPrefixes: r.get("externalSecretsPrefixes") ?? [],
        applications: readApplications(r, environment),
        applicationPushEnvironment: r.get("ciApplicationPushEnvironment") || undefined,
        applicationPullEnvironment: r.get("ciApplicationPullEnvironment") || undefined,
    };
    if (!repository) return undefined;
    for (const key of ["ciRepositoryId", "ciRepositoryOwnerId", "ciStateBucket"] as const) {
        if (r.ok(key) && !r.get(key)) r.reject(key, "", "required when ciRepository is set");
    }
    // Prod's pull-request previews wait for a reviewer: unreviewed code never holds prod credentials.
    if (environment === "prod" && !ci.previewEnvironment) r.reject("ciPreviewEnvironment", "", "required in prod when ciRepository is set (a GitHub environment with required reviewers)");
    // Jenkins: a reviewed stack's roles are reachable only from an agent that never builds a branch or pull request.
    if (r.ok("ciPreviewEnvironment", "ciTrustedRoleArns") && ci.previewEnvironment && ci.trustedRoleArns.length > 0) {
        r.reject(
            "ciTrustedRoleArns",
            ci.trustedRoleArns,
            `empty in a stack with ciPreviewEnvironment (${ci.previewEnvironment}): an agent that builds branches and pull requests would reach its roles before any review; list the instance role of a Jenkins agent that builds main alone in ciProdAgentRoleArns`,
        );
    }
    if (r.ok("ciPreviewEnvironment", "ciProdAgentRoleArns") && !ci.previewEnvironment && ci.prodAgentRoleArns.length > 0) {
        r.reject("ciProdAgentRoleArns", ci.prodAgentRoleArns, "only in a stack with ciPreviewEnvironment (reviewed previews); list this stack's agent roles in ciTrustedRoleArns");
    }

    // The component's own checks, reported under the config keys they come from; a key that already
    // failed its own rule (built from the same forms) is not reported again.
    for (const issue of ciAccessIssues({ ...ci, environment })) {
        const keys = issue.fields.map((field) => ARGUMENT_KEYS[field]!);
        if (!r.ok(...keys)) continue;
        r.note(`${r.qualified(keys.join("/"))}: got ${JSON.stringify(issue.value)}; allowed: ${issue.allowed}`);
    }
    const deployRole = `role/${deployRoleName(environment)}`;
    const listed = adminPrincipals.find((p) => p === deployRole || p.endsWith(`:${deployRole}`));
    if (listed) r.reject("clusterAdminArns", listed, "CiAccess already makes its deploy role a cluster-admin; EKS allows one access entry per principal");
    return ci;
}

/** `ciApplications` entries with the ECR repository's full name; each must be one of `ecrRepositories`. */
function readApplications(r: ConfigReader<CiKeys>, environment: string): CiApplication[] {
    if (!r.ok("ciApplications", "ecrRepositories", "ecrPrefixWithEnvironment")) return [];
    const names: string[] = r.get("ecrRepositories");
    const prefix = r.get("ecrPrefixWithEnvironment") ? `${environment}/` : "";
    const apps: CiApplication[] = [];
    for (const entry of r.get("ciApplications") as string[]) {
        const [, repository, repositoryOwnerId, repositoryId, ecr] = CI_ACCESS_FORMS.application.pattern.exec(entry)!;
        if (!names.includes(ecr)) {
            r.reject("ciApplications", entry, `ECR repository "${ecr}" is not one of ecrRepositories (${names.join(", ") || "none"})`);
            continue;
        }
        apps.push({ repository, repositoryId, repositoryOwnerId, ecrRepository: `${prefix}${ecr}` });
    }
    return apps;
}

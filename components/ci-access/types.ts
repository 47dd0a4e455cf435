import type { ComputeMode } from "../cluster/types";
import type { IpFamily } from "../network/types";
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
     * The repository's immutable numeric id (GitHub's `repository_id` claim). Every trust pins it, so a
     * deleted-and-recreated or renamed-over repository of the same name gets nothing. (STS exposes
     * both `repository_id` and `repository_owner_id` as condition keys of AssumeRoleWithWebIdentity.)
     */
    repositoryId: string;
    /** The repository owner's (user or organization) numeric id, GitHub's `repository_owner_id` claim; pinned beside `repositoryId`. */
    repositoryOwnerId: string;
    /**
     * GitHub environment the pull-request preview job of this stack runs in (required reviewers). Empty:
     * the preview role trusts every same-repository pull_request job (fine for dev, never for prod).
     */
    previewEnvironment?: string;
    /** The S3 state backend's `bucket` or `bucket/prefix`: the only S3 objects the CI roles may touch. */
    stateLocation: string;
    /** Secrets Manager prefixes of this environment (`externalSecretsPrefixes`): the only secrets roles it creates may read. */
    secretPrefixes: string[];
    /** Application repositories that may push images, each to one ECR repository of this stack. */
    applications?: CiApplication[];
    /**
     * GitHub environment of the application repositories whose jobs push here (prod: `production`, the
     * reviewed promotion job). Empty: their pushes to main and `v*` release tags (dev).
     */
    applicationPushEnvironment?: string;
    /** GitHub environment of the application repositories whose jobs may pull images from here to promote them (dev: `production`); empty: no pull roles. */
    applicationPullEnvironment?: string;
    /**
     * ARN of the account's existing GitHub OIDC provider. An account holds one provider per URL, so when dev
     * and prod share an account, one stack creates it and the other passes its ARN here. Absent: create it.
     */
    oidcProviderArn?: pulumi.Input<string>;
    /**
     * IAM role ARNs outside GitHub (e.g. a Jenkins agent's instance role) that may assume both roles with
     * `sts:AssumeRole`. Only without `previewEnvironment`: such an agent builds branches and pull requests.
     */
    trustedRoleArns?: string[];
    /**
     * With `previewEnvironment` (a reviewed, prod-like stack), the only IAM roles outside GitHub the deploy and
     * preview roles trust: the instance role of a Jenkins agent that builds this job's `main` alone.
     */
    prodAgentRoleArns?: string[];
    /** Longest session of the deploy role, in seconds (3600-43200): a first `pulumi up` of a whole platform can outlast an hour. */
    deploySessionSeconds?: number;
    /**
     * The cluster access the stack config gives (`clusterAdminArns`, `clusterNamespaceAccess`): with CI's own
     * roles and the cluster's Karpenter node role, the only access entries the deploy role may create, each
     * only with its access policy and scope.
     */
    accessGrants?: AccessGrant[];
    /** The EKS cluster's name (`clusterName`): the deploy role creates launch templates only tagged for it. */
    clusterName: string;
    /** Route 53 hosted zones external-dns manages (`externalDnsZoneIds`): the only zones a role under the boundary may change records in. */
    hostedZoneIds?: string[];
    /** The stack's `ipFamily`: what the network and the VPC CNI's role need differs (DeployScope.ipFamily). */
    ipFamily: IpFamily;
    /** The stack's `computeMode`: Karpenter's node and controller roles, or Auto Mode's cluster and node roles (DeployScope.computeMode). */
    computeMode: ComputeMode;
    /** Account and partition for ARNs. */
    aws: AwsContext;
}

/** One principal's cluster access: the access policy and the scope it is associated with. */
export interface AccessGrant {
    /** IAM role or user ARN. */
    principalArn: pulumi.Input<string>;
    /** EKS access policy name, e.g. `AmazonEKSClusterAdminPolicy`. */
    policy: string;
    /** Namespaces the policy is limited to; absent: the whole cluster. */
    namespaces?: string[];
}

/** One application repository and the ECR repository (full name, prefix included) its pipeline pushes to. */
export interface CiApplication {
    /** GitHub `owner/name`. */
    repository: string;
    /** Its immutable numeric id (`repository_id`). */
    repositoryId: string;
    /** Its owner's immutable numeric id (`repository_owner_id`). */
    repositoryOwnerId: string;
    /** Full name (prefix included) of the ECR repository of this stack it may push to. */
    ecrRepository: string;
}

/**
 * The accepted form of each argument, as data: CiAccess checks its arguments with it, and the stack
 * config rules (stacks/config/ci.ts and stack.ts) are built from it, so both say the same thing.
 */
export const CI_ACCESS_FORMS = {
    repository: { pattern: /^[A-Za-z0-9-]{1,39}\/[A-Za-z0-9._-]{1,100}$/, form: "a GitHub repository `owner/name`" },
    environment: { pattern: /^[a-z][a-z0-9-]{1,15}$/, form: "lowercase letters, digits and '-', 2-16 characters, starting with a letter" },
    // Exact names only: `*` is not in the character set, so no wildcard can widen the trusted refs.
    branch: { pattern: /^[A-Za-z0-9._\/-]{1,255}$/, form: "an exact branch name, no wildcards" },
    githubEnvironment: { pattern: /^[A-Za-z0-9._\/-]{1,255}$/, form: "an exact GitHub environment name" },
    roleArn: { pattern: /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@\/-]+$/, form: "an IAM role ARN (never an account, a root or `*`)" },
    sessionSeconds: { min: 3600, max: 43200 },
    repositoryId: { pattern: /^[1-9]\d{0,19}$/, form: "the repository's numeric id (GitHub API `id`, the OIDC claim repository_id)" },
    ownerId: { pattern: /^[1-9]\d{0,19}$/, form: "the owner's numeric id (`gh api users/<owner> --jq .id`, the OIDC claim repository_owner_id)" },
    stateLocation: { pattern: /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/[\w.\/-]+)?$/, form: "an S3 bucket name, optionally followed by /<prefix>" },
    // `owner/name#owner id/repository id=ecr repository`: the ids pin owner and repository, the ECR name must be one of ecrRepositories.
    application: {
        pattern: /^([A-Za-z0-9-]{1,39}\/[A-Za-z0-9._-]{1,100})#([1-9]\d{0,19})\/([1-9]\d{0,19})=([a-z0-9][a-z0-9._\/-]*)$/,
        form: "`<owner>/<repo>#<owner id>/<repository id>=<ecr repository>` (ids: `gh api repos/<owner>/<repo> --jq '.owner.id, .id'`)",
    },
} as const;

/** The GitHub Actions OIDC issuer and the audience `aws-actions/configure-aws-credentials` asks for. */
export const GITHUB_OIDC = {
    url: "https://token.actions.githubusercontent.com",
    host: "token.actions.githubusercontent.com",
    audience: "sts.amazonaws.com",
} as const;

/** Role names are fixed, not auto-named: stack config (`clusterAdminArns`) and CI variables refer to them. */
export const ROLE_PREFIX = { deploy: "eks-platform-deploy-", preview: "eks-platform-preview-", app: "eks-platform-ecr-" } as const;

export const deployRoleName = (environment: string): string => `${ROLE_PREFIX.deploy}${environment}`;
export const previewRoleName = (environment: string): string => `${ROLE_PREFIX.preview}${environment}`;

/** The permissions boundary CiAccess creates; the deploy role may create roles only with it. */
export const boundaryPolicyName = (environment: string): string => `${ROLE_PREFIX.deploy}${environment}-boundary`;
/** The permissions boundary of the EC2 instance roles (nodes) the deploy role creates. */
export const nodeBoundaryPolicyName = (environment: string): string => `${ROLE_PREFIX.deploy}${environment}-node-boundary`;
/** An application's image role: `eks-platform-ecr-<push|pull>-<env>-<ecr repository, / as ->` (64 characters at most). */
export const appRoleName = (kind: "push" | "pull", environment: string, ecrRepository: string): string =>
    `${ROLE_PREFIX.app}${kind}-${environment}-${ecrRepository.replace(/\//g, "-")}`.slice(0, 64);

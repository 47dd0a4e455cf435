import * as pulumi from "@pulumi/pulumi";
import { arn } from "../shared/aws-context";
import { PolicyDocument, PolicyStatement } from "../shared/iam";
import { DeployScope } from "./deploy-policy";
import { scopedServiceStatements } from "./scoped-statements";

/** `bucket` and `prefix` of the state location (`bucket` or `bucket/prefix`). */
function stateParts(location: string): { bucket: string; prefix: string } {
    const [bucket, ...rest] = location.split("/");
    return { bucket, prefix: rest.join("/").replace(/\/+$/, "") };
}

/**
 * The state objects of this stack only (checkpoint, history, backups, locks) under the backend prefix; the
 * backend's `meta.yaml` read-only. Another stack's state is neither listed, read nor written.
 */
export function stateStatements(s: Pick<DeployScope, "aws" | "stateLocation" | "project" | "stack">, write: boolean): PolicyStatement[] {
    const { bucket, prefix } = stateParts(s.stateLocation);
    const root = `${prefix ? `${prefix}/` : ""}.pulumi`;
    const own = [
        `${root}/stacks/${s.project}/${s.stack}.json*`,
        `${root}/history/${s.project}/${s.stack}/*`,
        `${root}/backups/${s.project}/${s.stack}/*`,
        // The self-managed backend keeps locks under the fully qualified name `organization/<project>/<stack>`.
        `${root}/locks/organization/${s.project}/${s.stack}/*`,
    ];
    const objects = (keys: string[]) => keys.map((k) => pulumi.interpolate`arn:${s.aws.partition}:s3:::${bucket}/${k}`);
    return [
        {
            Sid: "ListStateObjects",
            Effect: "Allow",
            Action: "s3:ListBucket",
            Resource: pulumi.interpolate`arn:${s.aws.partition}:s3:::${bucket}`,
            Condition: { StringLike: { "s3:prefix": [...own, `${root}/meta.yaml`, `${root}/stacks/${s.project}/${s.stack}`] } },
        },
        { Sid: "ReadBackendVersion", Effect: "Allow", Action: "s3:GetObject", Resource: objects([`${root}/meta.yaml`]) },
        {
            Sid: write ? "ReadWriteThisStacksState" : "ReadThisStacksState",
            Effect: "Allow",
            Action: write ? ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"] : ["s3:GetObject"],
            Resource: objects(own),
        },
    ];
}

/**
 * Read-only calls a preview makes, the preflight's look-ups included (instance type offerings, ECR names,
 * EKS versions, configured roles and users, the GitHub provider, the account alias); no data-plane reads, no Secrets.
 */
const DESCRIBE_ACTIONS = [
    "ec2:Describe*", "eks:Describe*", "eks:List*", "iam:GetRole", "iam:GetRolePolicy", "iam:GetPolicy", "iam:GetPolicyVersion",
    "iam:GetInstanceProfile", "iam:GetOpenIDConnectProvider", "iam:ListRolePolicies", "iam:ListAttachedRolePolicies",
    "iam:ListOpenIDConnectProviders", "iam:ListRoleTags", "iam:ListRoles", "iam:ListUsers", "iam:ListAccountAliases", "kms:DescribeKey", "kms:GetKeyPolicy", "kms:GetKeyRotationStatus",
    "kms:ListAliases", "kms:ListResourceTags", "logs:DescribeLogGroups", "logs:ListTagsForResource", "sqs:GetQueueAttributes",
    "sqs:GetQueueUrl", "sqs:ListQueueTags", "ecr:DescribeRepositories", "ecr:GetLifecyclePolicy", "ecr:GetRepositoryPolicy",
    "ecr:ListTagsForResource", "ecr:DescribePullThroughCacheRules", "events:DescribeRule", "events:ListTargetsByRule", "events:ListTagsForResource",
];

/** The pull-through cache's Docker Hub credentials: the preflight checks the secret exists (never reads it). */
const dockerHubCredentials = (s: Pick<DeployScope, "aws">) => arn(s.aws, "secretsmanager", "secret:ecr-pullthroughcache/*");

/**
 * The public SSM parameters of EKS-optimized AMIs (launch templates, Karpenter node classes). AWS's public
 * parameters have no account in their ARN (a pattern with the caller's account never matches them); `*`
 * matches that form, and no account can create a parameter under `/aws/`, so nothing of the account matches.
 */
const amiParameters = (s: Pick<DeployScope, "aws">) => pulumi.interpolate`arn:${s.aws.partition}:ssm:${s.aws.region}:*:parameter/aws/service/eks/*`;

/**
 * The preview role's own policy: describe calls and the state objects; nothing else (no ReadOnlyAccess). The
 * drift check's `--refresh` reads every resource of the stack, so the role also reads the settings of the two
 * resources no describe call covers: Velero's backup bucket and the platform's web ACL, by name, read calls only
 * (tests/preview-coverage.test.ts asks the IAM engine each type's read calls, and that nothing writes).
 */
export function previewReadPolicy(s: Pick<DeployScope, "aws" | "stateLocation" | "project" | "stack" | "clusterName">): PolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [
            { Sid: "DescribePlatformResources", Effect: "Allow", Action: DESCRIBE_ACTIONS, Resource: "*" },
            { Sid: "ReadEksAmiParameters", Effect: "Allow", Action: ["ssm:GetParameter", "ssm:GetParameters"], Resource: amiParameters(s) },
            { Sid: "FindDockerHubCredentials", Effect: "Allow", Action: "secretsmanager:DescribeSecret", Resource: dockerHubCredentials(s) },
            { Sid: "ReadBackupBucketSettings", Effect: "Allow", Action: readsOf(BUCKET_ACTIONS), Resource: backupBucket(s) },
            { Sid: "ReadPlatformWebAcl", Effect: "Allow", Action: readsOf(WAF_ACTIONS), Resource: platformWebAcl(s) },
            ...stateStatements(s, false),
        ],
    };
}

/** The Get and List calls of an action list: what reading the resources those actions manage takes. */
const readsOf = (actions: string[]): string[] => actions.filter((a) => /^[a-z0-9-]+:(Get|List)/.test(a));
/** Velero's backup bucket only (auto-named `<cluster>-backups-<suffix>`); no other bucket. */
const backupBucket = (s: Pick<DeployScope, "aws" | "clusterName">) => pulumi.interpolate`arn:${s.aws.partition}:s3:::${s.clusterName}-backups-*`;
/** The shared ALB's web ACL (`<cluster>-platform-alb`). */
const platformWebAcl = (s: Pick<DeployScope, "aws" | "clusterName">) => arn(s.aws, "wafv2", `regional/webacl/${s.clusterName}-platform-alb/*`);

/**
 * Everything but IAM the deploy role does, per service, in place of PowerUserAccess. Derived from what the
 * program creates (VPC, EKS, logs, KMS, the interruption queue and rules, ECR, the backup bucket, the web
 * ACL); every write is scoped to this environment (scopedServiceStatements), the few AWS cannot scope are
 * named in UNSCOPABLE_ACTIONS. KMS key deletion and disabling are denied everywhere, and Secrets Manager is
 * never read outside this environment's prefixes.
 */
export function deployServicePolicy(s: DeployScope): PolicyDocument {
    const secretsOutside = s.secretPrefixes.map((p) => arn(s.aws, "secretsmanager", `secret:${p}/*`));
    const statements: PolicyStatement[] = [
        { Sid: "Describe", Effect: "Allow", Action: [...DESCRIBE_ACTIONS, "autoscaling:Describe*", "elasticloadbalancing:Describe*"], Resource: "*" },
        ...scopedServiceStatements(s),
        {
            // The Docker Hub pull-through cache rule: a registry setting, no resource ARN or tag (UNSCOPABLE_ACTIONS).
            Sid: "DockerHubPullThroughCache",
            Effect: "Allow",
            Action: ["ecr:CreatePullThroughCacheRule", "ecr:DeletePullThroughCacheRule", "ecr:UpdatePullThroughCacheRule", "ecr:DescribePullThroughCacheRules"],
            Resource: "*",
            Condition: { StringEquals: { "aws:RequestedRegion": s.aws.region } },
        },
        { Sid: "FindDockerHubCredentials", Effect: "Allow", Action: "secretsmanager:DescribeSecret", Resource: dockerHubCredentials(s) },
        { Sid: "ReadEksAmiParameters", Effect: "Allow", Action: ["ssm:GetParameter", "ssm:GetParameters"], Resource: amiParameters(s) },
        { Sid: "BackupBucket", Effect: "Allow", Action: BUCKET_ACTIONS, Resource: backupBucket(s) },
        {
            // The shared ALB's web ACL and the AWS managed rule groups it references.
            Sid: "PlatformWebAcl",
            Effect: "Allow",
            Action: WAF_ACTIONS,
            Resource: [platformWebAcl(s), arn(s.aws, "wafv2", "regional/managedruleset/*/*")],
        },
        {
            // WAF log delivery to CloudWatch Logs writes the log group's resource policy as the caller;
            // resource policies and deliveries take no resource ARN.
            Sid: "WafLogDelivery",
            Effect: "Allow",
            Action: ["logs:PutResourcePolicy", "logs:DescribeResourcePolicies", "logs:DeleteResourcePolicy", "logs:CreateLogDelivery", "logs:DeleteLogDelivery"],
            Resource: "*",
        },
        ...stateStatements(s, true),
        { Sid: "NeverDeleteOrDisableKeys", Effect: "Deny", Action: ["kms:ScheduleKeyDeletion", "kms:DisableKey"], Resource: "*" },
        {
            Sid: "NeverChangeOtherEnvironmentsKeyPolicies",
            Effect: "Deny",
            Action: ["kms:PutKeyPolicy", "kms:CreateGrant"],
            Resource: "*",
            Condition: { StringNotEquals: { "aws:ResourceTag/environment": s.environment } },
        },
        ...(secretsOutside.length > 0
            ? [{ Sid: "NeverReadOtherSecrets", Effect: "Deny" as const, Action: ["secretsmanager:GetSecretValue", "secretsmanager:BatchGetSecretValue"], NotResource: secretsOutside }]
            : [{ Sid: "NeverReadSecrets", Effect: "Deny" as const, Action: ["secretsmanager:GetSecretValue", "secretsmanager:BatchGetSecretValue"], Resource: "*" }]),
    ];
    return { Version: "2012-10-17", Statement: statements };
}

/** What Pulumi calls to create, read, update and delete an S3 bucket and its settings. */
const BUCKET_ACTIONS = [
    "s3:CreateBucket", "s3:DeleteBucket", "s3:ListBucket", "s3:GetBucketLocation", "s3:GetBucketTagging", "s3:PutBucketTagging",
    "s3:GetBucketPolicy", "s3:PutBucketPolicy", "s3:DeleteBucketPolicy", "s3:GetBucketVersioning", "s3:PutBucketVersioning",
    "s3:GetBucketOwnershipControls", "s3:PutBucketOwnershipControls", "s3:GetBucketPublicAccessBlock", "s3:PutBucketPublicAccessBlock",
    "s3:GetLifecycleConfiguration", "s3:PutLifecycleConfiguration", "s3:GetEncryptionConfiguration", "s3:PutEncryptionConfiguration",
    "s3:GetBucketAcl", "s3:GetBucketCORS", "s3:GetBucketWebsite", "s3:GetBucketLogging", "s3:GetAccelerateConfiguration",
    "s3:GetBucketRequestPayment", "s3:GetReplicationConfiguration", "s3:GetBucketObjectLockConfiguration",
];

/** What Pulumi calls for a regional web ACL and its logging configuration. */
const WAF_ACTIONS = [
    "wafv2:CreateWebACL", "wafv2:UpdateWebACL", "wafv2:DeleteWebACL", "wafv2:GetWebACL", "wafv2:ListTagsForResource", "wafv2:TagResource",
    "wafv2:UntagResource", "wafv2:PutLoggingConfiguration", "wafv2:GetLoggingConfiguration", "wafv2:DeleteLoggingConfiguration",
];

/** The tag that marks a policy as a permissions boundary (a ceiling the pack's grant checks skip). */
export const BOUNDARY_TAG = { "permissions-boundary": "true" } as const;

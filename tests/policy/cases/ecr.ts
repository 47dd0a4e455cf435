import { ACCOUNT, ecrPolicy, FixtureCase, lifecycle, PULL, repository } from "../../support/policy-builders";

/** Hand-built stacks the ECR policies must (or must not) report on. */
export const ecrCases: FixtureCase[] = [
    // ECR
    {
        policy: "ecr-scan-on-push",
        title: "a repository that never scans",
        resources: [repository("unscanned", { imageScanningConfiguration: { scanOnPush: false } })],
        expected: [["unscanned", "CKV_AWS_163: ECR repository unscanned does not scan images on push"]],
    },
    {
        policy: "ecr-immutable-tags",
        title: "named mutable tags in prod",
        environment: "prod",
        resources: [repository("app", { imageTagMutability: "IMMUTABLE_WITH_EXCLUSION", imageTagMutabilityExclusionFilters: [{ filter: "latest", filterType: "WILDCARD" }] })],
        expected: [["app", "CKV_AWS_51: ECR repository app has imageTagMutability IMMUTABLE_WITH_EXCLUSION; prod allows IMMUTABLE"]],
    },
    {
        policy: "ecr-immutable-tags",
        title: "mutable tags in dev, beside named mutable tags (allowed in dev)",
        resources: [
            repository("mutable", { imageTagMutability: "MUTABLE" }),
            repository("latest-mutable", { imageTagMutability: "IMMUTABLE_WITH_EXCLUSION", imageTagMutabilityExclusionFilters: [{ filter: "latest", filterType: "WILDCARD" }] }),
        ],
        expected: [["mutable", "CKV_AWS_51: ECR repository mutable has imageTagMutability MUTABLE; this stack allows IMMUTABLE or IMMUTABLE_WITH_EXCLUSION"]],
    },
    {
        policy: "ecr-kms-encryption",
        title: "a repository on AES256",
        resources: [repository("aes", { encryptionConfigurations: [{ encryptionType: "AES256" }] })],
        expected: [["aes", "CKV_AWS_136: ECR repository aes has encryptionType AES256; it must be KMS"]],
    },
    {
        policy: "ecr-not-public",
        title: "a public repository of the stack, a public policy on another repository and a public registry policy",
        resources: [
            repository("app"),
            ecrPolicy("repositoryPolicy:RepositoryPolicy", "app-public", { repository: "app" }, { Sid: "PublicPull", Effect: "Allow", Principal: "*", Action: PULL }),
            ecrPolicy("repositoryPolicy:RepositoryPolicy", "elsewhere", { repository: "other-team/base" }, { Effect: "Allow", Principal: { AWS: "*" }, Action: "ecr:*" }),
            ecrPolicy("registryPolicy:RegistryPolicy", "registry", {}, { Sid: "Replicate", Effect: "Allow", Principal: "*", Action: ["ecr:ReplicateImage"], Resource: "*" }),
        ],
        expected: [
            ["app", 'CKV_AWS_32: ECR repository app policy (RepositoryPolicy app-public) statement "PublicPull" allows principal "*" without a condition (public pull/push)'],
            ["elsewhere", 'CKV_AWS_32: ECR repository policy elsewhere (repository other-team/base) statement #1 allows principal "*" without a condition (public pull/push)'],
            ["registry", 'CKV_AWS_32: ECR registry policy registry statement "Replicate" allows principal "*" without a condition (public pull/push)'],
        ],
    },
    {
        policy: "ecr-not-public",
        title: "pulls by a named role and by anyone in the organisation",
        resources: [
            repository("app"),
            ecrPolicy(
                "repositoryPolicy:RepositoryPolicy",
                "app-pull",
                { repository: "app" },
                { Effect: "Allow", Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/ci` }, Action: PULL },
                { Effect: "Allow", Principal: "*", Action: PULL, Condition: { StringEquals: { "aws:PrincipalOrgID": "o-abc123" } } },
            ),
        ],
        expected: [],
    },
    {
        policy: "ecr-lifecycle-policy",
        title: "repositories without a lifecycle policy, with one naming the logical name, and with one without rules",
        resources: [
            repository("kept"),
            lifecycle("kept-lifecycle", "kept"),
            repository("forgotten"),
            repository("team-api", { name: "team/api" }),
            lifecycle("team-api-lifecycle", "team-api"),
            repository("empty"),
            lifecycle("empty-lifecycle", "empty", []),
        ],
        expected: [
            ["forgotten", "BP image: ECR repository forgotten has no lifecycle policy (no LifecyclePolicy with repository forgotten)"],
            ["team-api", "BP image: ECR repository team-api has no lifecycle policy (no LifecyclePolicy with repository team/api)"],
            ["empty", "BP image: ECR repository empty has a lifecycle policy without rules (LifecyclePolicy empty-lifecycle)"],
        ],
    },
];

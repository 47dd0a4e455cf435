import { FixtureCase, role } from "../../support/policy-builders";
import { aws, doc } from "../../support/policy-fixtures";

const ROLES = "arn:aws:iam::111122223333:role/*";
const BOUNDARY = "arn:aws:iam::111122223333:policy/eks-platform-deploy-dev-boundary";
const GITHUB = "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com";
const managed = (name: string, ...statements: Record<string, unknown>[]) => aws("aws:iam/policy:Policy", name, { policy: doc(...statements) });
const githubTrust = (condition: Record<string, unknown>) =>
    doc({ Sid: "GitHubActions", Effect: "Allow", Principal: { Federated: GITHUB }, Action: "sts:AssumeRoleWithWebIdentity", Condition: { StringEquals: condition } });
const pins = {
    "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
    "token.actions.githubusercontent.com:sub": "repo:octo-platform/eks-platform:ref:refs/heads/main",
};

/** The escalation paths of the CI review, each as the statement that opened it, beside its closed form. */
export const ciAccessCases: FixtureCase[] = [
    {
        policy: "ci-iam-resource-tag-scoping",
        title: "tagging and taking over roles checked only on the request's tags (the prod deploy role's old CreateTagged… statement)",
        resources: [
            managed(
                "retag",
                { Sid: "CreateTagged", Effect: "Allow", Action: ["iam:CreateRole", "iam:TagRole"], Resource: ROLES, Condition: { StringEquals: { "aws:RequestTag/environment": "prod" } } },
                { Sid: "Owned", Effect: "Allow", Action: ["iam:TagRole", "iam:UpdateAssumeRolePolicy"], Resource: ROLES, Condition: { StringEquals: { "aws:ResourceTag/environment": "prod" } } },
            ),
            managed("iam-glob", { Sid: "AllRoles", Effect: "Allow", Action: "iam:*Role*", Resource: ROLES }),
        ],
        expected: [
            ["retag", 'BP ci: Policy retag.policy statement "CreateTagged" allows iam:TagRole without an aws:ResourceTag condition'],
            [
                "iam-glob",
                'BP ci: Policy iam-glob.policy statement "AllRoles" allows iam:TagRole, iam:UntagRole, iam:UpdateAssumeRolePolicy, iam:PutRolePolicy, iam:DeleteRolePolicy, iam:AttachRolePolicy, iam:DetachRolePolicy, iam:PutRolePermissionsBoundary without an aws:ResourceTag condition',
            ],
        ],
    },
    {
        policy: "ci-create-role-boundary",
        title: "creating roles without (and with) a permissions boundary condition",
        resources: [
            managed("unbounded", { Sid: "Create", Effect: "Allow", Action: ["iam:CreateRole", "iam:CreatePolicy"], Resource: ROLES, Condition: { StringEquals: { "aws:RequestTag/environment": "dev" } } }),
            managed("bounded", { Sid: "Create", Effect: "Allow", Action: "iam:CreateRole", Resource: ROLES, Condition: { StringEquals: { "iam:PermissionsBoundary": BOUNDARY } } }),
        ],
        expected: [["unbounded", 'BP ci: Policy unbounded.policy statement "Create" allows iam:CreateRole without an iam:PermissionsBoundary condition']],
    },
    {
        policy: "ci-pass-role-scoping",
        title: "passing every role, to any service; one named role is fine",
        resources: [
            managed("pass-any", { Sid: "Pass", Effect: "Allow", Action: "iam:PassRole", Resource: ROLES }),
            managed("pass-star", { Sid: "Pass", Effect: "Allow", Action: "iam:Pass*", Resource: "*" }),
            managed("pass-scoped", { Sid: "Pass", Effect: "Allow", Action: "iam:PassRole", Resource: ROLES, Condition: { StringEquals: { "iam:PassedToService": "eks.amazonaws.com" } } }),
            managed("pass-one", { Sid: "Pass", Effect: "Allow", Action: "iam:PassRole", Resource: "arn:aws:iam::111122223333:role/node" }),
        ],
        expected: [
            ["pass-any", 'BP ci: Policy pass-any.policy statement "Pass" allows iam:PassRole on every role without an iam:PassedToService condition'],
            ["pass-star", 'BP ci: Policy pass-star.policy statement "Pass" allows iam:PassRole on every role without an iam:PassedToService condition'],
        ],
    },
    {
        policy: "ci-github-trust-pins",
        title: "GitHub trusts pinned by sub alone, by a wildcard sub, and fully",
        resources: [
            role("sub-only", githubTrust(pins)),
            role("any-repo-id", githubTrust({ ...pins, "token.actions.githubusercontent.com:repository_id": "*" })),
            role("pinned", githubTrust({ ...pins, "token.actions.githubusercontent.com:repository_id": "691237045" })),
            role("owner-pinned", githubTrust({ ...pins, "token.actions.githubusercontent.com:repository_owner_id": "148930217" })),
        ],
        expected: [
            ["sub-only", 'BP ci: role sub-only trust statement "GitHubActions" trusts GitHub Actions without pinning repository_owner_id or repository_id'],
            ["any-repo-id", 'BP ci: role any-repo-id trust statement "GitHubActions" trusts GitHub Actions without pinning repository_owner_id or repository_id'],
        ],
    },
];

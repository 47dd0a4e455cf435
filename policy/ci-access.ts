import { Issue, SecurityCheck, ofTypes } from "./check";
import {
    IDENTITY_POLICY_HOLDERS, Statement, conditionTests, grants, identityDocumentsOf, isAllow, parseDocument, principalsOf, restricts, statementLabel,
} from "./documents";
import { list } from "./values";

const ROLE = "aws:iam/role:Role";
const CHECK = "BP ci";
const issue = (message: string): Issue => ({ check: CHECK, message });
const where = (r: { type: string; name: string }, field: string, s: Statement, i: number) => `${r.type.split(":").pop()} ${r.name}.${field} ${statementLabel(s, i)}`;

/** Every statement of every identity policy in the resource, labelled. */
function identityStatements(r: { type: string; name: string; props: Record<string, unknown> }): [Statement, string][] {
    return identityDocumentsOf(r.type, r.props).flatMap(({ field, document }) =>
        document.ok ? document.statements.map((s, i): [Statement, string] => [s, where(r, field, s, i)]) : [],
    );
}

/**
 * IAM writes on existing roles and policies that can hand out power: tagging one (which makes it match
 * a tag-scoped statement), changing its trust, its policies or its boundary, or publishing a new version.
 */
const ROLE_AND_POLICY_WRITES = [
    "iam:TagRole", "iam:UntagRole", "iam:TagPolicy", "iam:UntagPolicy", "iam:UpdateAssumeRolePolicy", "iam:PutRolePolicy",
    "iam:DeleteRolePolicy", "iam:AttachRolePolicy", "iam:DetachRolePolicy", "iam:PutRolePermissionsBoundary",
    "iam:CreatePolicyVersion", "iam:SetDefaultPolicyVersion",
];

const requiresResourceTag = (s: Statement) => conditionTests(s).some((t) => t.key.startsWith("aws:resourcetag/") && restricts(t));

export const ciIamTagScoping: SecurityCheck = {
    name: "ci-iam-resource-tag-scoping",
    checks: [CHECK],
    description:
        "An identity policy that lets a principal tag, untag or change existing IAM roles or policies (trust, inline/attached policies, boundary, policy versions) requires the resource to carry a tag already (an aws:ResourceTag condition): aws:RequestTag alone lets it retag another environment's role as its own and then take it.",
    appliesTo: ofTypes(...IDENTITY_POLICY_HOLDERS),
    inspect: (r) =>
        identityStatements(r).flatMap(([s, label]) => {
            const actions = ROLE_AND_POLICY_WRITES.filter((a) => grants(s, a));
            return actions.length > 0 && !requiresResourceTag(s) ? [issue(`${label} allows ${actions.join(", ")} without an aws:ResourceTag condition`)] : [];
        }),
};

export const ciCreateRoleBoundary: SecurityCheck = {
    name: "ci-create-role-boundary",
    checks: [CHECK],
    description:
        "An identity policy allows iam:CreateRole only with an iam:PermissionsBoundary condition naming the boundary: a principal that may create roles without one can create a role stronger than itself.",
    appliesTo: ofTypes(...IDENTITY_POLICY_HOLDERS),
    inspect: (r) =>
        identityStatements(r).flatMap(([s, label]) =>
            grants(s, "iam:CreateRole") && !conditionTests(s).some((t) => t.key === "iam:permissionsboundary" && restricts(t))
                ? [issue(`${label} allows iam:CreateRole without an iam:PermissionsBoundary condition`)]
                : [],
        ),
};

/** `*` or every role of an account (`arn:…:role/*`). */
const everyRole = (resource: string) => resource === "*" || /:role\/\*$/.test(resource);

export const ciPassRoleScoping: SecurityCheck = {
    name: "ci-pass-role-scoping",
    checks: [CHECK],
    description:
        "An identity policy allows iam:PassRole on `*` or `role/*` only with an iam:PassedToService condition naming the services: otherwise it can hand any role of the account, an administrator's included, to a service it controls.",
    appliesTo: ofTypes(...IDENTITY_POLICY_HOLDERS),
    inspect: (r) =>
        identityStatements(r).flatMap(([s, label]) => {
            if (!grants(s, "iam:PassRole")) return [];
            const broad = s.NotResource !== undefined || list(s.Resource).map(String).some(everyRole);
            const named = conditionTests(s).some((t) => t.key === "iam:passedtoservice" && restricts(t));
            return broad && !named ? [issue(`${label} allows iam:PassRole on every role without an iam:PassedToService condition`)] : [];
        }),
};

const GITHUB_HOST = "token.actions.githubusercontent.com";
/** Claims a GitHub trust must pin exactly, and the immutable ids of which it must pin one (STS exposes both as condition keys). */
const GITHUB_PINS = ["aud", "sub"];
const GITHUB_IDS = ["repository_owner_id", "repository_id"];

export const ciGithubTrust: SecurityCheck = {
    name: "ci-github-trust-pins",
    checks: [CHECK],
    description:
        "A role trusting GitHub Actions' OIDC provider pins aud, sub and an immutable id, repository_owner_id or repository_id (restricting conditions on token.actions.githubusercontent.com:<claim>), so an owner or repository name taken over by someone else gets nothing.",
    appliesTo: ofTypes(ROLE),
    inspect: (r) => {
        const document = parseDocument(r.props.assumeRolePolicy);
        if (!document?.ok) return [];
        return document.statements.flatMap((s, i): Issue[] => {
            if (!isAllow(s) || !principalsOf(s.Principal).federated.some((f) => f.endsWith(`oidc-provider/${GITHUB_HOST}`))) return [];
            const pinned = (claim: string) => conditionTests(s).some((t) => t.key === `${GITHUB_HOST}:${claim}` && restricts(t));
            const missing = [...GITHUB_PINS.filter((claim) => !pinned(claim)), ...(GITHUB_IDS.some(pinned) ? [] : [GITHUB_IDS.join(" or ")])];
            return missing.length > 0 ? [issue(`role ${r.name} trust ${statementLabel(s, i)} trusts GitHub Actions without pinning ${missing.join(", ")}`)] : [];
        });
    },
};

export const ciAccessChecks: SecurityCheck[] = [ciIamTagScoping, ciCreateRoleBoundary, ciPassRoleScoping, ciGithubTrust];

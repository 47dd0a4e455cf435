import { Issue, SecurityCheck, ofTypes } from "./check";
import { DOCUMENT_FIELDS, Statement, actionsOf, conditionKeys, documentsOf, isAllow, parseDocument, principalsOf, statementLabel } from "./documents";
import { list } from "./values";

const ROLE = "aws:iam/role:Role";
const ATTACHMENTS = [
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
    "aws:iam/policyAttachment:PolicyAttachment",
    "aws:iam/userPolicyAttachment:UserPolicyAttachment",
    "aws:iam/groupPolicyAttachment:GroupPolicyAttachment",
];
const POD_IDENTITY_SERVICE = "pods.eks.amazonaws.com";
const POD_IDENTITY_ACTIONS = ["sts:assumerole", "sts:tagsession"];

const isAdministratorAccess = (arn: unknown) => typeof arn === "string" && /:policy\/AdministratorAccess$/.test(arn);
const where = (r: { type: string; name: string }) => `${r.type.split(":").pop()} ${r.name}`;

function statementIssues(s: Statement, label: string): Issue[] {
    const issues: Issue[] = [];
    if (s.NotAction !== undefined) issues.push({ check: "CKV_AWS_63", message: `${label} uses NotAction (it grants or denies everything not listed)` });
    if (!isAllow(s)) return issues;
    const actions = actionsOf(s);
    if (actions.some((a) => a === "*" || a === "*:*")) {
        const fullAdmin = list(s.Resource).includes("*");
        issues.push(
            fullAdmin
                ? { check: "CKV_AWS_62", message: `${label} allows Action "*" on Resource "*" (full administrator)` }
                : { check: "CKV_AWS_63", message: `${label} allows Action "*"` },
        );
    }
    if (actions.includes("iam:*")) issues.push({ check: "CKV2_AWS_40", message: `${label} allows iam:* (full IAM)` });
    return issues;
}

export const iamNoAdminActions: SecurityCheck = {
    name: "iam-no-admin-actions",
    checks: ["CKV_AWS_62", "CKV_AWS_63", "CKV_AWS_274", "CKV2_AWS_40"],
    description:
        "No policy document (identity, inline, trust, key, queue, bucket, repository) allows Action \"*\" (CKV_AWS_63; on Resource \"*\" CKV_AWS_62) or iam:* (CKV2_AWS_40) or uses NotAction (CKV_AWS_63), and nothing attaches AdministratorAccess (CKV_AWS_274).",
    appliesTo: (type) => type in DOCUMENT_FIELDS || ATTACHMENTS.includes(type),
    inspect: (r) => {
        const issues: Issue[] = [];
        for (const { field, document } of documentsOf(r.type, r.props)) {
            if (!document.ok) {
                issues.push({ check: "CKV_AWS_63", message: `${where(r)}.${field} is ${document.reason}, so its actions cannot be verified` });
                continue;
            }
            document.statements.forEach((s, i) => issues.push(...statementIssues(s, `${where(r)}.${field} ${statementLabel(s, i)}`)));
        }
        const attached = ATTACHMENTS.includes(r.type) ? [r.props.policyArn] : r.type === ROLE ? list(r.props.managedPolicyArns as string[] | undefined) : [];
        if (attached.some(isAdministratorAccess)) issues.push({ check: "CKV_AWS_274", message: `${where(r)} attaches AdministratorAccess` });
        return issues;
    },
};

export const iamRoleTrust: SecurityCheck = {
    name: "iam-role-trust",
    checks: ["CKV_AWS_60", "CKV_AWS_61"],
    description:
        "Role trust policies name who may assume the role: never principal \"*\" or a NotPrincipal allow (CKV_AWS_60), never a bare account id or an account's :root (CKV_AWS_61).",
    appliesTo: ofTypes(ROLE),
    inspect: (r) => {
        const document = parseDocument(r.props.assumeRolePolicy);
        if (!document || !document.ok) {
            return [{ check: "CKV_AWS_60", message: `role ${r.name} trust policy is ${document ? document.reason : "missing"}, so who may assume it cannot be verified` }];
        }
        return document.statements.flatMap((s, i): Issue[] => {
            if (!isAllow(s)) return [];
            const label = `role ${r.name} trust ${statementLabel(s, i)}`;
            const principals = principalsOf(s.Principal);
            const issues: Issue[] = [];
            if (principals.anyone || s.NotPrincipal !== undefined) issues.push({ check: "CKV_AWS_60", message: `${label} lets any principal assume the role` });
            const accounts = principals.aws.filter((a) => /^\d{12}$/.test(a) || /^arn:aws[a-z-]*:iam::\d{12}:root$/.test(a));
            if (accounts.length > 0) issues.push({ check: "CKV_AWS_61", message: `${label} trusts whole accounts: ${accounts.join(", ")}` });
            return issues;
        });
    },
};

/** Names pods.eks.amazonaws.com anywhere in its trust: then it is a Pod Identity role and nothing else. */
function isPodIdentityTrust(statements: Statement[]): boolean {
    return statements.some((s) => principalsOf(s.Principal).service.includes(POD_IDENTITY_SERVICE));
}

export const iamPodIdentityTrust: SecurityCheck = {
    name: "iam-pod-identity-trust",
    checks: ["BP pod identity"],
    description:
        "A role whose trust names pods.eks.amazonaws.com trusts only that service, for exactly sts:AssumeRole and sts:TagSession, conditioned on aws:SourceAccount.",
    appliesTo: ofTypes(ROLE),
    inspect: (r) => {
        const document = parseDocument(r.props.assumeRolePolicy);
        if (!document?.ok || !isPodIdentityTrust(document.statements)) return [];
        return document.statements.flatMap((s, i): Issue[] => {
            if (!isAllow(s)) return [];
            const label = `Pod Identity role ${r.name} trust ${statementLabel(s, i)}`;
            const p = principalsOf(s.Principal);
            const issues: Issue[] = [];
            const others = [...(p.anyone ? ["*"] : []), ...p.aws, ...p.federated, ...p.service.filter((x) => x !== POD_IDENTITY_SERVICE)];
            if (others.length > 0 || !p.service.includes(POD_IDENTITY_SERVICE)) {
                issues.push({ check: "BP pod identity", message: `${label} must trust only ${POD_IDENTITY_SERVICE}${others.length ? `, not ${others.join(", ")}` : ""}` });
            }
            if ([...new Set(actionsOf(s))].sort().join(",") !== POD_IDENTITY_ACTIONS.join(",")) {
                const shown = list(s.Action).join(", ") || "no action";
                issues.push({ check: "BP pod identity", message: `${label} allows ${shown}; it must allow exactly sts:AssumeRole and sts:TagSession` });
            }
            if (!conditionKeys(s).includes("aws:sourceaccount")) {
                issues.push({ check: "BP pod identity", message: `${label} has no aws:SourceAccount condition` });
            }
            return issues;
        });
    },
};

export const iamChecks: SecurityCheck[] = [iamNoAdminActions, iamRoleTrust, iamPodIdentityTrust];

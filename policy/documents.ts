import { isRecord, list, parseJson } from "./values";

/** An IAM-style policy statement (identity, trust, key, queue policies share the grammar). */
export interface Statement {
    Sid?: string;
    Effect?: string;
    Principal?: Principal;
    NotPrincipal?: Principal;
    Action?: string | string[];
    NotAction?: string | string[];
    Resource?: string | string[];
    NotResource?: string | string[];
    Condition?: Record<string, Record<string, unknown>>;
}

export type Principal = "*" | { AWS?: string | string[]; Service?: string | string[]; Federated?: string | string[]; CanonicalUser?: string | string[] };

export type ParsedDocument = { ok: true; statements: Statement[] } | { ok: false; reason: string };

/** A policy document from JSON text or an object; `undefined` when the field is absent or empty. */
export function parseDocument(value: unknown): ParsedDocument | undefined {
    if (value === undefined || value === null || value === "") return undefined;
    const parsed = parseJson(value);
    if (!parsed.ok) return parsed;
    if (!isRecord(parsed.value)) return { ok: false, reason: "not a JSON object" };
    return { ok: true, statements: list(parsed.value.Statement as Statement | Statement[] | undefined) };
}

/** How a statement is named in messages: its Sid, else its position. */
export function statementLabel(s: Statement, index: number): string {
    return s.Sid ? `statement "${s.Sid}"` : `statement #${index + 1}`;
}

export interface Principals {
    /** `"*"` or `{ AWS: "*" }`: anyone. */
    anyone: boolean;
    aws: string[];
    service: string[];
    federated: string[];
}

export function principalsOf(p: Principal | undefined): Principals {
    if (p === undefined) return { anyone: false, aws: [], service: [], federated: [] };
    if (p === "*") return { anyone: true, aws: [], service: [], federated: [] };
    const aws = list(p.AWS).map(String);
    return {
        anyone: aws.includes("*"),
        aws: aws.filter((a) => a !== "*"),
        service: list(p.Service).map(String),
        federated: list(p.Federated).map(String),
    };
}

/** Actions in lower case (IAM action names are case-insensitive). */
export function actionsOf(s: Statement): string[] {
    return list(s.Action).map((a) => String(a).toLowerCase());
}

export const isAllow = (s: Statement): boolean => s.Effect === "Allow";

/** A statement with a non-empty Condition block. */
export function hasCondition(s: Statement): boolean {
    return isRecord(s.Condition) && Object.keys(s.Condition).length > 0;
}

/** Every key the statement's Condition tests, in lower case (IAM reads condition keys case-insensitively). */
export function conditionKeys(s: Statement): string[] {
    if (!isRecord(s.Condition)) return [];
    return Object.values(s.Condition).flatMap((block) => (isRecord(block) ? Object.keys(block).map((k) => k.toLowerCase()) : []));
}

/** Resource types and the fields that hold a policy document. */
export const DOCUMENT_FIELDS: Record<string, string[]> = {
    "aws:iam/policy:Policy": ["policy"],
    "aws:iam/rolePolicy:RolePolicy": ["policy"],
    "aws:iam/userPolicy:UserPolicy": ["policy"],
    "aws:iam/groupPolicy:GroupPolicy": ["policy"],
    "aws:iam/role:Role": ["assumeRolePolicy"],
    "aws:kms/key:Key": ["policy"],
    "aws:sqs/queuePolicy:QueuePolicy": ["policy"],
    "aws:sns/topicPolicy:TopicPolicy": ["policy"],
    "aws:s3/bucketPolicy:BucketPolicy": ["policy"],
    "aws:ecr/repositoryPolicy:RepositoryPolicy": ["policy"],
    "aws:secretsmanager/secretPolicy:SecretPolicy": ["policy"],
};

/** Every policy document a resource holds, by field (a role's inline policies included). */
export function documentsOf(type: string, props: Record<string, unknown>): { field: string; document: ParsedDocument }[] {
    const found: { field: string; document: ParsedDocument }[] = [];
    for (const field of DOCUMENT_FIELDS[type] ?? []) {
        const document = parseDocument(props[field]);
        if (document) found.push({ field, document });
    }
    if (type === "aws:iam/role:Role") {
        list(props.inlinePolicies as { name?: string; policy?: unknown }[] | undefined).forEach((inline, i) => {
            const document = parseDocument(inline?.policy);
            if (document) found.push({ field: `inlinePolicies[${inline?.name ?? i}]`, document });
        });
    }
    return found;
}

/** Identity-policy resource types (what a principal may do), as opposed to trust and resource policies. */
const IDENTITY_POLICY_TYPES = ["aws:iam/policy:Policy", "aws:iam/rolePolicy:RolePolicy", "aws:iam/userPolicy:UserPolicy", "aws:iam/groupPolicy:GroupPolicy"];

/** Resource types that can hold an identity policy (a role through its `inlinePolicies`). */
export const IDENTITY_POLICY_HOLDERS = [...IDENTITY_POLICY_TYPES, "aws:iam/role:Role"];

/** Every identity policy a resource holds: managed and inline policy documents, a role's `inlinePolicies`; never a trust policy. */
export function identityDocumentsOf(type: string, props: Record<string, unknown>): { field: string; document: ParsedDocument }[] {
    // A permissions boundary (tagged so by CiAccess) is a ceiling, not a grant: grant-scoping checks skip it.
    if (isPermissionsBoundary(type, props)) return [];
    if (type === "aws:iam/role:Role") return documentsOf(type, props).filter((d) => d.field.startsWith("inlinePolicies"));
    return IDENTITY_POLICY_TYPES.includes(type) ? documentsOf(type, props) : [];
}

/** A managed policy CiAccess created as a permissions boundary (tag `permissions-boundary: "true"`). */
export function isPermissionsBoundary(type: string, props: Record<string, unknown>): boolean {
    return type === "aws:iam/policy:Policy" && (props.tags as Record<string, unknown> | undefined)?.["permissions-boundary"] === "true";
}

/** Whether an IAM wildcard pattern (`*`, `?`) matches `value`, case-insensitively (for actions and ARNs alike). */
export function globMatches(pattern: string, value: string): boolean {
    const regex = pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".");
    return new RegExp(`^${regex}$`, "i").test(value);
}

/**
 * Whether an Allow statement grants `action` (e.g. `iam:PassRole`): one of its actions matches it,
 * wildcards included (`iam:*`, `*`), or it uses NotAction without listing it.
 */
export function grants(s: Statement, action: string): boolean {
    if (!isAllow(s)) return false;
    if (s.Action !== undefined) return list(s.Action).some((a) => globMatches(String(a), action));
    if (s.NotAction !== undefined) return !list(s.NotAction).some((a) => globMatches(String(a), action));
    return false;
}

/** One test of a statement's Condition block: operator and key in lower case, values as text. */
export interface ConditionTest {
    operator: string;
    key: string;
    values: string[];
}

export function conditionTests(s: Statement): ConditionTest[] {
    if (!isRecord(s.Condition)) return [];
    return Object.entries(s.Condition).flatMap(([operator, block]) =>
        isRecord(block) ? Object.entries(block).map(([key, v]) => ({ operator: operator.toLowerCase(), key: key.toLowerCase(), values: list(v as unknown).map(String) })) : [],
    );
}

/**
 * Operators that restrict a request to the listed values: a request without the key, or with
 * another value, is refused. `…IfExists` (allows requests without the key) and negated operators
 * (`StringNotEquals`) do not.
 */
const RESTRICTING_OPERATORS = ["stringequals", "stringlike", "stringequalsignorecase", "arnequals", "arnlike"];

/**
 * Whether the condition test requires its key to hold one of its values: a restricting operator
 * with values, none of them a bare `*`. With `presenceIsEnough`, requiring the key to be present
 * at all also counts (`Null: false`, or a restricting operator with `*`).
 */
export function restricts(test: ConditionTest, presenceIsEnough = false): boolean {
    if (RESTRICTING_OPERATORS.includes(test.operator)) return test.values.length > 0 && (presenceIsEnough || !test.values.includes("*"));
    return presenceIsEnough && test.operator === "null" && test.values.length > 0 && test.values.every((v) => v === "false");
}

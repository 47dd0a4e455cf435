import { StackGraph } from "../../tooling/offline/harness";

/** Policy documents compared by meaning: single values and one-element lists alike, list order ignored. */
export function normalizePolicy(doc: any): any {
    const statements = (Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement]).map(normalizeStatement);
    return statements.sort((a: any, b: any) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
}

function normalizeStatement(s: any): any {
    const out: any = {};
    for (const [k, v] of Object.entries(s)) out[k] = k === "Sid" || k === "Effect" ? v : normalizeValue(v);
    return out;
}

function normalizeValue(v: any): any {
    if (Array.isArray(v)) return v.map(normalizeValue).sort();
    if (v !== null && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, normalizeValue(x)]));
    return [String(v)];
}

/** Every action a policy allows. */
export function allowedActions(doc: any): string[] {
    const statements = Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement];
    return [...new Set(statements.filter((s: any) => s.Effect === "Allow").flatMap((s: any) => [].concat(s.Action)))].sort() as string[];
}

/** Every IAM-style policy document in a graph (roles' trust, role and managed policies, key and queue policies), with where it came from. */
export function policyDocuments(g: StackGraph): { where: string; doc: any }[] {
    const fields: Record<string, string[]> = {
        "aws:iam/role:Role": ["assumeRolePolicy"],
        "aws:iam/rolePolicy:RolePolicy": ["policy"],
        "aws:iam/policy:Policy": ["policy"],
        "aws:kms/key:Key": ["policy"],
        "aws:sqs/queuePolicy:QueuePolicy": ["policy"],
    };
    const parsed = (x: unknown) => (typeof x === "string" ? JSON.parse(x) : x);
    return g.resources.flatMap((r) => (fields[r.type] ?? []).filter((f) => r.inputs[f]).map((f) => ({ where: `${r.type} ${r.name}.${f}`, doc: parsed(r.inputs[f]) })));
}

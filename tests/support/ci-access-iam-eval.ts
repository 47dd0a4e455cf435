/**
 * A small IAM evaluator for the questions the CI tests ask ("may the dev deploy role tag a prod role as
 * dev?"): explicit Deny wins, then any Allow, else an implicit deny. Understands Action/NotAction,
 * Resource/NotResource with `*`/`?` wildcards, and the condition operators CiAccess writes
 * (String/Arn Equals/Like and their Not forms, IfExists, ForAllValues:/ForAnyValue:, Bool, Null).
 * Anything else throws, so a policy it cannot judge never passes silently.
 */

export type Decision = "allow" | "deny" | "implicit";

export interface Request {
    action: string;
    resource: string;
    /** Condition keys present in the request: single values or lists (for multivalued keys such as aws:TagKeys). */
    context?: Record<string, string | string[] | undefined>;
}

const list = <T>(x: T | T[] | undefined): T[] => (x === undefined ? [] : Array.isArray(x) ? x : [x]);

/** IAM glob: `*` any run, `?` one character; case-sensitive unless `ci`. */
export function globMatch(pattern: string, value: string, ci = false): boolean {
    const re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".")}$`, ci ? "i" : "");
    return re.test(value);
}

/** Context keys are case-insensitive; a tag key in `aws:ResourceTag/<key>` too, for our purposes. */
function lookup(context: Request["context"], key: string): string[] | undefined {
    const hit = Object.entries(context ?? {}).find(([k]) => k.toLowerCase() === key.toLowerCase());
    return hit && hit[1] !== undefined ? list(hit[1]) : undefined;
}

function compare(base: string, expected: string, actual: string): boolean {
    switch (base) {
        case "StringEquals":
        case "ArnEquals":
            return expected === actual;
        case "StringEqualsIgnoreCase":
            return expected.toLowerCase() === actual.toLowerCase();
        case "StringLike":
        case "ArnLike":
            return globMatch(expected, actual);
        case "Bool":
            return expected.toLowerCase() === actual.toLowerCase();
        default:
            throw new Error(`condition operator ${base} is not understood by this evaluator`);
    }
}

/** Whether one operator block (`{ key: values }`) holds for the request. */
function operatorHolds(operator: string, tests: Record<string, unknown>, context: Request["context"]): boolean {
    const [qualifier, rawBase] = operator.includes(":") ? operator.split(":") : [undefined, operator];
    const ifExists = rawBase.endsWith("IfExists");
    const base0 = ifExists ? rawBase.slice(0, -"IfExists".length) : rawBase;
    return Object.entries(tests).every(([key, raw]) => {
        const expected = list(raw as string | string[]).map(String);
        const actual = lookup(context, key);
        if (base0 === "Null") return expected[0] === "true" ? actual === undefined : actual !== undefined;
        const negated = /^(String|Arn)Not/.test(base0);
        const base = base0.replace("Not", "");
        if (qualifier === "ForAllValues") return (actual ?? []).every((a) => expected.some((e) => compare(base, e, a)));
        if (qualifier === "ForAnyValue") return (actual ?? []).some((a) => expected.some((e) => compare(base, e, a)));
        if (qualifier !== undefined) throw new Error(`condition qualifier ${qualifier} is not understood`);
        if (actual === undefined) return ifExists || negated;
        const matched = actual.some((a) => expected.some((e) => compare(base, e, a)));
        return negated ? !matched : matched;
    });
}

function statementApplies(s: any, r: Request): boolean {
    const actionHit = (patterns: unknown) => list(patterns as string[]).some((p) => globMatch(p, r.action, true));
    const resourceHit = (patterns: unknown) => list(patterns as string[]).some((p) => globMatch(p, r.resource));
    if (s.Action !== undefined ? !actionHit(s.Action) : actionHit(s.NotAction)) return false;
    if (s.Resource !== undefined ? !resourceHit(s.Resource) : resourceHit(s.NotResource)) return false;
    return Object.entries(s.Condition ?? {}).every(([op, tests]) => operatorHolds(op, tests as Record<string, unknown>, r.context));
}

/** The decision of identity policies (all attached to one principal) for one request. */
export function evaluate(documents: any[], r: Request): Decision {
    const statements = documents.flatMap((d) => list(d.Statement));
    if (statements.some((s) => s.Effect === "Deny" && statementApplies(s, r))) return "deny";
    return statements.some((s) => s.Effect === "Allow" && statementApplies(s, r)) ? "allow" : "implicit";
}

/** Identity policies within a permissions boundary: allowed only when both allow. */
export function evaluateBounded(documents: any[], boundary: any, r: Request): Decision {
    const own = evaluate(documents, r);
    const ceiling = evaluate([boundary], r);
    if (own === "deny" || ceiling === "deny") return "deny";
    return own === "allow" && ceiling === "allow" ? "allow" : "implicit";
}

/** Tag context for a resource already tagged `tags`, with a request carrying `requestTags`. */
export function tagContext(resourceTags: Record<string, string>, requestTags: Record<string, string> = {}): Record<string, string | string[]> {
    const context: Record<string, string | string[]> = {};
    for (const [k, v] of Object.entries(resourceTags)) context[`aws:ResourceTag/${k}`] = v;
    for (const [k, v] of Object.entries(requestTags)) context[`aws:RequestTag/${k}`] = v;
    if (Object.keys(requestTags).length > 0) context["aws:TagKeys"] = Object.keys(requestTags);
    return context;
}

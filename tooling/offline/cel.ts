import { CelInput, CelResult, CelScalar, celEnv, celMethod, isCelError, listType, parse, plan } from "@bufbuild/cel";
import { strings } from "@bufbuild/cel/ext";

/**
 * CEL the way the API server runs it for ValidatingAdmissionPolicies and CRD `x-kubernetes-validations`:
 * the standard library, cel-go's strings extension (Kubernetes enables it: `split`, `join`, `lowerAscii`…)
 * and Kubernetes' regex library (`find`, `findAll`). A function the API server has and this environment
 * lacks fails the evaluation, so a rule never passes because it could not run. `matches` runs on RE2
 * (@bufbuild/re2); `find` on JavaScript's engine, which takes the same leftmost-first match for the
 * patterns the rules use.
 */
const KUBERNETES_REGEX = [
    celMethod("find", CelScalar.STRING, [CelScalar.STRING], CelScalar.STRING, function (pattern) {
        return new RegExp(pattern).exec(this)?.[0] ?? "";
    }),
    celMethod("findAll", CelScalar.STRING, [CelScalar.STRING], listType(CelScalar.STRING), function (pattern) {
        return [...this.matchAll(new RegExp(pattern, "g"))].map((m) => m[0]);
    }),
];
const ENV = celEnv({ funcs: [...strings, ...KUBERNETES_REGEX] });

const programs = new Map<string, ReturnType<typeof plan>>();

/** The program of `expression`, parsed and planned once per process. */
function program(expression: string): ReturnType<typeof plan> {
    let p = programs.get(expression);
    if (!p) {
        p = plan(ENV, parse(expression));
        programs.set(expression, p);
    }
    return p;
}

/** The value of `expression` with the given variables; throws (naming the expression) on a CEL error. */
export function evaluate(expression: string, bindings: Record<string, CelInput>): unknown {
    const result: CelResult = program(expression)(bindings);
    if (isCelError(result)) throw new Error(`CEL error in \`${expression}\`: ${result.message}`);
    return result;
}

/** Whether `expression` is true; anything but a bool is an error, as the API server treats it. */
export function holds(expression: string, bindings: Record<string, CelInput>): boolean {
    const value = evaluate(expression, bindings);
    if (typeof value !== "boolean") throw new Error(`CEL \`${expression}\` gave ${String(value)}, not a bool`);
    return value;
}

/**
 * JSON as CEL sees it: objects as maps, whole numbers as `int` unless the schema says `number` (the API
 * server types values from the CRD schema; without one, as for built-in kinds here, integers are ints).
 */
export function toCel(value: unknown, schema?: any): CelInput {
    if (value === null || value === undefined) return null;
    if (Array.isArray(value)) return value.map((v) => toCel(v, schema?.items));
    if (typeof value === "object") {
        return new Map(Object.entries(value).map(([k, v]) => [k, toCel(v, schema?.properties?.[k] ?? (typeof schema?.additionalProperties === "object" ? schema.additionalProperties : undefined))]));
    }
    if (typeof value === "number") return Number.isInteger(value) && schema?.type !== "number" ? BigInt(value) : value;
    return value as CelInput;
}

/** A CEL string of a message expression, or undefined when it gives none (the API server then uses `message`). */
export function messageOf(expression: string | undefined, bindings: Record<string, CelInput>): string | undefined {
    if (!expression) return undefined;
    try {
        const value = evaluate(expression, bindings);
        return typeof value === "string" && value.trim() !== "" ? value : undefined;
    } catch {
        return undefined;
    }
}

// ---- CRD x-kubernetes-validations ----

/** Rules comparing with `oldSelf` run on updates only: on create (every render) they are skipped, as the API server skips them. */
const isTransitionRule = (rule: string) => /\boldSelf\b/.test(rule);

/**
 * Every `x-kubernetes-validations` rule of `schema` at every level `value` reaches, evaluated on create
 * (`oldSelf` absent): the messages of the rules it breaks, each with its path.
 */
export function celRuleViolations(schema: any, value: unknown, path = ""): string[] {
    if (value === undefined || schema === undefined) return [];
    const out: string[] = [];
    for (const r of schema["x-kubernetes-validations"] ?? []) {
        if (isTransitionRule(r.rule)) {
            if (r.optionalOldSelf) throw new Error(`${path || "<root>"}: optionalOldSelf rules are not supported here: ${r.rule}`);
            continue;
        }
        const bindings = { self: toCel(value, schema) };
        let ok: boolean;
        try {
            ok = holds(r.rule, bindings);
        } catch (e) {
            out.push(`${path || "<root>"}${r.fieldPath ?? ""}: ${(e as Error).message}`);
            continue;
        }
        if (!ok) out.push(`${path || "<root>"}${r.fieldPath ?? ""}: ${messageOf(r.messageExpression, bindings) ?? r.message ?? `failed rule: ${r.rule}`}`);
    }
    if (Array.isArray(value)) {
        value.forEach((item, i) => out.push(...celRuleViolations(schema.items, item, `${path}[${i}]`)));
    } else if (value !== null && typeof value === "object") {
        for (const [k, v] of Object.entries(value)) {
            const child = schema.properties?.[k] ?? (typeof schema.additionalProperties === "object" ? schema.additionalProperties : undefined);
            out.push(...celRuleViolations(child, v, `${path}.${k}`));
        }
    }
    return out;
}

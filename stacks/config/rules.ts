/**
 * Constraints on config values, as data. The same rule both checks a value and says, in words,
 * what is allowed: the text in every error message and in the README is derived from it.
 */

/** A check's answer: true = fine, false = refused, a string = refused for this reason. */
export type Verdict = boolean | string;

export type Rule =
    /** Any text. */
    | { kind: "text" }
    | { kind: "boolean" }
    /** Exactly one of the values; `noun` names the set ("a CloudWatch retention period"). */
    | { kind: "oneOf"; values: readonly (string | number)[]; noun?: string }
    | { kind: "integer"; min: number; max: number }
    /** A string matching `pattern`; `form` says the same in words. */
    | { kind: "pattern"; pattern: RegExp; form: string }
    /** A named structured check (CIDR, region, instance type …) with its form in words. */
    | { kind: "check"; form: string; check: (value: string) => Verdict }
    | { kind: "list"; item: Rule; minItems?: number; maxItems?: number; unique?: boolean }
    /** "" (the feature is off), or a value following `rule`. */
    | { kind: "optional"; rule: Rule }
    /** "" (generated), or a value set with `--secret` of at least `minLength` characters; never echoed. */
    | { kind: "secret"; minLength: number };

/** One refused value: the value to quote (a list item for list rules) and why, when there is more to say. */
export interface Failure {
    value: unknown;
    reason?: string;
}

/** What `rule` allows, in words. */
export function describe(rule: Rule): string {
    switch (rule.kind) {
        case "text":
            return "any text";
        case "boolean":
            return "true or false";
        case "oneOf":
            return rule.noun ? `${rule.noun}: ${rule.values.join(", ")}` : `one of ${rule.values.join(", ")}`;
        case "integer":
            return `an integer from ${rule.min} to ${rule.max}`;
        case "pattern":
        case "check":
            return rule.form;
        case "list": {
            const size = rule.minItems ? "a non-empty list" : "a list";
            const most = rule.maxItems !== undefined ? ` of up to ${rule.maxItems}` : " of";
            return `${size}${most}${rule.unique ? " unique" : ""} items, each ${describe(rule.item)}`;
        }
        case "optional":
            return `empty, or ${describe(rule.rule)}`;
        case "secret":
            return `empty, or a secret value of at least ${rule.minLength} characters set with \`pulumi config set --secret\``;
    }
}

/** What a key accepts, in words: its own rule, then the rules it shares with other keys. */
export function allowedText(spec: KeySpec): string {
    return spec.crossKey ? `${describe(spec.rule)}; ${spec.crossKey}` : describe(spec.rule);
}

/** Every way `value` breaks `rule` (none: it is allowed). Secrets are checked by the reader, which knows which keys are secret. */
export function failures(rule: Rule, value: string | number | boolean | string[]): Failure[] {
    switch (rule.kind) {
        case "text":
        case "boolean":
        case "secret":
            return [];
        case "oneOf":
            return rule.values.includes(value as string | number) ? [] : [{ value }];
        case "integer":
            return typeof value === "number" && value >= rule.min && value <= rule.max ? [] : [{ value }];
        case "pattern":
            return rule.pattern.test(String(value)) ? [] : [{ value }];
        case "check": {
            const verdict = rule.check(String(value));
            return verdict === true ? [] : [{ value, reason: verdict || undefined }];
        }
        case "optional":
            return value === "" ? [] : failures(rule.rule, value);
        case "list": {
            const items = value as string[];
            if (rule.minItems && items.length < rule.minItems) return [{ value: items }];
            if (rule.maxItems !== undefined && items.length > rule.maxItems) return [{ value: items, reason: `more than ${rule.maxItems} items` }];
            const found = items.flatMap((item) => failures(rule.item, item));
            const duplicate = rule.unique ? items.find((item, i) => items.indexOf(item) !== i) : undefined;
            return duplicate === undefined ? found : [...found, { value: duplicate, reason: "listed twice" }];
        }
    }
}

export const pattern = (p: RegExp, form: string): Rule => ({ kind: "pattern", pattern: p, form });
export const check = (form: string, fn: (value: string) => Verdict): Rule => ({ kind: "check", form, check: fn });
export const integer = (min: number, max: number): Rule => ({ kind: "integer", min, max });
export const oneOf = (values: readonly (string | number)[], noun?: string): Rule => ({ kind: "oneOf", values, noun });
export const optional = (rule: Rule): Rule => ({ kind: "optional", rule });
export const list = (item: Rule, opts: { minItems?: number; maxItems?: number; unique?: boolean } = {}): Rule => ({ kind: "list", item, ...opts });
export const BOOLEAN: Rule = { kind: "boolean" };
/** The retention periods CloudWatch Logs accepts, in days. */
export const RETENTION_DAYS: Rule = oneOf([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], "a CloudWatch retention period");
export const SECRET: Rule = { kind: "secret", minLength: 12 };

export type ConfigType = "string" | "integer" | "boolean" | "array";
export type ConfigValue = string | number | boolean | string[];

/** One config key, declared once. */
export interface KeySpec {
    type: ConfigType;
    /** One line for Pulumi.yaml and the README. */
    description: string;
    /** Absent means the stack file must set the key. */
    default?: ConfigValue;
    /** What the value alone must satisfy. */
    rule: Rule;
    /** Rules involving other keys, in words; the checks themselves live in the reader for their area. */
    crossKey?: string;
    /**
     * The default holds in `computeMode: karpenter` only (a system node group or Karpenter controller setting):
     * the program applies it, and Pulumi.yaml declares none, since the engine would hand a declared default to
     * the program as if the stack file had set it, and an auto stack refuses these keys when set.
     */
    karpenterModeDefault?: true;
}

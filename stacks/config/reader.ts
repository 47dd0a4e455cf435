import * as pulumi from "@pulumi/pulumi";
import { ConfigType, ConfigValue, KeySpec, allowedText, failures } from "./rules";

/**
 * Thrown before any resource is registered; its message lists every problem once. A RunError, so the
 * Pulumi CLI prints just the message: no stack trace, no dump of the error's properties.
 */
export class ConfigError extends pulumi.RunError {
    /** The problems, one line each (also in the message); not enumerable, so no inspector prints them twice. */
    declare readonly problems: string[];

    constructor(problems: string[]) {
        super(`Invalid stack configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
        Object.defineProperty(this, "problems", { value: problems, enumerable: false });
        this.name = "ConfigError";
    }
}

type TypeOf<T extends ConfigType> = T extends "integer" ? number : T extends "boolean" ? boolean : T extends "array" ? string[] : string;

/** Keys with their declarations, as a reader reads them. */
export type KeyTable = Record<string, KeySpec>;

/**
 * The keys of other areas an area's reader also reads, by name and type, e.g. `Reads<{ systemNodeMinSize: "integer" }>`;
 * the reader of the whole table is checked against them where it is handed over (validate.ts).
 */
export type Reads<T extends Record<string, ConfigType>> = { [K in keyof T]: KeySpec & { type: T[K] } };

const ZERO: Record<ConfigType, ConfigValue> = { string: "", integer: 0, boolean: false, array: [] };

/**
 * Reads raw config strings (as the Pulumi engine hands them over: scalars as text, lists as JSON),
 * converts them to typed values and checks each against its key's rule, collecting every problem
 * instead of stopping at the first. A key whose value failed its type or own rule is not `ok`, and
 * cross-key checks skip it, so one mistake is reported once.
 */
export class ConfigReader<T extends KeyTable> {
    private readonly lines: string[] = [];
    private readonly values = new Map<string, ConfigValue>();
    private readonly invalid = new Set<string>();

    constructor(
        /** The keys this reader knows: their types, defaults and rules. */
        private readonly keys: T,
        readonly namespace: string,
        private readonly raw: Record<string, string>,
        private readonly secretKeys: string[] = [],
    ) {}

    /** Every problem found so far, each once. */
    get problems(): string[] {
        return [...this.lines];
    }

    /** Records a problem with `key`, quoting the value it got and the allowed form, and marks the key invalid. */
    reject(key: keyof T & string, value: unknown, reason?: string): void {
        this.invalid.add(key);
        const why = reason ? ` (${reason})` : "";
        this.note(`${this.qualified(key)}: got ${JSON.stringify(value)}${why}; allowed: ${allowedText(this.keys[key])}`);
    }

    /** Records a problem in free form (unknown keys, secrets whose value must not be echoed). */
    note(problem: string): void {
        if (!this.lines.includes(problem)) this.lines.push(problem);
    }

    qualified(key: string): string {
        return key.includes(":") ? key : `${this.namespace}:${key}`;
    }

    has(key: keyof T & string): boolean {
        return this.raw[this.qualified(key)] !== undefined;
    }

    /** Whether each key is present or defaulted, of its type and within its own rule. */
    ok(...keys: (keyof T & string)[]): boolean {
        for (const key of keys) this.get(key);
        return keys.every((k) => !this.invalid.has(k));
    }

    /** The key's typed value; when invalid (and reported), its default or zero value so reading can go on. */
    get<K extends keyof T & string>(key: K): TypeOf<T[K]["type"]> {
        if (!this.values.has(key)) this.values.set(key, this.read(key));
        return this.values.get(key) as TypeOf<T[K]["type"]>;
    }

    private read(key: keyof T & string): ConfigValue {
        const spec: KeySpec = this.keys[key];
        const fallback = spec.default ?? ZERO[spec.type];
        const text = this.raw[this.qualified(key)];
        if (text === undefined) {
            if (spec.default !== undefined) return spec.default;
            this.invalid.add(key);
            this.note(`${this.qualified(key)}: missing; set it in the stack file (allowed: ${allowedText(spec)})`);
            return fallback;
        }
        const value = parse(spec.type, text);
        if (value === undefined) {
            this.reject(key, text, `not a valid ${spec.type}`);
            return fallback;
        }
        if (spec.rule.kind === "secret") return this.checkSecret(key, value as string, spec.rule.minLength) ? value : fallback;
        const found = failures(spec.rule, value);
        for (const failure of found) this.reject(key, failure.value, failure.reason);
        return found.length === 0 ? value : fallback;
    }

    /** Never echoes the value: it is meant to be secret. */
    private checkSecret(key: keyof T & string, value: string, minLength: number): boolean {
        if (!value) return true;
        this.invalid.add(key);
        if (!this.secretKeys.includes(this.qualified(key))) {
            this.note(`${this.qualified(key)}: is stored in plain text; set it with \`pulumi config set --secret ${key} <value>\``);
        } else if (value.length < minLength) {
            this.note(`${this.qualified(key)}: is shorter than ${minLength} characters; allowed: ${allowedText(this.keys[key])}`);
        } else {
            this.invalid.delete(key);
        }
        return !this.invalid.has(key);
    }
}

function parse(type: ConfigType, text: string): ConfigValue | undefined {
    switch (type) {
        case "string":
            return text;
        case "integer":
            return /^-?\d+$/.test(text.trim()) ? Number(text) : undefined;
        case "boolean":
            return text === "true" ? true : text === "false" ? false : undefined;
        case "array": {
            let parsed: unknown;
            try {
                parsed = JSON.parse(text);
            } catch {
                return undefined;
            }
            return Array.isArray(parsed) && parsed.every((x) => typeof x === "string") ? parsed : undefined;
        }
    }
}

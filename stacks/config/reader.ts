import { CONFIG_KEYS, ConfigKey, ConfigValue } from "./keys";

/** Thrown before any resource is registered; lists every problem found in the stack config. */
export class ConfigError extends Error {
    constructor(readonly problems: string[]) {
        super(`Invalid stack configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
        this.name = "ConfigError";
    }
}

/**
 * Reads raw config strings (as the Pulumi engine hands them over: scalars as text, lists as JSON)
 * and converts them to typed values, collecting every problem instead of stopping at the first.
 */
export class ConfigReader {
    readonly problems: string[] = [];

    constructor(
        readonly namespace: string,
        private readonly raw: Record<string, string>,
    ) {}

    /** Records a problem with `key`, quoting the value it got and the allowed form. */
    reject(key: ConfigKey | string, value: unknown, reason?: string): void {
        const spec = (CONFIG_KEYS as Record<string, { allowed: string }>)[key];
        const allowed = spec ? `; allowed: ${spec.allowed}` : "";
        const why = reason ? ` (${reason})` : "";
        this.problems.push(`${this.qualified(key)}: got ${JSON.stringify(value)}${why}${allowed}`);
    }

    note(problem: string): void {
        this.problems.push(problem);
    }

    qualified(key: string): string {
        return key.includes(":") ? key : `${this.namespace}:${key}`;
    }

    has(key: ConfigKey): boolean {
        return this.raw[this.qualified(key)] !== undefined;
    }

    string(key: ConfigKey): string {
        return this.read(key, (text) => text) ?? "";
    }

    integer(key: ConfigKey): number {
        return this.read(key, (text) => (/^-?\d+$/.test(text.trim()) ? Number(text) : undefined)) ?? 0;
    }

    boolean(key: ConfigKey): boolean {
        return this.read(key, (text) => (text === "true" ? true : text === "false" ? false : undefined)) ?? false;
    }

    list(key: ConfigKey): string[] {
        return (
            this.read(key, (text) => {
                let parsed: unknown;
                try {
                    parsed = JSON.parse(text);
                } catch {
                    return undefined;
                }
                return Array.isArray(parsed) && parsed.every((x) => typeof x === "string") ? parsed : undefined;
            }) ?? []
        );
    }

    private read<T extends ConfigValue>(key: ConfigKey, convert: (text: string) => T | undefined): T | undefined {
        const spec = CONFIG_KEYS[key] as { type: string; default?: ConfigValue };
        const text = this.raw[this.qualified(key)];
        if (text === undefined) {
            if (spec.default === undefined) {
                this.problems.push(`${this.qualified(key)}: missing; set it in the stack file (${CONFIG_KEYS[key].allowed})`);
                return undefined;
            }
            return spec.default as T;
        }
        const value = convert(text);
        if (value === undefined) {
            this.reject(key, text, `not a valid ${spec.type}`);
        }
        return value;
    }
}

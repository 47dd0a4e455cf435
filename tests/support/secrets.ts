/** The marker Pulumi's RPC layer wraps secret values in; the mock engine records inputs with it intact. */
const SECRET_SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

export function isSecretValue(value: unknown): value is { value: unknown } {
    return typeof value === "object" && value !== null && (value as Record<string, unknown>)[SECRET_SIG_KEY] === SECRET_SIG;
}

/** The value with every secret wrapper removed. */
export function reveal<T = any>(value: unknown): T {
    if (isSecretValue(value)) return reveal(value.value);
    if (Array.isArray(value)) return value.map(reveal) as T;
    if (value !== null && typeof value === "object") {
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, reveal(v)])) as T;
    }
    return value as T;
}

/** Paths at which `needle` occurs in `value`, each marked with whether a secret wrapper encloses it. */
export function occurrences(value: unknown, needle: string, path = "", inSecret = false): { path: string; secret: boolean }[] {
    if (isSecretValue(value)) return occurrences(value.value, needle, path, true);
    if (typeof value === "string") return value.includes(needle) ? [{ path, secret: inSecret }] : [];
    if (Array.isArray(value)) return value.flatMap((v, i) => occurrences(v, needle, `${path}[${i}]`, inSecret));
    if (value !== null && typeof value === "object") {
        return Object.entries(value).flatMap(([k, v]) => occurrences(v, needle, path ? `${path}.${k}` : k, inSecret));
    }
    return [];
}

/** Small readers for resource properties, which arrive as plain JSON (lists may be single values). */

/** A value as a list: absent → `[]`, a single value → `[value]`. */
export function list<T>(value: T | readonly T[] | undefined | null): T[] {
    if (value === undefined || value === null) return [];
    return Array.isArray(value) ? [...(value as readonly T[])] : [value as T];
}

/** Terraform-bridged booleans are sometimes strings (`"true"`), e.g. launch template EBS flags. */
export function isTrue(value: unknown): boolean {
    return value === true || value === "true";
}

export function isFalse(value: unknown): boolean {
    return value === false || value === "false";
}

export function nonEmptyString(value: unknown): value is string {
    return typeof value === "string" && value.trim().length > 0;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A string-valued map (tags, selectors); other shapes read as empty. */
export function stringMap(value: unknown): Record<string, string> {
    if (!isRecord(value)) return {};
    const out: Record<string, string> = {};
    for (const [key, v] of Object.entries(value)) if (typeof v === "string") out[key] = v;
    return out;
}

/** A CIDR that spans the whole address family (`0.0.0.0/0`, `::/0`). */
export function isWorldCidr(cidr: unknown): boolean {
    return typeof cidr === "string" && /\/0$/.test(cidr.trim());
}

/** JSON text (as Terraform-bridged resources hold it) or an already-parsed object. */
export function parseJson(value: unknown): { ok: true; value: unknown } | { ok: false; reason: string } {
    if (typeof value !== "string") return { ok: true, value };
    try {
        return { ok: true, value: JSON.parse(value) };
    } catch {
        return { ok: false, reason: "not valid JSON" };
    }
}

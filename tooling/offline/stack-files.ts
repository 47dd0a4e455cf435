import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { readStackFile } from "../../stacks/config/stack-files";
import { projectRoot } from "./paths";

export const PROJECT = "eks-platform";
/** Stack files the behaviour tests own; their values are what those tests assert on. */
export const fixturesDir = path.join(projectRoot, "tests", "fixtures");

/** The `config:` map of a stack file in `dir` (the test fixtures unless told otherwise), as parsed YAML. */
export function stackFileConfig(stack: string, dir: string = fixturesDir): Record<string, unknown> {
    return readStackFile(path.join(dir, `Pulumi.${stack}.yaml`));
}

/** Config values the way the Pulumi engine hands them to a program: scalars as text, lists and maps as JSON. */
export function engineConfig(config: Record<string, unknown>): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [key, value] of Object.entries(config)) {
        if (value === undefined) continue;
        out[key] = typeof value === "string" ? value : typeof value === "object" ? JSON.stringify(value) : String(value);
    }
    return out;
}

const projects = new Map<string, { name?: string; config?: Record<string, unknown> } | null>();

/**
 * The defaults `Pulumi.yaml` in `dir` declares (`config.<key>.default`), qualified as the engine hands
 * them to the program for every key a stack file leaves unset. Empty where `dir` has no Pulumi.yaml
 * (the fixtures folder: its stack files spell out what the tests assert on).
 */
export function projectDefaults(dir: string): Record<string, unknown> {
    const file = path.join(dir, "Pulumi.yaml");
    if (!fs.existsSync(file)) return {};
    const text = fs.readFileSync(file, "utf8");
    // Parsed once per text: every build of a project's stack reads it.
    if (!projects.has(text)) projects.set(text, parse(text) as { name?: string; config?: Record<string, unknown> } | null);
    const doc = structuredClone(projects.get(text));
    const defaults: Record<string, unknown> = {};
    for (const [key, spec] of Object.entries(doc?.config ?? {})) {
        if (spec !== null && typeof spec === "object" && "default" in spec) {
            defaults[key.includes(":") ? key : `${doc?.name ?? PROJECT}:${key}`] = (spec as { default: unknown }).default;
        }
    }
    return defaults;
}

const isSecure = (value: unknown) => value !== null && typeof value === "object" && "secure" in (value as object);

/**
 * Keys a stack file holds as `secure:` ciphertext (`pulumi config set --secret`), which nothing offline can
 * decrypt: `configWith` hands each over as a placeholder, and the builds mark them secret as the engine would.
 */
export function secretKeysOf(stack: string, dir: string = fixturesDir): string[] {
    return Object.entries(stackFileConfig(stack, dir))
        .filter(([, v]) => isSecure(v))
        .map(([k]) => k);
}

/** The stand-in for a secure value, of the form its key's rule asks (a URL, a 32-character key, 12+ characters). */
export function securePlaceholder(key: string): string {
    const bare = key.replace(/^.*:/, "");
    if (/Url$/.test(bare)) return `https://offline.invalid/${bare}`;
    if (/RoutingKey$/.test(bare)) return bare.replace(/[^A-Za-z0-9]/g, "").padEnd(32, "0").slice(0, 32);
    return `placeholder-for-${bare}-0`;
}

/** A stack's config (a fixture unless `dir` says otherwise) with some keys replaced (`undefined` removes a key). */
export function configWith(stack: string, overrides: Record<string, unknown> = {}, dir: string = fixturesDir): Record<string, string> {
    const own = Object.entries(stackFileConfig(stack, dir)).map(([k, v]) => [k, isSecure(v) ? securePlaceholder(k) : v]);
    const merged: Record<string, unknown> = { ...projectDefaults(dir), ...Object.fromEntries(own) };
    for (const [key, value] of Object.entries(overrides)) {
        const qualified = key.includes(":") ? key : `${PROJECT}:${key}`;
        if (value === undefined) delete merged[qualified];
        else merged[qualified] = value;
    }
    return engineConfig(merged);
}

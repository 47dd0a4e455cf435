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

/**
 * The defaults `Pulumi.yaml` in `dir` declares (`config.<key>.default`), qualified as the engine hands
 * them to the program for every key a stack file leaves unset. Empty where `dir` has no Pulumi.yaml
 * (the fixtures folder: its stack files spell out what the tests assert on).
 */
export function projectDefaults(dir: string): Record<string, unknown> {
    const file = path.join(dir, "Pulumi.yaml");
    if (!fs.existsSync(file)) return {};
    const doc = parse(fs.readFileSync(file, "utf8")) as { name?: string; config?: Record<string, unknown> } | null;
    const defaults: Record<string, unknown> = {};
    for (const [key, spec] of Object.entries(doc?.config ?? {})) {
        if (spec !== null && typeof spec === "object" && "default" in spec) {
            defaults[key.includes(":") ? key : `${doc?.name ?? PROJECT}:${key}`] = (spec as { default: unknown }).default;
        }
    }
    return defaults;
}

/** A stack's config (a fixture unless `dir` says otherwise) with some keys replaced (`undefined` removes a key). */
export function configWith(stack: string, overrides: Record<string, unknown> = {}, dir: string = fixturesDir): Record<string, string> {
    const merged: Record<string, unknown> = { ...projectDefaults(dir), ...stackFileConfig(stack, dir) };
    for (const [key, value] of Object.entries(overrides)) {
        const qualified = key.includes(":") ? key : `${PROJECT}:${key}`;
        if (value === undefined) delete merged[qualified];
        else merged[qualified] = value;
    }
    return engineConfig(merged);
}

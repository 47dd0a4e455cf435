import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { projectRoot } from "./paths";

export const PROJECT = "eks-platform";
/** Stack files the behaviour tests own; their values are what those tests assert on. */
export const fixturesDir = path.join(projectRoot, "tests", "fixtures");
export type StackName = "dev" | "prod";

/** The `config:` map of a stack file in `dir` (the test fixtures unless told otherwise), as parsed YAML. */
export function stackFileConfig(stack: string, dir: string = fixturesDir): Record<string, unknown> {
    const doc = parse(fs.readFileSync(path.join(dir, `Pulumi.${stack}.yaml`), "utf8")) as { config?: Record<string, unknown> } | null;
    return doc?.config ?? {};
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

/** A fixture stack's config with some keys replaced (`undefined` removes a key). */
export function configWith(stack: string, overrides: Record<string, unknown> = {}, dir: string = fixturesDir): Record<string, string> {
    const merged: Record<string, unknown> = { ...stackFileConfig(stack, dir) };
    for (const [key, value] of Object.entries(overrides)) {
        const qualified = key.includes(":") ? key : `${PROJECT}:${key}`;
        if (value === undefined) delete merged[qualified];
        else merged[qualified] = value;
    }
    return engineConfig(merged);
}

import * as fs from "fs";
import * as path from "path";
import { parse, parseAllDocuments } from "yaml";
import { projectRoot } from "./paths";

/** Upstream files (charts, CRDs, IAM policies) that sit beside the repo in CI, not in a user's clone. */
export const referenceDir = path.resolve(projectRoot, "..", "shared", "reference");
const required = process.env.EKS_PLATFORM_REQUIRE_REFERENCE === "1";
let noticed = false;

/**
 * Call in a `before` hook: skips the suite with a one-line notice when ../shared/reference is
 * absent, and fails instead when CI made the reference tests mandatory.
 */
export function requireReference(ctx: Mocha.Context): void {
    if (fs.existsSync(referenceDir)) return;
    if (required) throw new Error(`EKS_PLATFORM_REQUIRE_REFERENCE=1 but ${referenceDir} is missing`);
    if (!noticed) {
        console.log(`  (skipping upstream-reference tests: ${referenceDir} not found)`);
        noticed = true;
    }
    ctx.skip();
}

export function referenceText(relative: string): string {
    return fs.readFileSync(path.join(referenceDir, relative), "utf8");
}

export function referenceYaml<T = any>(relative: string): T {
    return parse(referenceText(relative)) as T;
}

export function referenceYamlDocuments<T = any>(relative: string): T[] {
    return parseAllDocuments(referenceText(relative)).map((d) => d.toJS() as T);
}

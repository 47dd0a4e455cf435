import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { referenceDir } from "../../tooling/offline/paths";
import { loadYamlStream } from "../../tooling/offline/yaml-stream";
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

const parsedDocuments = new Map<string, unknown[]>();

/** All YAML documents of a reference file; parsed once (the CRDs run to megabytes). */
export function referenceYamlDocuments<T = any>(relative: string): T[] {
    if (!parsedDocuments.has(relative)) parsedDocuments.set(relative, loadYamlStream(referenceText(relative)));
    return parsedDocuments.get(relative) as T[];
}

/** Keys whose values are free-form maps or lists in every chart (labels, selectors, tolerations…). */
const FREE_FORM = new Set(["annotations", "labels", "nodeSelector", "tolerations", "affinity", "podAnnotations", "podLabels", "resources", "extraLabels", "additionalLabels"]);

/**
 * Paths in `values` that the chart's values.yaml does not have. A path counts as known when it
 * exists, or when it runs into a free-form key or into a key whose default is an empty map/list.
 */
export function unknownValuesPaths(values: unknown, reference: unknown, prefix = ""): string[] {
    if (values === null || typeof values !== "object" || Array.isArray(values)) return [];
    const unknown: string[] = [];
    for (const [key, value] of Object.entries(values as Record<string, unknown>)) {
        const path = prefix ? `${prefix}.${key}` : key;
        const ref = reference as Record<string, unknown> | null;
        if (!ref || typeof ref !== "object" || !(key in ref)) {
            unknown.push(path);
            continue;
        }
        const refValue = ref[key];
        const openMap = refValue !== null && typeof refValue === "object" && Object.keys(refValue as object).length === 0;
        if (FREE_FORM.has(key) || openMap || Array.isArray(refValue)) continue;
        unknown.push(...unknownValuesPaths(value, refValue, path));
    }
    return unknown;
}

/** `version` of a reference Chart.yaml. */
export function referenceChartVersion(chartDir: string): string {
    return String(referenceYaml<{ version: string }>(`${chartDir}/Chart.yaml`).version);
}

/**
 * Whether a chart documents a values path only as a comment (`# key:` in its values.yaml) and a template
 * really reads it (`.Values.<path>`): keys like grafana's `rbac.useExistingRole` exist nowhere else.
 */
export function documentedCommentedOut(chartDir: string, valuesPath: string): boolean {
    const leaf = valuesPath.split(".").pop()!;
    if (!new RegExp(`^\\s*#\\s*${leaf}:`, "m").test(referenceText(`${chartDir}/values.yaml`))) return false;
    const read = new RegExp(`\\.Values\\.${valuesPath.replace(/\./g, "\\.")}\\b`);
    const templates = path.join(referenceDir, chartDir, "templates");
    return fs.readdirSync(templates, { recursive: true, encoding: "utf8" }).some((f) => /\.(ya?ml|tpl)$/.test(f) && read.test(fs.readFileSync(path.join(templates, f), "utf8")));
}

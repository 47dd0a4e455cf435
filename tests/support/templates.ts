import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { Workflow } from "./ci-access-workflows";
import { projectRoot } from "../../tooling/offline/paths";

/** The two repositories to copy (README, Onboarding a service). */
export const TEMPLATES_DIR = path.join(projectRoot, "templates");
export const SERVICE_DIR = path.join(TEMPLATES_DIR, "service");
export const GITOPS_DIR = path.join(TEMPLATES_DIR, "gitops");
export const CHART_DIR = path.join(SERVICE_DIR, "chart");
export const SERVICE_WORKFLOW_DIR = path.join(SERVICE_DIR, ".github", "workflows");
export const GITOPS_SCRIPT = path.join(SERVICE_DIR, "scripts", "gitops.sh");

/** The ApplicationSet path the GitOps template is laid out for: one folder per app per environment. */
export const GITOPS_PATH = "envs/{env}/{app}";

export function serviceWorkflowFiles(): string[] {
    return fs.readdirSync(SERVICE_WORKFLOW_DIR).filter((f) => /\.ya?ml$/.test(f)).sort();
}

export function readServiceWorkflow(file: string): Workflow {
    const text = fs.readFileSync(path.join(SERVICE_WORKFLOW_DIR, file), "utf8");
    return { file, text, doc: parse(text) };
}

/** Every file under `dir`, relative to it, sorted. */
export function filesUnder(dir: string): string[] {
    return fs
        .readdirSync(dir, { withFileTypes: true, recursive: true })
        .filter((e) => e.isFile())
        .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
        .sort();
}

/** `envs/<env>/<app>` folders of the GitOps template, as [env, app]. */
export function gitopsEnvironmentFolders(): [string, string][] {
    const envs = path.join(GITOPS_DIR, "envs");
    return fs.readdirSync(envs).flatMap((env) => fs.readdirSync(path.join(envs, env)).map((app): [string, string] => [env, app]));
}

/**
 * A chart template read without Helm: lines that are only template actions (`{{- if }}`, `{{- end }}`,
 * `{{- include … | nindent }}`) are dropped and inline actions become the string TEMPLATED, so the
 * literal structure (kinds, security settings, port names) can be checked as YAML.
 */
export function literalTemplate(file: string): any {
    const text = fs.readFileSync(path.join(CHART_DIR, "templates", file), "utf8");
    const kept = text
        .split("\n")
        .filter((line) => !/^\s*\{\{-?[^}]*-?\}\}\s*$/.test(line))
        .map((line) => line.replace(/\{\{-?.*?-?\}\}/g, "TEMPLATED"))
        .join("\n");
    return parse(kept);
}

/** Helm's values merge: maps merge key by key, anything else is replaced. */
export function mergeValues(base: any, override: any): any {
    if (!isMap(base) || !isMap(override)) return override === undefined ? base : override;
    const merged: Record<string, unknown> = { ...base };
    for (const [k, v] of Object.entries(override)) merged[k] = mergeValues(base[k], v);
    return merged;
}

const isMap = (v: unknown): v is Record<string, any> => v !== null && typeof v === "object" && !Array.isArray(v);

/** The service chart's values for one environment folder: chart defaults, then the folder's `service:` values. */
export function environmentValues(env: string, app: string): any {
    const folder = path.join(GITOPS_DIR, "envs", env, app);
    const defaults = parse(fs.readFileSync(path.join(folder, "charts", "service", "values.yaml"), "utf8"));
    const own = parse(fs.readFileSync(path.join(folder, "values.yaml"), "utf8"));
    return mergeValues(defaults, own.service);
}

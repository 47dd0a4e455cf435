import * as fs from "fs";
import { register } from "module";
import * as path from "path";
import { parse } from "yaml";
import { projectRoot } from "../../tooling/offline/paths";

export const WORKFLOW_DIR = path.join(projectRoot, ".github", "workflows");
export const JENKINSFILE = path.join(projectRoot, "Jenkinsfile");
/** The nightly drift pipeline, drift.yml's twin. */
export const JENKINSFILE_DRIFT = path.join(projectRoot, "Jenkinsfile.drift");

/** A workflow file as text and as YAML 1.2 (so `on` stays a string key). */
export interface Workflow {
    file: string;
    text: string;
    doc: any;
}

export function workflowFiles(): string[] {
    return fs.readdirSync(WORKFLOW_DIR).filter((f) => /\.ya?ml$/.test(f)).sort();
}

export function readWorkflow(file: string): Workflow {
    const text = fs.readFileSync(path.join(WORKFLOW_DIR, file), "utf8");
    return { file, text, doc: parse(text) };
}

/** Where a job calls a reusable workflow of this repository: `uses: ./.github/workflows/<file>`. */
const LOCAL_CALL = /^\.\/\.github\/workflows\/([\w.-]+\.ya?ml)$/;

/** The workflow file a job calls, or undefined for a job with steps. */
export const calledFile = (job: any): string | undefined => LOCAL_CALL.exec(String(job?.uses ?? ""))?.[1];

/** Whether a workflow only runs when another calls it (`on: workflow_call`). */
export const isReusable = (w: Workflow): boolean => Object.keys(w.doc.on ?? {}).includes("workflow_call");

/**
 * A workflow as its runs execute: each job that calls a local reusable workflow is replaced by the
 * called workflow's job(s), with the caller's `with:` (or the input defaults) written in for every
 * `inputs.<name>`, and the caller job's `if`, `needs` and id kept. `callerPermissions` records the
 * permissions the caller granted, which cap the called job's.
 */
export function resolvedWorkflow(file: string): Workflow {
    const w = readWorkflow(file);
    const jobs: Record<string, any> = {};
    for (const [id, job] of jobsOf(w)) {
        const called = calledFile(job);
        if (!called) {
            jobs[id] = job;
            continue;
        }
        const callee = readWorkflow(called);
        const declared: Record<string, any> = callee.doc.on.workflow_call?.inputs ?? {};
        const values: Record<string, string> = {};
        for (const [name, spec] of Object.entries(declared)) values[name] = String(job.with?.[name] ?? spec.default ?? "");
        for (const name of Object.keys(job.with ?? {})) {
            if (!(name in declared)) throw new Error(`${file}: job ${id} passes input ${name}, which ${called} does not declare`);
        }
        // A whole `${{ inputs.x }}` becomes the value itself; `inputs.x` inside a longer expression, a string literal.
        const text = callee.text
            .replace(/\$\{\{\s*inputs\.(\w+)\s*\}\}/g, (_, name: string) => values[name] ?? "")
            .replace(/\binputs\.(\w+)\b/g, (_, name: string) => `'${values[name] ?? ""}'`);
        const calleeJobs = Object.entries((parse(text) as any).jobs ?? {});
        for (const [calleeId, calleeJob] of calleeJobs) {
            const resolvedId = calleeJobs.length === 1 ? id : `${id}/${calleeId}`;
            const { if: calleeIf, ...rest } = calleeJob as Record<string, unknown>;
            if (job.if && calleeIf) throw new Error(`${file}: job ${id} and ${called} both set \`if\`; combine them by hand`);
            jobs[resolvedId] = { ...rest, if: job.if ?? calleeIf, needs: job.needs, callerPermissions: job.permissions, calls: called };
        }
    }
    return { ...w, doc: { ...w.doc, jobs } };
}

export interface Step {
    uses?: string;
    run?: string;
    id?: string;
    with?: Record<string, any>;
    env?: Record<string, any>;
}

/** `owner/repo` of a step's `uses`, without the ref. */
export const actionOf = (step: Step): string | undefined => step.uses?.split("@")[0];

export const jobsOf = (w: Workflow): [string, any][] => Object.entries(w.doc.jobs ?? {});

export const stepsOf = (job: any): Step[] => job.steps ?? [];

/** The jobs that configure AWS credentials, i.e. the ones whose OIDC token a role must trust. */
export const credentialJobs = (w: Workflow): [string, any][] =>
    jobsOf(w).filter(([, job]) => stepsOf(job).some((s) => actionOf(s) === "aws-actions/configure-aws-credentials"));

/** The job ids `id` waits for, directly or through other jobs. */
export function upstreamJobs(w: Workflow, id: string): string[] {
    const direct: string[] = [].concat(w.doc.jobs[id]?.needs ?? []);
    return [...new Set(direct.flatMap((d) => [d, ...upstreamJobs(w, d)]))];
}

/** A job's permissions: its own block, else the workflow's (GitHub does not merge the two). */
export const effectivePermissions = (w: Workflow, job: any): Record<string, string> => job.permissions ?? w.doc.permissions ?? {};

/**
 * The OIDC `sub` claim GitHub puts in a job's token: `environment:<name>` when the job names an
 * environment, `pull_request` for pull_request runs, else the ref that triggered it (for push, the
 * branches the workflow filters on; for a schedule, main, when the job runs on main only; workflow_dispatch
 * runs of other jobs without an environment are not covered).
 */
export function presentedSubjects(w: Workflow, job: any, repository: string): string[] {
    const environment = typeof job.environment === "string" ? job.environment : job.environment?.name;
    if (environment) return [`repo:${repository}:environment:${environment}`];
    const on = w.doc.on ?? {};
    if ("pull_request" in on) return [`repo:${repository}:pull_request`];
    if ("push" in on) return (on.push?.branches ?? []).map((b: string) => `repo:${repository}:ref:refs/heads/${b}`);
    // Scheduled runs run on the default branch; a job that also runs by hand must be limited to main by its `if`.
    if ("schedule" in on && String(job.if ?? "").startsWith("github.ref == 'refs/heads/main'")) return [`repo:${repository}:ref:refs/heads/main`];
    throw new Error(`${w.file}: cannot tell the OIDC subject of a job triggered by ${Object.keys(on).join(", ")} without an environment`);
}

/**
 * Why a `uses:` line is not pinned, or undefined when it is: local actions pass; everything else must
 * name a full 40-character commit SHA and carry a `# vX.Y.Z` comment saying which release that is.
 */
export function pinProblem(line: string): string | undefined {
    const m = /^\s*(?:-\s+)?uses:\s*(\S+)\s*(#.*)?$/.exec(line);
    if (!m) return `not a uses: line: ${line.trim()}`;
    const [, ref, comment] = m;
    if (ref.startsWith("./")) return undefined;
    if (!/^[\w.-]+\/[\w./-]+@[0-9a-f]{40}$/.test(ref)) return `${ref} is not pinned to a full commit SHA`;
    if (!/^#\s*v\d+\.\d+\.\d+\s*$/.test(comment ?? "")) return `${ref} has no "# vX.Y.Z" comment naming its release`;
    return undefined;
}

/** Every `uses:` line of a workflow's text. */
export const usesLines = (text: string): string[] => text.split("\n").filter((l) => /^\s*(-\s+)?uses:/.test(l));

/** The exports of `@actions/workflow-parser` the tests use. */
export interface WorkflowParser {
    parseWorkflow(file: { name: string; content: string }, trace: unknown): { context: { errors: { getErrors(): { message: string }[] } }; value: unknown };
    convertWorkflowTemplate(context: unknown, root: unknown): Promise<{ events: Record<string, any>; errors?: { Message: string }[]; jobs: any[] }>;
    NoOperationTraceWriter: new () => unknown;
}

/**
 * The package's dist imports its JSON schema without `with { type: "json" }`, which Node refuses
 * (actions/languageservices#387). This load hook serves those two files as modules; nothing else changes.
 */
const JSON_SCHEMA_HOOK = `
import { readFile } from "node:fs/promises";
export async function load(url, context, nextLoad) {
    if (url.startsWith("file:") && url.includes("/@actions/workflow-parser/") && url.endsWith(".json") && context.importAttributes?.type !== "json") {
        return { format: "module", source: "export default " + (await readFile(new URL(url), "utf8")) + ";", shortCircuit: true };
    }
    return nextLoad(url, context);
}`;

let parser: Promise<WorkflowParser> | undefined;

/**
 * GitHub's own workflow parser. It is ESM-only and these tests compile to CommonJS, where TypeScript
 * would turn `import()` into `require()`; a Function body keeps the native dynamic import.
 */
export function workflowParser(): Promise<WorkflowParser> {
    if (!parser) {
        register(`data:text/javascript,${encodeURIComponent(JSON_SCHEMA_HOOK)}`);
        const nativeImport = new Function("specifier", "return import(specifier)") as (s: string) => Promise<WorkflowParser>;
        parser = nativeImport("@actions/workflow-parser");
    }
    return parser;
}

/** Every error GitHub's parser reports for a workflow's text: schema, expressions, contexts, then conversion. */
export async function workflowErrors(name: string, content: string): Promise<string[]> {
    const wp = await workflowParser();
    const parsed = wp.parseWorkflow({ name, content }, new wp.NoOperationTraceWriter());
    const errors = parsed.context.errors.getErrors().map((e) => e.message);
    if (errors.length > 0 || !parsed.value) return errors.length > 0 ? errors : [`${name}: parser returned no workflow`];
    const template = await wp.convertWorkflowTemplate(parsed.context, parsed.value);
    return (template.errors ?? []).map((e) => e.Message);
}

/** The trigger events GitHub's parser reads from a workflow. */
export async function workflowEvents(name: string, content: string): Promise<Record<string, any>> {
    const wp = await workflowParser();
    const parsed = wp.parseWorkflow({ name, content }, new wp.NoOperationTraceWriter());
    return (await wp.convertWorkflowTemplate(parsed.context, parsed.value)).events;
}

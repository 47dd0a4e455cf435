import { loadYamlStream } from "./yaml-stream";
import type { StackGraph } from "./harness";
import { isDeepStrictEqual } from "util";
import { TemplateArgs, helmTemplate, resolveChart, templateCall } from "./helm";
import { moduleDigest, cachedResult } from "./result-cache";
import type { RecordedResource } from "./mocks";
import type { Scopes } from "./schemas";

/** Pulumi's wire markers: a secret value, and a value unknown until the resources it depends on exist. */
const SECRET_SIG = "4dabf18193072939515e22adb298388d";
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** A Kubernetes object as rendered or registered. */
export type K8sObject = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string; [k: string]: any }; [k: string]: any };

/** One rendered object and where it came from. */
export interface Manifest {
    /** Helm release name, or `program` for objects the program registers itself. */
    source: string;
    object: K8sObject;
}

/** One `kubernetes:helm.sh/v3:Release` registration, ready for `helm template`. */
export interface ReleaseSpec {
    resourceName: string;
    releaseName: string;
    namespace: string;
    chart: string;
    version: string;
    values: Record<string, unknown>;
    includeCrds: boolean;
}

/**
 * Values as the program passes them. Secrets are unwrapped: under the mocks they hold generated
 * stand-ins (mock passwords, config placeholders), never real credentials; unknowns (a preview
 * before the resource exists) become a string placeholder.
 */
export function plainValues(value: unknown): any {
    if (value === UNKNOWN) return "unknown-placeholder";
    if (Array.isArray(value)) return value.map(plainValues);
    if (value && typeof value === "object") {
        const o = value as Record<string, unknown>;
        if (o[SECRET_SIG] === "1b47061264138c4ac30d75fd1eb44270") return plainValues(o.value);
        return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, plainValues(v)]));
    }
    return value;
}

export function releaseSpecs(graph: StackGraph): ReleaseSpec[] {
    return graph.ofType("kubernetes:helm.sh/v3:Release").map((r) => ({
        resourceName: r.name,
        releaseName: r.inputs.name,
        namespace: r.inputs.namespace,
        chart: r.inputs.chart,
        version: r.inputs.version,
        values: plainValues(r.inputs.values ?? {}),
        includeCrds: !r.inputs.skipCrds,
    }));
}

/** Kubernetes version of the stack's cluster, for `--kube-version`. */
export function kubeVersion(graph: StackGraph): string {
    return graph.one("aws:eks/cluster:Cluster").inputs.version;
}

/** Every `kubernetes:*` object the program registers itself (not Helm releases, not the provider). */
export function programObjects(graph: StackGraph): K8sObject[] {
    return graph.resources
        .filter((r: RecordedResource) => r.type.startsWith("kubernetes:") && r.type !== "kubernetes:helm.sh/v3:Release" && r.type !== "pulumi:providers:kubernetes")
        .map((r) => withoutNulls(plainValues(r.inputs)) as K8sObject);
}

/** YAML stream from `helm template` as objects, empty documents and nulls dropped. */
export function parseManifests(yaml: string, namespace: string, clusterScoped: (o: K8sObject) => boolean): K8sObject[] {
    return (loadYamlStream(yaml) as Array<K8sObject | null>)
        .filter((o): o is K8sObject => !!o && typeof o === "object" && !!o.kind)
        // `kind: List` is kubectl's envelope, not an object: the API server sees its items.
        .flatMap((o) => (o.apiVersion === "v1" && o.kind === "List" ? ((o.items ?? []) as K8sObject[]) : [o]))
        .map((o) => withoutNulls(o) as K8sObject)
        .map((o) => ({ ...o, metadata: o.metadata ?? {} }) as K8sObject)
        .map((o) => (clusterScoped(o) || o.metadata.namespace ? o : { ...o, metadata: { ...o.metadata, namespace } }));
}

/** The API server drops null fields; so do the checks. */
export function withoutNulls(value: unknown): unknown {
    if (Array.isArray(value)) return value.map(withoutNulls);
    if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null).map(([k, v]) => [k, withoutNulls(v)]));
    return value;
}

export interface RenderedStack {
    stack: string;
    releases: (ReleaseSpec & { manifests: K8sObject[]; /** `helm template` output as is. */ yaml: string })[];
    /** Everything: rendered and program-owned. */
    manifests: Manifest[];
}

const templates = new Map<string, Promise<{ yaml: string; objects: K8sObject[] }>>();

/**
 * `helm template`, parsed, once per distinct release input in a process: stacks that share a release
 * (a shipped stack file and its fixture) render and parse it once. Callers must not mutate the objects.
 */
function templateOnce(args: TemplateArgs): Promise<{ yaml: string; objects: K8sObject[] }> {
    const key = JSON.stringify(args);
    if (!templates.has(key)) templates.set(key, parsedTemplate(args));
    return templates.get(key)!;
}

/**
 * `helm template` and its parse, the objects kept in the result cache as JSON (read ten times faster than
 * the YAML is parsed) beside the render, under the render's own inputs and the code that parses. A parse
 * JSON cannot carry exactly (a `.nan`, say) is kept as null: that YAML is parsed again on every read.
 */
async function parsedTemplate(args: TemplateArgs): Promise<{ yaml: string; objects: K8sObject[] }> {
    const parse = (yaml: string) => parseManifests(yaml, args.namespace, () => true);
    const yaml = await helmTemplate(args);
    const inputs = { template: templateCall(args).inputs, parser: parserDigest() };
    let parsed: K8sObject[] | undefined;
    const kept = await cachedResult("helm-manifests", inputs, async () => {
        parsed = parse(yaml);
        return isDeepStrictEqual(JSON.parse(JSON.stringify(parsed)), parsed) ? parsed : null;
    });
    return { yaml, objects: parsed ?? kept ?? parse(yaml) };
}

let parser: string | undefined;
/** The code behind a parse: this module, the YAML stream reader and the two YAML libraries. */
function parserDigest(): string {
    parser ??= moduleDigest([__filename, require.resolve("./yaml-stream")], ["js-yaml", "yaml"]);
    return parser;
}

/** Told of each release as soon as its chart has rendered (the releases render in parallel). */
export type OnRendered = (release: ReleaseSpec, objects: number) => void;

/** How `renderStack` renders; every field optional. */
export interface RenderOptions {
    /** Changes a release before it renders (a test's value edit). */
    override?: (spec: ReleaseSpec) => ReleaseSpec;
    onRendered?: OnRendered;
    /** `--kube-version`: the stack's cluster version unless told (`npm run upgrade-check` renders at the target). */
    kubeVersion?: string;
    /** Folders holding `<chart>-<version>` (`chartSearchDirs()` unless told; tests add their fixture charts). */
    chartDirs?: string[];
    /** Releases to render (all unless told): a chart whose kubeVersion excludes the version would fail Helm. */
    include?: (spec: ReleaseSpec) => boolean;
}

/** Renders every release of the stack (in parallel) and joins the program's own objects. */
export async function renderStack(graph: StackGraph, schemas: Scopes, options: RenderOptions = {}): Promise<RenderedStack> {
    const version = options.kubeVersion ?? kubeVersion(graph);
    const releases = await Promise.all(
        releaseSpecs(graph)
            .filter((spec) => options.include?.(spec) ?? true)
            .map(async (original) => {
                const spec = options.override ? options.override(original) : original;
                const chart = resolveChart({ chart: spec.chart, version: spec.version }, options.chartDirs);
                const { yaml, objects } = await templateOnce({ ...spec, chartDir: chart.dir, kubeVersion: version });
                options.onRendered?.(original, objects.length);
                return { ...spec, yaml, objects };
            }),
    ).then((all) =>
        all.map(({ objects, ...r }) => {
            // Charts ship CRDs the reference may not hold; their schemas validate the custom objects too.
            for (const o of objects) if (o.kind === "CustomResourceDefinition") schemas.addCrd(o);
            return { ...r, objects };
        }),
    ).then((all) =>
        all.map(({ objects, ...r }) => ({
            ...r,
            manifests: objects.map((o) => (schemas.clusterScoped(o) || o.metadata.namespace ? o : { ...o, metadata: { ...o.metadata, namespace: r.namespace } })),
        })),
    );
    const manifests: Manifest[] = [
        ...releases.flatMap((r) => r.manifests.map((object) => ({ source: r.releaseName, object }))),
        ...programObjects(graph).map((object) => ({ source: "program", object })),
    ];
    return { stack: graph.stack, releases, manifests };
}

import { Validator } from "@cfworker/json-schema";
import * as fs from "fs";
import * as path from "path";
import { parseAllDocuments } from "yaml";
import type { StackGraph } from "./harness";
import { helmTemplate, resolveChart } from "./helm";
import type { RecordedResource } from "./mocks";
import { referenceDir } from "./reference";

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
    return parseAllDocuments(yaml)
        .map((d) => d.toJS() as K8sObject | null)
        .filter((o): o is K8sObject => !!o && typeof o === "object" && !!o.kind)
        // `kind: List` is kubectl's envelope, not an object: the API server sees its items.
        .flatMap((o) => (o.apiVersion === "v1" && o.kind === "List" ? ((o.items ?? []) as K8sObject[]) : [o]))
        .map((o) => ({ ...(withoutNulls(o) as K8sObject), metadata: (withoutNulls(o) as K8sObject).metadata ?? {} }) as K8sObject)
        .map((o) => (clusterScoped(o) || o.metadata.namespace ? o : { ...o, metadata: { ...o.metadata, namespace } }));
}

/** Fields charts fill with certificates generated at render time (`genCA`): different on every render. */
const GENERATED = /^(\s*(?:caBundle|tls\.crt|tls\.key|ca\.crt|ca\.key):\s*)\S+$/gm;

/** `helm template` output with render-time certificates masked, for comparing two renders. */
export function maskGenerated(yaml: string): string {
    return yaml.replace(GENERATED, "$1<generated>");
}

/** The API server drops null fields; so do the checks. */
export function withoutNulls(value: unknown): unknown {
    if (Array.isArray(value)) return value.map(withoutNulls);
    if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null).map(([k, v]) => [k, withoutNulls(v)]));
    return value;
}

export interface RenderedStack {
    stack: string;
    releases: (ReleaseSpec & { manifests: K8sObject[]; missingSubcharts: string[]; /** `helm template` output as is. */ yaml: string })[];
    /** Everything: rendered and program-owned. */
    manifests: Manifest[];
}

/** Renders every release of the stack (in parallel) and joins the program's own objects. */
export async function renderStack(graph: StackGraph, schemas: Scopes, override?: (spec: ReleaseSpec) => ReleaseSpec): Promise<RenderedStack> {
    const version = kubeVersion(graph);
    const releases = await Promise.all(
        releaseSpecs(graph).map(async (original) => {
            const spec = override ? override(original) : original;
            const chart = resolveChart({ chart: spec.chart, version: spec.version });
            const values = chart.disableConditions.reduce((v, condition) => withPath(v, condition.split("."), false), spec.values);
            const yaml = await helmTemplate({ ...spec, values, chartDir: chart.dir, kubeVersion: version });
            return { ...spec, yaml, missingSubcharts: chart.missingSubcharts };
        }),
    ).then((all) =>
        all.map((r) => {
            const objects = parseManifests(r.yaml, r.namespace, () => true);
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

/** A copy of `values` with `value` at `keys`. */
export function withPath(values: Record<string, unknown>, keys: string[], value: unknown): Record<string, unknown> {
    const [head, ...rest] = keys;
    const inner = values[head];
    return { ...values, [head]: rest.length === 0 ? value : withPath(inner && typeof inner === "object" ? (inner as Record<string, unknown>) : {}, rest, value) };
}

const rendered = new Map<string, Promise<RenderedStack>>();

/** `renderStack` once per stack and test run; the render tests share it. */
export function renderedStack(graph: StackGraph): Promise<RenderedStack> {
    if (!rendered.has(graph.stack)) rendered.set(graph.stack, renderStack(graph, schemaValidator()));
    return rendered.get(graph.stack)!;
}

/** What rendering needs to know about kinds: which are cluster-scoped, and the CRDs charts ship. */
export interface Scopes {
    clusterScoped(o: K8sObject): boolean;
    addCrd(crd: K8sObject): void;
}

/** Cluster-scoped built-in kinds, for rendering without the Kubernetes swagger at hand. */
const CLUSTER_SCOPED_KINDS = [
    "Namespace", "Node", "PersistentVolume", "ClusterRole", "ClusterRoleBinding", "CustomResourceDefinition", "StorageClass", "CSIDriver",
    "PriorityClass", "IngressClass", "RuntimeClass", "APIService", "MutatingWebhookConfiguration", "ValidatingWebhookConfiguration",
    "ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding",
];

/** Scopes from a fixed list plus the CRDs seen; `npm run render` uses it when ../shared/reference is absent. */
export function basicScopes(): Scopes {
    const crds = new Map<string, string>();
    return {
        clusterScoped: (o) => CLUSTER_SCOPED_KINDS.includes(o.kind) || crds.get(`${o.apiVersion.split("/")[0]}/${o.kind}`) === "Cluster",
        addCrd: (crd) => void crds.set(`${crd.spec.group}/${crd.spec.names.kind}`, crd.spec.scope),
    };
}

/**
 * Strict schema checks: built-in kinds against the Kubernetes swagger, custom kinds against their
 * CRD's openAPIV3Schema. Unknown fields fail, as with `kubectl apply --validate=strict`.
 */
export class SchemaValidator implements Scopes {
    private readonly definitions: Record<string, any>;
    private readonly byGvk = new Map<string, string>();
    private readonly clusterScopedKinds = new Set<string>();
    private readonly crds = new Map<string, { scope: string; schema: any }>();
    private readonly validators = new Map<string, Validator>();

    constructor(swagger: any) {
        this.definitions = {};
        for (const [name, def] of Object.entries<any>(swagger.definitions)) {
            this.definitions[name] = closeSchema(def);
            for (const gvk of def["x-kubernetes-group-version-kind"] ?? []) this.byGvk.set(gvkKey(gvk.group, gvk.version, gvk.kind), name);
        }
        for (const [p, item] of Object.entries<any>(swagger.paths)) {
            const gvk = item.post?.["x-kubernetes-group-version-kind"];
            if (gvk && !p.includes("{namespace}")) this.clusterScopedKinds.add(gvkKey(gvk.group, gvk.version, gvk.kind));
        }
    }

    /** Adds a CustomResourceDefinition (from the reference or rendered by a chart). */
    addCrd(crd: K8sObject): void {
        for (const v of crd.spec.versions ?? []) {
            if (!v.served || !v.schema?.openAPIV3Schema) continue;
            this.crds.set(gvkKey(crd.spec.group, v.name, crd.spec.names.kind), { scope: crd.spec.scope, schema: closeSchema(v.schema.openAPIV3Schema, true) });
        }
    }

    clusterScoped(o: K8sObject): boolean {
        const key = gvkOf(o);
        return this.clusterScopedKinds.has(key) || this.crds.get(key)?.scope === "Cluster";
    }

    /** Problems with `o`; empty when the API server would accept it. */
    errors(o: K8sObject): string[] {
        const key = gvkOf(o);
        let validator = this.validators.get(key);
        if (!validator) {
            const definition = this.byGvk.get(key);
            const schema = definition ? { $ref: `#/definitions/${definition}`, definitions: this.reachable(definition) } : this.crds.get(key)?.schema;
            if (!schema) return [`no schema for ${o.apiVersion} ${o.kind} (neither Kubernetes 1.35 nor a known CRD)`];
            validator = new Validator(schema, "7", false);
            this.validators.set(key, validator);
        }
        const result = validator.validate(o);
        if (result.valid) return [];
        const all = result.errors.map((e) => ({ keyword: e.keyword, text: `${e.instanceLocation} ${e.error}` }));
        const innermost = all.filter((e) => !["properties", "items", "anyOf", "allOf", "$ref", "additionalProperties"].includes(e.keyword));
        return (innermost.length > 0 ? innermost : all).map((e) => e.text);
    }

    /** The definitions one kind refers to, transitively (the whole swagger makes each validator slow). */
    private reachable(root: string): Record<string, any> {
        const out: Record<string, any> = {};
        const visit = (name: string) => {
            if (out[name]) return;
            out[name] = this.definitions[name];
            JSON.stringify(out[name], (k, v) => {
                if (k === "$ref" && typeof v === "string") visit(v.replace("#/definitions/", ""));
                return v;
            });
        };
        visit(root);
        return out;
    }
}

const gvkKey = (group: string, version: string, kind: string) => `${group ? `${group}/` : ""}${version}/${kind}`;
const gvkOf = (o: K8sObject) => `${o.apiVersion}/${o.kind}`;

/**
 * Copy of a schema closed against unknown fields (objects that list properties and do not preserve
 * unknown fields), with the swagger's string-typed int-or-string and Quantity opened to numbers.
 */
export function closeSchema(schema: any, root = false): any {
    if (Array.isArray(schema)) return schema.map((s) => closeSchema(s));
    if (schema === null || typeof schema !== "object") return schema;
    if (schema.format === "int-or-string" || /^Quantity is a fixed-point/.test(schema.description ?? "")) return { type: ["string", "number"] };
    const copy: any = {};
    for (const [k, v] of Object.entries(schema)) {
        if (k === "description" || k.startsWith("x-kubernetes-group")) continue;
        copy[k] = k === "properties" ? Object.fromEntries(Object.entries(v as object).map(([p, s]) => [p, closeSchema(s)])) : closeSchema(v);
    }
    if (copy.properties && copy.additionalProperties === undefined && !copy["x-kubernetes-preserve-unknown-fields"]) {
        copy.additionalProperties = false;
        if (root) for (const k of ["apiVersion", "kind", "metadata"]) copy.properties[k] ??= {};
    }
    return copy;
}

let sharedValidator: SchemaValidator | undefined;

/** Kubernetes 1.35 plus every reference CRD (Karpenter, External Secrets, Argo CD, Prometheus Operator). */
export function schemaValidator(): SchemaValidator {
    if (sharedValidator) return sharedValidator;
    const v = new SchemaValidator(JSON.parse(fs.readFileSync(path.join(referenceDir, "kubernetes", "swagger-1.35.json"), "utf8")));
    for (const file of referenceCrdFiles()) {
        for (const d of parseAllDocuments(fs.readFileSync(file, "utf8"))) {
            const o = d.toJS();
            if (o?.kind === "CustomResourceDefinition" && !JSON.stringify(o).includes("{{")) v.addCrd(o);
        }
    }
    return (sharedValidator = v);
}

function referenceCrdFiles(): string[] {
    const walk = (dir: string): string[] =>
        fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? (e.name === "charts" ? [] : walk(path.join(dir, e.name))) : /\.ya?ml$/.test(e.name) ? [path.join(dir, e.name)] : []));
    return fs
        .readdirSync(referenceDir, { withFileTypes: true })
        .filter((e) => e.isDirectory() && e.name !== "charts" && e.name !== "kubernetes")
        .flatMap((e) => walk(path.join(referenceDir, e.name)))
        .filter((f) => /kind:\s*CustomResourceDefinition/.test(fs.readFileSync(f, "utf8").slice(0, 4000)));
}

/** The stacks the render tests cover; one list to switch to the all-stacks helper when it lands. */
export const RENDER_STACKS = ["dev", "prod"] as const;

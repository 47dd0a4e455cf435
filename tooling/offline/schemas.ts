import { Validator } from "@cfworker/json-schema";
import * as fs from "fs";
import * as path from "path";
import { KUBERNETES_VERSIONS } from "../../components/versions";
import { AUTO_MODE_CRDS } from "./auto-mode-crds";
import { celRuleViolations } from "./cel";
import { loadYamlStream } from "./yaml-stream";
import { referenceDir } from "./paths";
import type { K8sObject } from "./render";

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
    const crds = new Map<string, string>(AUTO_MODE_CRDS.map((crd) => [`${crd.spec.group}/${crd.spec.names.kind}`, crd.spec.scope]));
    return {
        clusterScoped: (o) => CLUSTER_SCOPED_KINDS.includes(o.kind) || crds.get(`${o.apiVersion.split("/")[0]}/${o.kind}`) === "Cluster",
        addCrd: (crd) => void crds.set(`${crd.spec.group}/${crd.spec.names.kind}`, crd.spec.scope),
    };
}

/**
 * Strict schema checks: built-in kinds against the Kubernetes swagger, custom kinds against their
 * CRD's openAPIV3Schema and its CEL rules. Unknown fields fail, as with `kubectl apply --validate=strict`.
 */
export class SchemaValidator implements Scopes {
    private readonly definitions: Record<string, any>;
    private readonly byGvk = new Map<string, string>();
    private readonly clusterScopedKinds = new Set<string>();
    private readonly crds = new Map<string, { scope: string; schema: any; rules: any }>();
    private readonly validators = new Map<string, Validator>();

    /** `version`: the Kubernetes version the swagger describes, for messages. */
    constructor(swagger: any, readonly version: string = KUBERNETES_VERSIONS.default) {
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
            this.crds.set(gvkKey(crd.spec.group, v.name, crd.spec.names.kind), { scope: crd.spec.scope, schema: closeSchema(v.schema.openAPIV3Schema, true), rules: v.schema.openAPIV3Schema });
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
            if (!schema) return [`no schema for ${o.apiVersion} ${o.kind} (neither Kubernetes ${this.version} nor a known CRD)`];
            validator = new Validator(schema, "7", false);
            this.validators.set(key, validator);
        }
        const result = validator.validate(o);
        // A custom resource the schema admits meets its CRD's CEL rules too (x-kubernetes-validations, as on create).
        if (result.valid) return this.crds.has(key) ? celRuleViolations(this.crds.get(key)!.rules, o) : [];
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

const sharedValidators = new Map<string, SchemaValidator>();

/** Where the reference keeps the Kubernetes OpenAPI (v2) document of `version`. */
export function swaggerFile(version: string): string {
    return path.join(referenceDir, "kubernetes", `swagger-${version}.json`);
}

const swaggers = new Map<string, any>();

/** The parsed swagger of `version`, read once per process (4 MB). */
export function loadSwagger(version: string): any {
    if (!swaggers.has(version)) swaggers.set(version, JSON.parse(fs.readFileSync(swaggerFile(version), "utf8")));
    return swaggers.get(version);
}

/**
 * Kubernetes `version` (the default, KUBERNETES_VERSIONS.default, unless told) plus every reference CRD
 * (Karpenter, External Secrets, Argo CD, Prometheus Operator) and Auto Mode's modelled ones; one per version and process.
 */
export function schemaValidator(version: string = KUBERNETES_VERSIONS.default): SchemaValidator {
    const shared = sharedValidators.get(version);
    if (shared) return shared;
    const v = new SchemaValidator(loadSwagger(version), version);
    for (const crd of knownCrds()) v.addCrd(crd);
    sharedValidators.set(version, v);
    return v;
}

let crds: K8sObject[] | undefined;

/** Every CustomResourceDefinition of the reference outside charts/ (those the charts ship render with them). */
export function referenceCrds(): K8sObject[] {
    crds ??= referenceCrdFiles().flatMap((file) =>
        (loadYamlStream(fs.readFileSync(file, "utf8")) as any[]).filter((o) => o?.kind === "CustomResourceDefinition" && !JSON.stringify(o).includes("{{")),
    );
    return crds;
}

/**
 * The reference CRDs and Auto Mode's NodeClass and IngressClassParams, for which no reference CRD exists (a
 * model of their documented fields, tooling/offline/auto-mode-crds.ts).
 */
export function knownCrds(): K8sObject[] {
    return [...referenceCrds(), ...(AUTO_MODE_CRDS as unknown as K8sObject[])];
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

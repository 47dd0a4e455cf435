import { Validator } from "@cfworker/json-schema";
import { celRuleViolations } from "../../tooling/offline/cel";
import { referenceYamlDocuments } from "./reference";

interface CrdVersion {
    name: string;
    served: boolean;
    schema: { openAPIV3Schema: any };
}

/**
 * The API server's view of a custom resource, as far as a JSON-schema validator can take it:
 * the CRD's openAPIV3Schema, unknown fields rejected (as `kubectl apply` with strict field
 * validation does) except under x-kubernetes-preserve-unknown-fields, then its `x-kubernetes-validations`
 * CEL rules at every level, as on create (tooling/offline/cel.ts).
 */
export class CrdValidator {
    private readonly versions = new Map<string, { served: boolean; validator: Validator; schema: any }>();
    readonly group: string;
    readonly kind: string;

    constructor(file: string) {
        const crd = referenceYamlDocuments(file).find((d) => d?.kind === "CustomResourceDefinition");
        if (!crd) throw new Error(`${file} holds no CustomResourceDefinition`);
        this.group = crd.spec.group;
        this.kind = crd.spec.names.kind;
        for (const v of crd.spec.versions as CrdVersion[]) {
            // An interpreting validator: the large CRDs (ApplicationSet) cost seconds to compile to code.
            const validator = new Validator(closed(v.schema.openAPIV3Schema, true), "7", false);
            this.versions.set(`${this.group}/${v.name}`, { served: v.served, validator, schema: v.schema.openAPIV3Schema });
        }
    }

    /** Problems with `object`, empty when the API server would accept it. */
    errors(object: Record<string, any>): string[] {
        if (object.kind !== this.kind) return [`kind ${object.kind} is not ${this.kind}`];
        const version = this.versions.get(object.apiVersion);
        if (!version) return [`apiVersion ${object.apiVersion} is not defined by the ${this.kind} CRD (${[...this.versions.keys()].join(", ")})`];
        if (!version.served) return [`apiVersion ${object.apiVersion} is not served`];
        const result = version.validator.validate(object);
        // As the API server: the rules run on an object the schema admits (their expressions assume its types).
        if (result.valid) return celRuleViolations(version.schema, object);
        // The validator reports each failure and every enclosing one; the innermost say what is wrong.
        const all = result.errors.map((e) => ({ keyword: e.keyword, text: `${e.instanceLocation} ${e.error}` }));
        const innermost = all.filter((e) => !["properties", "items", "anyOf", "allOf", "additionalProperties"].includes(e.keyword) || all.length === 1);
        return (innermost.length > 0 ? innermost : all).map((e) => e.text);
    }
}

/** Copies a schema, closing every object that lists its properties and does not preserve unknown fields. */
function closed(schema: any, root = false): any {
    if (Array.isArray(schema)) return schema.map((s) => closed(s));
    if (schema === null || typeof schema !== "object") return schema;
    const copy: any = {};
    for (const [k, v] of Object.entries(schema)) copy[k] = k === "properties" ? mapValues(v as object, (s) => closed(s)) : closed(v);
    if (copy.type === "object" && copy.properties && copy.additionalProperties === undefined && !copy["x-kubernetes-preserve-unknown-fields"]) {
        copy.additionalProperties = false;
        // apiVersion/kind/metadata are checked by the API server itself, not by the schema.
        if (root) for (const k of ["apiVersion", "kind", "metadata"]) copy.properties[k] ??= {};
    }
    return copy;
}

function mapValues(o: object, f: (v: any) => any): object {
    return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, f(v)]));
}

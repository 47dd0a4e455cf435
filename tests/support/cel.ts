/** ValidatingAdmissionPolicies decided as the API server decides them, on the CEL of tooling/offline/cel.ts. */
import type { CelInput } from "@bufbuild/cel";
import { evaluate, holds, messageOf, toCel } from "../../tooling/offline/cel";

export interface AdmissionRequest {
    operation: "CREATE" | "UPDATE";
    object: Record<string, any>;
    oldObject?: Record<string, any>;
    /** `ephemeralcontainers` for `kubectl debug` on a pod. */
    subResource?: string;
    namespaceObject?: Record<string, any>;
}

export interface AdmissionDecision {
    /** The request matched the policy's rules and every match condition. */
    matched: boolean;
    /** Messages of the failed validations (or errors: the policies fail closed); empty when admitted. */
    denied: string[];
}

const resourceOf = (kind: string) => `${kind.toLowerCase()}s`;

/**
 * The policy's decision on one request, as the API server reaches it (rules, match conditions, variables,
 * validations), with `object`, `oldObject`, `request`, `params` (none) and `namespaceObject` bound.
 * `authorizer` is not modelled: an expression that uses it fails here.
 */
export function admit(spec: any, req: AdmissionRequest): AdmissionDecision {
    const [group, version] = req.object.apiVersion.includes("/") ? req.object.apiVersion.split("/") : ["", req.object.apiVersion];
    const resource = resourceOf(req.object.kind);
    const requested = req.subResource ? `${resource}/${req.subResource}` : resource;
    const any = (list: string[] | undefined, x: string) => (list ?? []).some((v) => v === "*" || v === x);
    const ruleMatches = (spec.matchConstraints?.resourceRules ?? []).some(
        (r: any) => any(r.apiGroups, group) && any(r.apiVersions, version) && any(r.resources, requested) && any(r.operations, req.operation),
    );
    if (!ruleMatches) return { matched: false, denied: [] };
    const failClosed = (spec.failurePolicy ?? "Fail") === "Fail";
    const bindings: Record<string, CelInput> = {
        object: toCel(req.object),
        oldObject: toCel(req.oldObject ?? null),
        params: null,
        namespaceObject: toCel(req.namespaceObject ?? null),
        request: toCel({
            operation: req.operation,
            kind: { group, version, kind: req.object.kind },
            resource: { group, version, resource },
            subResource: req.subResource ?? "",
            name: req.object.metadata?.name ?? "",
            namespace: req.object.metadata?.namespace ?? "",
            userInfo: { username: "system:serviceaccount:argocd:argocd-application-controller" },
            dryRun: false,
        }),
    };
    const errors: string[] = [];
    for (const c of spec.matchConditions ?? []) {
        try {
            if (!holds(c.expression, bindings)) return { matched: false, denied: [] };
        } catch (e) {
            errors.push(`matchCondition ${c.name}: ${(e as Error).message}`);
        }
    }
    if (errors.length > 0) return { matched: failClosed, denied: failClosed ? errors : [] };
    // The API server evaluates variables lazily; eagerly here, so a variable that errors fails the request
    // even where no validation reads it: stricter, never laxer.
    const variables = new Map<string, CelInput>();
    const withVariables = () => ({ ...bindings, variables: variables });
    // A variable's value is already a CEL value; it goes back in as one.
    for (const v of spec.variables ?? []) variables.set(v.name, evaluate(v.expression, withVariables()) as CelInput);
    const denied: string[] = [];
    for (const v of spec.validations ?? []) {
        try {
            if (!holds(v.expression, withVariables())) denied.push(messageOf(v.messageExpression, withVariables()) ?? v.message ?? `failed expression: ${v.expression}`);
        } catch (e) {
            if (failClosed) denied.push((e as Error).message);
        }
    }
    return { matched: true, denied };
}

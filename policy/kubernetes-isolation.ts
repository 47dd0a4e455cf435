import { SecurityCheck, ofTypes } from "./check";
import { chartName } from "./helm";
import { isRecord, isTrue, list } from "./values";

// Kubernetes objects the program registers itself appear in the graph as `kubernetes:<group>/<version>:<Kind>`
// with their manifest as props; Helm releases as `kubernetes:helm.sh/v3:Release` with their values.

const NAMESPACE = "kubernetes:core/v1:Namespace";
const CLUSTER_SECRET_STORES = ["kubernetes:external-secrets.io/v1:ClusterSecretStore", "kubernetes:external-secrets.io/v1beta1:ClusterSecretStore"];
const INGRESS_CLASS = "kubernetes:networking.k8s.io/v1:IngressClass";
const RELEASE_TYPES = ["kubernetes:helm.sh/v3:Release", "kubernetes:helm.sh/v4:Chart"];
const LEVELS = ["privileged", "baseline", "restricted"];
const ALB_CONTROLLER = "ingress.k8s.aws/alb";

const metadataOf = (props: Record<string, unknown>) => (isRecord(props.metadata) ? props.metadata : {});
const specOf = (props: Record<string, unknown>) => (isRecord(props.spec) ? props.spec : {});

export const namespacePodSecurity: SecurityCheck = {
    name: "kubernetes-namespace-pod-security",
    checks: ["BP pod security"],
    description:
        "Every Namespace the program creates carries pod-security.kubernetes.io/enforce (privileged, baseline or restricted) and enforce-version labels.",
    appliesTo: ofTypes(NAMESPACE),
    inspect: (r) => {
        const labels = isRecord(metadataOf(r.props).labels) ? (metadataOf(r.props).labels as Record<string, unknown>) : {};
        const enforce = labels["pod-security.kubernetes.io/enforce"];
        const issues = [];
        if (!LEVELS.includes(String(enforce))) issues.push({ check: "BP pod security", message: `Namespace ${r.name} has no Pod Security enforce label (pod-security.kubernetes.io/enforce: ${LEVELS.join(" | ")})` });
        if (!labels["pod-security.kubernetes.io/enforce-version"]) issues.push({ check: "BP pod security", message: `Namespace ${r.name} does not pin pod-security.kubernetes.io/enforce-version` });
        return issues;
    },
};

/** A condition that actually narrows the namespaces: named ones, a non-empty label selector, or regexes. */
function narrows(condition: unknown): boolean {
    if (!isRecord(condition)) return false;
    const selector = isRecord(condition.namespaceSelector) ? condition.namespaceSelector : undefined;
    const selects = !!selector && ((isRecord(selector.matchLabels) && Object.keys(selector.matchLabels).length > 0) || list(selector.matchExpressions as unknown[]).length > 0);
    const regexes = list(condition.namespaceRegexes as unknown[]).map(String);
    // ESO's empty `namespaces` list matches nothing; a catch-all regex matches everything.
    return Array.isArray(condition.namespaces) || selects || (regexes.length > 0 && !regexes.some((x) => /^\^?\.\*\$?$/.test(x)));
}

export const clusterSecretStoreScope: SecurityCheck = {
    name: "kubernetes-secret-store-scope",
    checks: ["BP secret store scope"],
    description:
        "ClusterSecretStores name the namespaces they serve (spec.conditions with namespaces, a non-empty namespaceSelector or namespaceRegexes), so not every namespace can read the account's secrets.",
    appliesTo: ofTypes(...CLUSTER_SECRET_STORES),
    inspect: (r) => {
        const conditions = list(specOf(r.props).conditions as unknown[]);
        return conditions.length > 0 && conditions.every(narrows)
            ? []
            : [{ check: "BP secret store scope", message: `ClusterSecretStore ${r.name} serves every namespace: give spec.conditions naming the namespaces it serves` }];
    },
};

export const albIngressClassParams: SecurityCheck = {
    name: "kubernetes-alb-ingress-class",
    checks: ["BP ingress class"],
    description:
        "Every ALB IngressClass points at IngressClassParams (which fix its scheme), including the one the aws-load-balancer-controller chart creates; the chart's default class forces scheme internal.",
    appliesTo: ofTypes(INGRESS_CLASS, ...RELEASE_TYPES),
    inspect: (r) => {
        if (r.type === INGRESS_CLASS) {
            const spec = specOf(r.props);
            if (spec.controller !== ALB_CONTROLLER) return [];
            const parameters = isRecord(spec.parameters) ? spec.parameters : {};
            return parameters.kind === "IngressClassParams" && parameters.apiGroup === "elbv2.k8s.aws" && parameters.name
                ? []
                : [{ check: "BP ingress class", message: `IngressClass ${r.name} builds ALBs without IngressClassParams, so any Ingress may ask for an internet-facing one` }];
        }
        if (chartName(r) !== "aws-load-balancer-controller") return [];
        const values = isRecord(r.props.values) ? r.props.values : {};
        // The chart creates its class unless told not to (createIngressClassResource defaults to true).
        if (values.createIngressClassResource === false) return [];
        const params = isRecord(values.ingressClassParams) ? values.ingressClassParams : {};
        const spec = isRecord(params.spec) ? params.spec : {};
        return params.create !== false && spec.scheme === "internal" && isTrue(isRecord(values.ingressClassConfig) ? values.ingressClassConfig.default : undefined)
            ? []
            : [{ check: "BP ingress class", message: `release ${r.name} creates an IngressClass that does not force scheme internal (set ingressClassParams.spec.scheme internal and ingressClassConfig.default true, or createIngressClassResource false)` }];
    },
};

export const kubernetesIsolationChecks: SecurityCheck[] = [namespacePodSecurity, clusterSecretStoreScope, albIngressClassParams];

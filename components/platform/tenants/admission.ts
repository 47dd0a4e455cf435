import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { TENANT_LABEL } from "./namespaces";

type PolicySpec = k8s.types.input.admissionregistration.v1.ValidatingAdmissionPolicySpec;
type BindingSpec = k8s.types.input.admissionregistration.v1.ValidatingAdmissionPolicyBindingSpec;
type Validation = k8s.types.input.admissionregistration.v1.Validation;

// The label the application namespaces carry; the bindings select by it.
export { TENANT_LABEL };

/** Where application images may come from: the stack's own ECR repositories and its Docker Hub pull-through cache. */
export interface TenantImages {
    /** `<account>.dkr.ecr.<region>.amazonaws.com`, the stack's account and region. */
    registry: string;
    /** Full names of the stack's repositories (`ecrPrefixWithEnvironment` prefix included), e.g. `dev/team/api`. */
    repositories: string[];
    /** Repository prefix of the stack's Docker Hub pull-through cache, e.g. `docker-hub-dev`. */
    cachePrefix: string;
}

export interface AdmissionManifest {
    apiVersion: "admissionregistration.k8s.io/v1";
    kind: "ValidatingAdmissionPolicy" | "ValidatingAdmissionPolicyBinding";
    metadata: { name: string };
    spec: PolicySpec | BindingSpec;
}

/**
 * Pods, the pod templates of every built-in controller, and ephemeral containers added to a running pod:
 * a bad Deployment is refused when it is applied, not later as pods that never appear.
 */
const WORKLOADS = [
    { apiGroups: [""], apiVersions: ["v1"], resources: ["pods", "pods/ephemeralcontainers"], operations: ["CREATE", "UPDATE"] },
    { apiGroups: ["apps"], apiVersions: ["v1"], resources: ["deployments", "statefulsets", "daemonsets", "replicasets"], operations: ["CREATE", "UPDATE"] },
    { apiGroups: ["batch"], apiVersions: ["v1"], resources: ["jobs", "cronjobs"], operations: ["CREATE", "UPDATE"] },
];

/** The pod spec of a Pod, a CronJob (its job template's) or any other controller (its template's). */
const POD_SPEC =
    "object.kind == 'Pod' ? object.spec : (object.kind == 'CronJob' ? object.spec.jobTemplate.spec.template.spec : object.spec.template.spec)";
const optionalList = (field: string) => `(has(variables.podSpec.${field}) ? variables.podSpec.${field} : [])`;

/** A quoted CEL string literal (registry and repository names hold no quotes or backslashes, but be exact). */
const celString = (s: string) => `'${s.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;
const celList = (items: string[]) => `[${items.map(celString).join(", ")}]`;

/** Prefixes an allowed image starts with: a repository followed by its tag or digest, or anything under the cache. */
export function allowedImagePrefixes(images: TenantImages): string[] {
    return [...images.repositories.flatMap((r) => [`${images.registry}/${r}:`, `${images.registry}/${r}@`]), `${images.registry}/${images.cachePrefix}/`];
}

/** A validation: `ok` holds for every container, else the message names the containers where it does not. */
function rule(ok: string, message: string, offender: "name" | "name and image"): Validation {
    const named = offender === "name" ? "c.name" : "c.name + ' (' + c.image + ')'";
    return {
        expression: `variables.containers.all(c, ${ok})`,
        message,
        messageExpression: `${celString(`${message}; not so: `)} + variables.containers.filter(c, !(${ok})).map(c, ${named}).join(', ')`,
        reason: "Forbidden",
    };
}

/** One policy over every workload kind, with `variables.podSpec` and `variables.containers` (ephemeral ones unless told). */
function policy(validations: Validation[], ephemeral: boolean, variables: { name: string; expression: string }[] = []): PolicySpec {
    const containers = [`variables.podSpec.containers`, optionalList("initContainers"), ...(ephemeral ? [optionalList("ephemeralContainers")] : [])];
    return {
        failurePolicy: "Fail",
        matchConstraints: { resourceRules: WORKLOADS },
        // Metadata-only updates (labels, finalizers, Argo CD's tracking annotation) of objects that predate the
        // policy go through: refusing them could keep a finalizer on an object nobody can then delete.
        matchConditions: [{ name: "spec-created-or-changed", expression: "request.operation != 'UPDATE' || object.spec != oldObject.spec" }],
        variables: [{ name: "podSpec", expression: POD_SPEC }, { name: "containers", expression: containers.join(" + ") }, ...variables],
        validations,
    };
}

/** The policies' names (cluster-scoped; each binding is named after its policy). */
export const ADMISSION_POLICIES = ["application-images", "application-resources", "application-host-ports", "application-rbac"] as const;

/**
 * What a tenant's Role may never grant: the objects that set its own boundary (network, quota, defaults) and
 * RBAC itself. Argo CD's controller holds these rights, so Kubernetes' escalation check would not stop a Role
 * from the GitOps repository granting them to the application's service account.
 */
export const TENANT_FORBIDDEN_RESOURCES = ["networkpolicies", "resourcequotas", "limitranges", "roles", "rolebindings"] as const;
const TENANT_FORBIDDEN_VERBS = ["escalate", "bind", "impersonate"];

/**
 * Roles and RoleBindings of an application namespace: a binding names a Role of the namespace (a ClusterRole
 * such as `admin` or `edit` would grant NetworkPolicies and RBAC) and only the namespace's own service accounts
 * (a user, group or another namespace's account would reach into the tenant); a Role grants no wildcard and
 * nothing of TENANT_FORBIDDEN_RESOURCES or TENANT_FORBIDDEN_VERBS.
 */
function rbacPolicy(): PolicySpec {
    const forbidden = celList([...TENANT_FORBIDDEN_RESOURCES]);
    const resourceOk = `!(x == '*' || x in ${forbidden} || ${forbidden}.exists(f, x.startsWith(f + '/')))`;
    const ruleOk = [
        "!(has(r.apiGroups) && r.apiGroups.exists(g, g == '*'))",
        `!has(r.resources) || r.resources.all(x, ${resourceOk})`,
        `r.verbs.all(v, v != '*' && !(v in ${celList(TENANT_FORBIDDEN_VERBS)}))`,
        "!has(r.nonResourceURLs)",
    ]
        .map((clause) => `(${clause})`)
        .join(" && ");
    return {
        failurePolicy: "Fail",
        matchConstraints: {
            resourceRules: [{ apiGroups: ["rbac.authorization.k8s.io"], apiVersions: ["v1"], resources: ["roles", "rolebindings"], operations: ["CREATE", "UPDATE"] }],
        },
        validations: [
            {
                expression: "object.kind != 'RoleBinding' || object.roleRef.kind == 'Role'",
                message: "a RoleBinding here may bind only a Role of this namespace, not a ClusterRole (admin and edit grant NetworkPolicies and RBAC)",
                reason: "Forbidden",
            },
            {
                expression:
                    "object.kind != 'RoleBinding' || !has(object.subjects) || object.subjects.all(s, s.kind == 'ServiceAccount' && (!has(s.namespace) || s.namespace == object.metadata.namespace))",
                message: "a RoleBinding here may name only service accounts of this namespace",
                reason: "Forbidden",
            },
            {
                expression: `object.kind != 'Role' || !has(object.rules) || object.rules.all(r, ${ruleOk})`,
                message: `a Role here may grant no wildcard, no ${[...TENANT_FORBIDDEN_RESOURCES].join(", ")} and no ${TENANT_FORBIDDEN_VERBS.join(", ")}`,
                reason: "Forbidden",
            },
        ],
    };
}

/** The policies: three over workloads, each naming the containers at fault, and one over the tenant's RBAC. */
export function admissionPolicySpecs(images: TenantImages): Record<(typeof ADMISSION_POLICIES)[number], PolicySpec> {
    const allowed = [...images.repositories.map((r) => `${images.registry}/${r}`), `${images.registry}/${images.cachePrefix}/*`].join(", ");
    // A tag is the text after the last `:` in the last path segment; a digest pins the image whatever the tag says.
    // An `@` that starts no valid digest is a malformed reference, not a tag.
    const pinned = `c.image.matches('@sha256:[0-9a-f]{64}$') || (!c.image.contains('@') && c.image.matches(':[^/:]+$') && !c.image.endsWith(':latest'))`;
    const limits = ["requests", "limits"].flatMap((kind) => ["cpu", "memory"].map((r) => `'${r}' in c.resources.${kind}`));
    const resources = ["has(c.resources)", "has(c.resources.requests)", "has(c.resources.limits)", ...limits].join(" && ");
    return {
        "application-images": policy(
            [
                rule("variables.allowed.exists(p, c.image.startsWith(p))", `images must come from the stack's ECR repositories: ${allowed}`, "name and image"),
                rule(pinned, "images need a tag other than latest, or a digest (@sha256:...)", "name and image"),
            ],
            true,
            [{ name: "allowed", expression: celList(allowedImagePrefixes(images)) }],
        ),
        // Ephemeral containers may not set resources (the API forbids it: they use the pod's), so they are left out here.
        "application-resources": policy(
            [rule(resources, "every container and init container needs resources.requests and resources.limits for cpu and memory", "name")],
            false,
        ),
        "application-host-ports": policy(
            [rule("!has(c.ports) || c.ports.all(p, !has(p.hostPort) || p.hostPort == 0)", "containers may not use hostPort (expose them through a Service)", "name")],
            true,
        ),
        "application-rbac": rbacPolicy(),
    };
}

/**
 * The policies and their bindings. Deny in every environment: dev and staging auto-sync from the GitOps
 * repository, so a warning there would be read by nobody, and a chart that only warns in dev fails first in prod.
 */
export function admissionManifests(images: TenantImages): AdmissionManifest[] {
    return Object.entries(admissionPolicySpecs(images)).flatMap(([name, spec]): AdmissionManifest[] => [
        { apiVersion: "admissionregistration.k8s.io/v1", kind: "ValidatingAdmissionPolicy", metadata: { name }, spec },
        {
            apiVersion: "admissionregistration.k8s.io/v1",
            kind: "ValidatingAdmissionPolicyBinding",
            metadata: { name },
            spec: { policyName: name, validationActions: ["Deny"], matchResources: { namespaceSelector: { matchLabels: { ...TENANT_LABEL } } } },
        },
    ]);
}

export interface TenantAdmissionArgs {
    /** The application namespaces (`gitopsEnvironments`); none, no policies. */
    namespaces: string[];
    /** The stack's registry (an output: the account is looked up), repositories and cache prefix. */
    images: Omit<TenantImages, "registry"> & { registry: pulumi.Input<string> };
    /** The cluster's provider. */
    provider: k8s.Provider;
    /** The cluster: the policies go with it. */
    cluster: pulumi.Resource;
    /** What must exist first (the namespaces). */
    dependsOn?: pulumi.Input<pulumi.Resource>[];
}

/** ValidatingAdmissionPolicies (no extra engine) refusing unpinned, foreign, unbounded or host-port workloads, and RBAC that would widen a tenant, in the application namespaces. */
export class TenantAdmission extends pulumi.ComponentResource {
    readonly resources: pulumi.Resource[] = [];

    constructor(name: string, args: TenantAdmissionArgs, opts?: pulumi.ComponentResourceOptions) {
        super("eks-platform:platform:TenantAdmission", name, {}, opts);
        if (args.namespaces.length > 0) {
            const manifests = pulumi.output(args.images.registry).apply((registry) => admissionManifests({ ...args.images, registry }));
            // Names are known before the registry is: one resource per manifest, its spec from the resolved list.
            admissionManifests({ ...args.images, registry: "" }).forEach((m, i) => {
                const child = { parent: this, provider: args.provider, deletedWith: args.cluster, dependsOn: args.dependsOn };
                const spec = manifests.apply((all) => all[i].spec);
                this.resources.push(
                    m.kind === "ValidatingAdmissionPolicy"
                        ? new k8s.admissionregistration.v1.ValidatingAdmissionPolicy(`${name}-${m.metadata.name}`, { metadata: m.metadata, spec: spec as pulumi.Output<PolicySpec> }, child)
                        : new k8s.admissionregistration.v1.ValidatingAdmissionPolicyBinding(`${name}-${m.metadata.name}-binding`, { metadata: m.metadata, spec: spec as pulumi.Output<BindingSpec> }, child),
                );
            });
        }
        this.registerOutputs({});
    }
}

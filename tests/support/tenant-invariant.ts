import { expect } from "chai";
import { POD_SECURITY_VERSION } from "../../components/shared/namespace";
import type { StackGraph } from "../../tooling/offline/harness";
import type { StackFile, StackInvariant } from "./stack-invariants";
import { amount, projectPermits } from "./tenants";

const list = (x: unknown): string[] => (x === undefined || x === null ? [] : Array.isArray(x) ? x.map(String) : [String(x)]);

/** `group/Kind` (the core group empty) as Argo CD's group and kind. */
const groupKinds = (names: string[]) => names.map((n) => ({ group: n.slice(0, n.lastIndexOf("/")), kind: n.slice(n.lastIndexOf("/") + 1) }));

/** Cluster-scoped kinds a GitOps commit could use to reach beyond its namespace. */
const CLUSTER_SCOPED = groupKinds([
    "/Namespace",
    "/PersistentVolume",
    "rbac.authorization.k8s.io/ClusterRole",
    "rbac.authorization.k8s.io/ClusterRoleBinding",
    "apiextensions.k8s.io/CustomResourceDefinition",
    "admissionregistration.k8s.io/ValidatingWebhookConfiguration",
    "admissionregistration.k8s.io/MutatingWebhookConfiguration",
    "external-secrets.io/ClusterSecretStore",
    "karpenter.sh/NodePool",
    "storage.k8s.io/StorageClass",
]);

/** Namespaced kinds that would widen a tenant's reach or undo the program's limits. */
const NAMESPACED_REFUSED = groupKinds([
    "networking.k8s.io/NetworkPolicy",
    "/Secret",
    "/ResourceQuota",
    "/LimitRange",
    "external-secrets.io/SecretStore",
    "generators.external-secrets.io/Password",
    "argoproj.io/Application",
]);

/** A `tenantQuota` entry of the file: for one namespace, or for all (namespace undefined). */
function quotaEntries(f: StackFile): { namespace?: string; resource: string; value: string }[] {
    return list(f.get("tenantQuota")).map((entry) => {
        const [key, value] = entry.split("=");
        const [namespace, resource] = key.includes("/") ? key.split("/") : [undefined, key];
        return { namespace, resource, value };
    });
}

const inNamespace = (g: StackGraph, type: string, namespace: string) => g.ofType(type).filter((r) => r.inputs.metadata.namespace === namespace);

/**
 * With GitOps on, each gitopsEnvironments entry is a namespace the program owns: `restricted`, with a quota
 * that says what the file says and fits the NodePool, a limit range that fits the quota; the AppProject touches
 * nothing cluster-scoped. Without GitOps there is none of it.
 */
export const TENANT_INVARIANT: StackInvariant = {
    name: "with GitOps on, gives each gitopsEnvironments entry a restricted Namespace with the file's quota and a limit range, and an AppProject that touches nothing cluster-scoped",
    check: (g, f) => {
        const tenants = g.ofType("kubernetes:core/v1:Namespace").filter((n) => n.inputs.metadata.labels?.["eks-platform/tenant"] === "application");
        if (!f.get("gitopsRepoUrl")) {
            expect(tenants.map((n) => n.inputs.metadata.name), "no gitopsRepoUrl, no application namespace").to.deep.equal([]);
            expect(g.ofType("kubernetes:core/v1:ResourceQuota")).to.deep.equal([]);
            return;
        }
        const environments = list(f.get("gitopsEnvironments"));
        expect(tenants.map((n) => n.inputs.metadata.name)).to.have.members(environments);
        const protect = f.get("protectResources") !== false;
        const entries = quotaEntries(f);
        let requestedCpu = 0;
        for (const ns of tenants) {
            const name = ns.inputs.metadata.name;
            const labels = ns.inputs.metadata.labels;
            expect(labels, name).to.include({ "eks-platform/tenant": "application", "eks-platform/environment": name });
            for (const mode of ["enforce", "warn", "audit"]) {
                expect(labels[`pod-security.kubernetes.io/${mode}`], `${name} ${mode}`).to.equal("restricted");
                expect(labels[`pod-security.kubernetes.io/${mode}-version`], `${name} ${mode}`).to.equal(POD_SECURITY_VERSION);
            }
            expect(ns.opts.protect === true, `${name} protected`).to.equal(protect);
            const [quota] = inNamespace(g, "kubernetes:core/v1:ResourceQuota", name).map((q) => q.inputs.spec.hard);
            expect(quota, `${name} quota`).to.include({ "services.loadbalancers": "0", "services.nodeports": "0" });
            for (const e of entries) {
                const own = entries.find((o) => o.namespace === name && o.resource === e.resource);
                if (e.namespace === name || (e.namespace === undefined && !own)) expect(quota[e.resource], `${name} ${e.resource}`).to.equal(e.value);
            }
            const [limits] = inNamespace(g, "kubernetes:core/v1:LimitRange", name).map((l) => l.inputs.spec.limits.find((x: any) => x.type === "Container"));
            for (const kind of ["cpu", "memory"]) {
                expect(amount(kind, limits.defaultRequest[kind]), `${name} default ${kind} request`).to.be.at.most(amount(kind, quota[`requests.${kind}`]));
                expect(amount(kind, limits.default[kind]), `${name} default ${kind} limit`).to.be.at.most(amount(kind, quota[`limits.${kind}`]));
            }
            requestedCpu += amount("cpu", quota["requests.cpu"]);
        }
        const nodePool = g.ofType("kubernetes:karpenter.sh/v1:NodePool")[0].inputs;
        expect(requestedCpu, "the tenants' requests.cpu together").to.be.at.most(amount("cpu", String(nodePool.spec.limits.cpu)));

        const project = g.one("kubernetes:argoproj.io/v1alpha1:AppProject").inputs.spec;
        expect(project.destinations.map((d: any) => d.namespace)).to.have.members(environments);
        for (const gk of CLUSTER_SCOPED) expect(projectPermits(project, gk, false), `cluster-scoped ${gk.kind}`).to.equal(false);
        expect(projectPermits(project, { group: "*", kind: "*" }, false), "any cluster-scoped kind").to.equal(false);
        for (const gk of NAMESPACED_REFUSED) expect(projectPermits(project, gk, true), gk.kind).to.equal(false);
        const appSet = g.one("kubernetes:argoproj.io/v1alpha1:ApplicationSet");
        expect(appSet.inputs.spec.template.spec.syncPolicy.syncOptions).to.not.include("CreateNamespace=true");
        expect(appSet.opts.dependsOn).to.include.members(tenants.map((n) => `${n.type}::${n.name}`));
    },
};

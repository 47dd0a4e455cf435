import { expect } from "chai";
import { APPLICATION_KINDS } from "../components/platform/argocd/gitops";
import { beforeBuilding } from "./support/build-hook";
import { errorFor } from "./support/config-errors";
import { CrdValidator } from "./support/crd";
import { StackGraph, buildStack } from "../tooling/offline/harness";
import { projectRoot } from "../tooling/offline/paths";
import { requireReference } from "./support/reference";
import { StackFile, stackFile } from "./support/stack-invariants";
import { stackNames } from "./support/stacks";
import { TENANT_INVARIANT } from "./support/tenant-invariant";
import { projectPermits } from "./support/tenants";
import { useStacks } from "./support/use-stacks";
import { fixturesDir, projectDefaults } from "../tooling/offline/stack-files";

const GITOPS_EXAMPLE = "https://github.com/acme-corp/gitops.git";
const inputsOf = (g: StackGraph, type: string, namespace: string) => g.ofType(`kubernetes:core/v1:${type}`).filter((r) => r.inputs.metadata.namespace === namespace);
const quotaOf = (g: StackGraph, namespace: string) => inputsOf(g, "ResourceQuota", namespace)[0].inputs.spec.hard;

describe("application namespaces (tenants)", () => {
    const stacks = useStacks();

    describe("in the fixture stacks", () => {
        for (const stack of ["dev", "prod"]) it(`${stack}: ${TENANT_INVARIANT.name}`, () => TENANT_INVARIANT.check(stack === "dev" ? stacks.dev : stacks.prod, stackFile(stack, fixturesDir)));

        it("are created by the program, not by Argo CD: protected in prod only, gone before the controllers that clean them up", () => {
            for (const [g, protect] of [[stacks.dev, false], [stacks.prod, true]] as const) {
                for (const ns of g.ofType("kubernetes:core/v1:Namespace").filter((n) => n.name.startsWith("tenants-"))) {
                    expect(ns.opts.protect === true, ns.name).to.equal(protect);
                    // Destroyed while the LBC (Ingress → ALB), Karpenter's nodes and the EBS CSI StorageClass still run.
                    expect(ns.opts.dependsOn, ns.name).to.include.members([
                        `kubernetes:helm.sh/v3:Release::eks-${g.stack}-aws-load-balancer-controller`,
                        `kubernetes:karpenter.sh/v1:NodePool::eks-${g.stack}-karpenter-node-pool`,
                        "kubernetes:storage.k8s.io/v1:StorageClass::gp3",
                    ]);
                    expect(ns.opts.deletedWith, ns.name).to.equal(undefined);
                    const name = ns.inputs.metadata.name;
                    for (const type of ["ResourceQuota", "LimitRange"]) {
                        const [own] = inputsOf(g, type, name);
                        expect(g.ofType(`kubernetes:core/v1:${type}`).find((r) => r.inputs.metadata.namespace === name)?.opts.deletedWith, `${name} ${type}`).to.equal(`${ns.type}::${ns.name}`);
                        expect(own.inputs.metadata.namespace).to.equal(name);
                    }
                }
            }
        });

        it("fence the namespaces before Argo CD can sync into them: NetworkPolicies after the namespaces, Argo CD after the policies", () => {
            for (const g of [stacks.dev, stacks.prod]) {
                const namespaces = g.ofType("kubernetes:core/v1:Namespace").filter((n) => n.name.startsWith("tenants-")).map((n) => `${n.type}::${n.name}`);
                const fences = g.ofType("kubernetes:networking.k8s.io/v1:NetworkPolicy").filter((p) => p.name.startsWith("tenant-network-"));
                for (const ns of g.ofType("kubernetes:core/v1:Namespace").filter((n) => n.name.startsWith("tenants-"))) {
                    const own = fences.filter((p) => p.inputs.metadata.namespace === ns.inputs.metadata.name).map((p) => p.inputs.metadata.name);
                    expect(own, ns.name).to.include.members(["default-deny-ingress", "default-deny-egress"]);
                }
                for (const p of fences) expect(p.opts.dependsOn, p.name).to.include.members(namespaces);
                expect(g.one("kubernetes:helm.sh/v3:Release", "argocd").opts.dependsOn, g.stack).to.include.members([
                    "eks-platform:tenants:TenantNetworkPolicies::tenant-network",
                    "eks-platform:platform:TenantAdmission::tenant-admission",
                ]);
            }
        });

        it("size the quota from tenantQuota's defaults, and give containers that set nothing requests and limits", () => {
            // The defaults Pulumi.yaml documents, with the Service types no application may open.
            const documented = (projectDefaults(projectRoot)["eks-platform:tenantQuota"] as string[]).map((e) => e.split("="));
            expect(documented.map(([resource]) => resource)).to.include.members(["requests.cpu", "limits.memory", "pods", "requests.storage"]);
            expect(quotaOf(stacks.dev, "dev")).to.deep.equal({ ...Object.fromEntries(documented), "services.loadbalancers": "0", "services.nodeports": "0" });
            const [limits] = inputsOf(stacks.prod, "LimitRange", "production").map((l) => l.inputs.spec.limits);
            expect(limits).to.deep.equal([{ type: "Container", default: { cpu: "500m", memory: "512Mi" }, defaultRequest: { cpu: "100m", memory: "128Mi" } }]);
        });

        it("emit an AppProject the Argo CD CRD accepts, allowing exactly the application kinds and nothing cluster-scoped", function () {
            requireReference(this);
            const validator = new CrdValidator("argo-cd/appproject-crd.yaml");
            for (const g of stacks.all) {
                const project = g.one("kubernetes:argoproj.io/v1alpha1:AppProject").inputs;
                expect(validator.errors(project), g.stack).to.deep.equal([]);
                expect(project.spec.clusterResourceWhitelist, g.stack).to.deep.equal([]);
                expect(project.spec).to.not.have.property("namespaceResourceBlacklist");
                for (const gk of APPLICATION_KINDS) expect(projectPermits(project.spec, gk, true), gk.kind).to.equal(true);
            }
            // The check can fail: the project as it was (Namespace whitelisted) is refused.
            const old = { ...stacks.dev.one("kubernetes:argoproj.io/v1alpha1:AppProject").inputs.spec, clusterResourceWhitelist: [{ group: "", kind: "Namespace" }] };
            expect(projectPermits(old, { group: "", kind: "Namespace" }, false)).to.equal(true);
            expect(() => TENANT_INVARIANT.check({ ...stacks.dev, one: (type: string) => (type.endsWith("AppProject") ? { inputs: { spec: old } } : stacks.dev.one(type)) } as StackGraph, stackFile("dev", fixturesDir))).to.throw(/cluster-scoped Namespace/);
        });
    });

    describe("in the project's stack files, with GitOps switched on", () => {
        const graphs = new Map<string, [StackGraph, StackFile]>();
        beforeBuilding(async () => {
            for (const stack of stackNames(projectRoot)) {
                const file = stackFile(stack, projectRoot);
                const repo = file.get("gitopsRepoUrl") || GITOPS_EXAMPLE;
                const g = await buildStack(stack, { gitopsRepoUrl: repo }, [], projectRoot);
                graphs.set(stack, [g, { ...file, get: (key) => (key === "gitopsRepoUrl" ? repo : file.get(key)) }]);
            }
        });
        for (const stack of stackNames(projectRoot)) it(`${stack}: ${TENANT_INVARIANT.name}`, () => TENANT_INVARIANT.check(...graphs.get(stack)!));
    });

    describe("sized per namespace from config", () => {
        let sized: StackGraph;
        beforeBuilding(async () => {
            sized = await buildStack("dev", { tenantQuota: ["requests.cpu=3", "limits.memory=12Gi", "staging/requests.cpu=1", "staging/pods=10"] });
        });

        it("applies entries for every namespace, then those for one, and keeps the defaults of the rest", () => {
            expect(quotaOf(sized, "dev")).to.include({ "requests.cpu": "3", "limits.memory": "12Gi", pods: "40", "limits.cpu": "8" });
            expect(quotaOf(sized, "staging")).to.include({ "requests.cpu": "1", "limits.memory": "12Gi", pods: "10" });
            TENANT_INVARIANT.check(sized, { ...stackFile("dev", fixturesDir), get: (k) => (k === "tenantQuota" ? ["requests.cpu=3", "limits.memory=12Gi", "staging/requests.cpu=1", "staging/pods=10"] : stackFile("dev", fixturesDir).get(k)) });
        });
    });

    describe("refuses quota config that would not hold, naming the key, the value and what is allowed", () => {
        it("an entry of the wrong form, resource or quantity", () => {
            expect(errorFor("dev", { tenantQuota: ["cpu=4"] })).to.include('eks-platform:tenantQuota: got "cpu=4" (cpu is not one of requests.cpu, limits.cpu, requests.memory, limits.memory, requests.storage, pods, persistentvolumeclaims); allowed: a list of unique items, each <resource>=<quantity>');
            expect(errorFor("dev", { tenantQuota: ["requests.memory=8GB"] })).to.include('got "requests.memory=8GB" (requests.memory takes Mi, Gi or Ti, e.g. 8Gi)');
            expect(errorFor("dev", { tenantQuota: ["requests.cpu=1.5"] })).to.include('got "requests.cpu=1.5" (requests.cpu takes cores or millicores, e.g. 4 or 500m)');
            expect(errorFor("dev", { tenantQuota: ["requests.cpu 4"] })).to.include("not <resource>=<quantity> or <namespace>/<resource>=<quantity>");
        });

        it("a namespace that is no gitopsEnvironments entry", () => {
            expect(errorFor("prod", { tenantQuota: ["staging/pods=10"] })).to.include('eks-platform:tenantQuota: got "staging/pods=10" (staging is not a gitopsEnvironments entry (production))');
        });

        it("requests above limits, or too little for one container the LimitRange fills in", () => {
            expect(errorFor("dev", { tenantQuota: ["staging/requests.memory=20Gi"] })).to.include('got "staging/requests.memory=20Gi" (more than staging\'s limits.memory 16Gi)');
            expect(errorFor("dev", { tenantQuota: ["limits.cpu=200m", "requests.cpu=100m"] })).to.include("(less than one container's default 500m (the LimitRange's), so no pod without its own resources would fit)");
            expect(errorFor("dev", { tenantQuota: ["pods=0"] })).to.include('got "dev/pods=0" (no pod could run)');
        });

        it("tenants that together request more vCPUs than Karpenter's NodePool may hold, naming both keys", () => {
            const message = errorFor("dev", { tenantQuota: ["requests.cpu=8", "limits.cpu=16", "staging/requests.cpu=6"], karpenterCpuLimit: 12 });
            expect(message).to.include("eks-platform:tenantQuota: got [");
            expect(message).to.include("the application namespaces' requests.cpu add up to 14 vCPUs (dev 8, staging 6), more than karpenterCpuLimit 12, the vCPUs the NodePool may hold; lower requests.cpu here or raise karpenterCpuLimit");
            // At the limit exactly, it holds; without GitOps there are no tenants to add up.
            expect(() => errorFor("dev", { tenantQuota: ["requests.cpu=6", "limits.cpu=16"], karpenterCpuLimit: 12 })).to.throw(/was accepted/);
            expect(() => errorFor("dev", { tenantQuota: ["requests.cpu=8", "limits.cpu=16"], karpenterCpuLimit: 12, gitopsRepoUrl: "", backupEnabled: false })).to.throw(/was accepted/);
        });
    });
});

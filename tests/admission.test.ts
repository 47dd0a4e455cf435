import { expect } from "chai";
import { ADMISSION_POLICIES, TENANT_LABEL, admissionManifests, admissionPolicySpecs } from "../components/platform/tenants/admission";
import { beforeBuilding } from "./support/build-hook";
import { AdmissionRequest, admit } from "./support/cel";
import { StackGraph, buildStack, stackGraph } from "../tooling/offline/harness";
import { offlineAccountId } from "../tooling/offline/mocks";
import { projectRoot } from "../tooling/offline/paths";
import { configWith, fixturesDir } from "../tooling/offline/stack-files";
import { stackFile } from "./support/stack-invariants";
import { stackNames } from "./support/stacks";

/** The dev fixture's registry, as the stack hands it over: its account and region, its repositories, its cache. */
const REGISTRY = "111122223333.dkr.ecr.us-west-2.amazonaws.com";
const IMAGES = { registry: REGISTRY, repositories: ["dev/team/api", "worker"], cachePrefix: "docker-hub-dev" };
const SPECS: Record<string, object> = admissionPolicySpecs(IMAGES);
const POLICIES = [...ADMISSION_POLICIES];
/** The policies over workloads (application-rbac looks at Roles and RoleBindings only). */
const WORKLOAD_POLICIES = POLICIES.filter((p) => p !== "application-rbac");

const RESOURCES = { requests: { cpu: "100m", memory: "128Mi" }, limits: { cpu: "500m", memory: "256Mi" } };
const container = (extra: Record<string, unknown> = {}) => ({ name: "app", image: `${REGISTRY}/dev/team/api:3f2a91c`, resources: RESOURCES, ports: [{ containerPort: 8080 }], ...extra });
const podSpec = (containers = [container()], extra: Record<string, unknown> = {}) => ({ containers, ...extra });
const meta = { name: "api", namespace: "dev" };

/** A workload of `kind` around `spec`, the pod spec where that kind keeps it. */
function workload(kind: string, spec: Record<string, unknown>): Record<string, any> {
    const template = { metadata: { labels: { app: "api" } }, spec };
    switch (kind) {
        case "Pod":
            return { apiVersion: "v1", kind, metadata: meta, spec };
        case "CronJob":
            return { apiVersion: "batch/v1", kind, metadata: meta, spec: { schedule: "0 * * * *", jobTemplate: { spec: { template } } } };
        case "Job":
            return { apiVersion: "batch/v1", kind, metadata: meta, spec: { template } };
        default:
            return { apiVersion: "apps/v1", kind, metadata: meta, spec: { selector: { matchLabels: { app: "api" } }, template } };
    }
}
const KINDS = ["Pod", "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "CronJob"];

const create = (object: Record<string, any>): AdmissionRequest => ({ operation: "CREATE", object });
/** Every policy's denials of one request, keyed by policy. */
const denials = (req: AdmissionRequest) => Object.fromEntries(WORKLOAD_POLICIES.map((p) => [p, admit(SPECS[p], req).denied]));
const deniedBy = (policy: string, spec: Record<string, unknown>, kind = "Deployment") => admit(SPECS[policy], create(workload(kind, spec))).denied;

describe("Admission policies of the application namespaces (CEL evaluated)", () => {
    it("admits a good pod and every controller's good pod template, under each policy", () => {
        for (const kind of KINDS) {
            expect(admit(SPECS["application-rbac"], create(workload(kind, podSpec()))).matched, `application-rbac ${kind}`).to.equal(false);
            for (const p of WORKLOAD_POLICIES) {
                const decision = admit(SPECS[p], create(workload(kind, podSpec())));
                expect(decision, `${p} ${kind}`).to.deep.equal({ matched: true, denied: [] });
            }
        }
    });

    it("refuses a bad pod template at the controller, for every kind, naming the container", () => {
        const bad = podSpec([container({ image: "nginx:latest", resources: { requests: { cpu: "1" } }, ports: [{ containerPort: 80, hostPort: 80 }] })]);
        for (const kind of KINDS) {
            const d = denials(create(workload(kind, bad)));
            expect(d["application-images"], kind).to.have.length(2);
            expect(d["application-resources"], kind).to.deep.equal([
                "every container and init container needs resources.requests and resources.limits for cpu and memory; not so: app",
            ]);
            expect(d["application-host-ports"], kind).to.deep.equal(["containers may not use hostPort (expose them through a Service); not so: app"]);
        }
    });

    describe("application-rbac", () => {
        const rbac = (object: Record<string, any>) => admit(SPECS["application-rbac"], create(object));
        const role = (rules: any[]) => ({ apiVersion: "rbac.authorization.k8s.io/v1", kind: "Role", metadata: meta, rules });
        const binding = (roleRef: any, subjects: any[]) => ({ apiVersion: "rbac.authorization.k8s.io/v1", kind: "RoleBinding", metadata: meta, roleRef, subjects });
        const sa = { kind: "ServiceAccount", name: "api", namespace: "dev" };

        it("admits a Role of ordinary reads and writes, bound to the namespace's own service account", () => {
            const leases = role([{ apiGroups: ["coordination.k8s.io"], resources: ["leases"], verbs: ["get", "create", "update"] }, { apiGroups: [""], resources: ["configmaps", "pods/log"], verbs: ["get", "list", "watch"] }]);
            expect(rbac(leases)).to.deep.equal({ matched: true, denied: [] });
            expect(rbac(binding({ apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "api" }, [sa, { kind: "ServiceAccount", name: "worker" }]))).to.deep.equal({ matched: true, denied: [] });
        });

        it("refuses a binding to a ClusterRole, or of a user, a group or another namespace's account", () => {
            expect(rbac(binding({ apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "admin" }, [sa])).denied).to.deep.equal([
                "a RoleBinding here may bind only a Role of this namespace, not a ClusterRole (admin and edit grant NetworkPolicies and RBAC)",
            ]);
            for (const subject of [{ kind: "Group", name: "system:authenticated" }, { kind: "User", name: "mallory" }, { kind: "ServiceAccount", name: "app", namespace: "staging" }]) {
                expect(rbac(binding({ apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "api" }, [sa, subject])).denied, subject.name).to.deep.equal([
                    "a RoleBinding here may name only service accounts of this namespace",
                ]);
            }
        });

        it("refuses a Role granting a wildcard, the tenant's own boundary objects, RBAC, or escalation verbs", () => {
            const bad: any[] = [
                { apiGroups: ["*"], resources: ["pods"], verbs: ["get"] },
                { apiGroups: [""], resources: ["*"], verbs: ["get"] },
                { apiGroups: [""], resources: ["pods"], verbs: ["*"] },
                { apiGroups: ["networking.k8s.io"], resources: ["networkpolicies"], verbs: ["create"] },
                { apiGroups: [""], resources: ["resourcequotas/status"], verbs: ["update"] },
                { apiGroups: [""], resources: ["limitranges"], verbs: ["delete"] },
                { apiGroups: ["rbac.authorization.k8s.io"], resources: ["rolebindings"], verbs: ["create"] },
                { apiGroups: ["rbac.authorization.k8s.io"], resources: ["roles"], verbs: ["escalate"] },
                { apiGroups: [""], resources: ["serviceaccounts"], verbs: ["impersonate"] },
            ];
            for (const r of bad) expect(rbac(role([r])).denied, JSON.stringify(r)).to.have.length(1);
        });
    });

    describe("application-images", () => {
        const refused = (image: string, where: "containers" | "initContainers" = "containers") => {
            const spec = where === "containers" ? podSpec([container({ image })]) : podSpec([container()], { initContainers: [container({ name: "init", image })] });
            return deniedBy("application-images", spec);
        };

        it("admits the stack's repositories by tag or digest, and anything under its Docker Hub cache", () => {
            const digest = `@sha256:${"a".repeat(64)}`;
            for (const image of [`${REGISTRY}/dev/team/api:v1.2`, `${REGISTRY}/worker${digest}`, `${REGISTRY}/worker:v1${digest}`, `${REGISTRY}/docker-hub-dev/library/nginx:1.27`]) {
                expect(refused(image), image).to.deep.equal([]);
            }
        });

        it("refuses other registries, other accounts and regions, and the account's repositories that are not the stack's", () => {
            const others = [
                "nginx:1.27",
                "docker.io/library/nginx:1.27",
                "public.ecr.aws/nginx/nginx:1.27",
                `999999999999.dkr.ecr.us-west-2.amazonaws.com/dev/team/api:v1`,
                `111122223333.dkr.ecr.eu-west-1.amazonaws.com/dev/team/api:v1`,
                `${REGISTRY}/prod/team/api:v1`,
                `${REGISTRY}/dev/team/api-evil:v1`,
                `${REGISTRY}/docker-hub-prod/library/nginx:1.27`,
                `${REGISTRY}.evil.example/dev/team/api:v1`,
            ];
            for (const image of others) {
                expect(refused(image), image).to.deep.equal([
                    `images must come from the stack's ECR repositories: ${REGISTRY}/dev/team/api, ${REGISTRY}/worker, ${REGISTRY}/docker-hub-dev/*; not so: app (${image})`,
                ]);
            }
            expect(refused("docker.io/library/busybox:1.36", "initContainers")[0]).to.match(/not so: init \(docker\.io\/library\/busybox:1\.36\)$/);
        });

        it("refuses :latest, an image without a tag and a malformed digest, in containers and init containers", () => {
            for (const image of [`${REGISTRY}/worker:latest`, `${REGISTRY}/worker`, `${REGISTRY}/docker-hub-dev/library/nginx`, `${REGISTRY}/worker@sha256:abc`]) {
                for (const where of ["containers", "initContainers"] as const) {
                    const messages = refused(image, where);
                    expect(messages.join("\n"), `${image} in ${where}`).to.include("images need a tag other than latest, or a digest (@sha256:...); not so: ");
                }
            }
        });

        it("checks a debug container added to a running pod (pods/ephemeralcontainers)", () => {
            const running = workload("Pod", podSpec());
            const debugged = (image: string) =>
                admit(SPECS["application-images"], {
                    operation: "UPDATE",
                    subResource: "ephemeralcontainers",
                    oldObject: running,
                    object: { ...running, spec: { ...running.spec, ephemeralContainers: [{ name: "debug", image }] } },
                });
            expect(debugged("busybox:latest").denied).to.have.length(2);
            expect(debugged(`${REGISTRY}/docker-hub-dev/library/busybox:1.36`)).to.deep.equal({ matched: true, denied: [] });
            // Resources are not allowed on ephemeral containers (they use the pod's): that policy leaves them out.
            expect(admit(SPECS["application-resources"], { operation: "UPDATE", subResource: "ephemeralcontainers", oldObject: running, object: { ...running, spec: { ...running.spec, ephemeralContainers: [{ name: "debug", image: "x:1" }] } } }).denied).to.deep.equal([]);
        });
    });

    describe("application-resources", () => {
        it("refuses any of cpu/memory requests/limits missing, in a container or an init container", () => {
            for (const [kind, resource] of [["requests", "cpu"], ["requests", "memory"], ["limits", "cpu"], ["limits", "memory"]]) {
                const partial = { ...RESOURCES, [kind]: Object.fromEntries(Object.entries((RESOURCES as any)[kind]).filter(([r]) => r !== resource)) };
                expect(deniedBy("application-resources", podSpec([container({ resources: partial })])), `${kind}.${resource}`).to.have.length(1);
                const init = podSpec([container()], { initContainers: [container({ name: "migrate", resources: partial })] });
                expect(deniedBy("application-resources", init)[0], `init ${kind}.${resource}`).to.match(/not so: migrate$/);
            }
            expect(deniedBy("application-resources", podSpec([container({ resources: undefined })]))).to.have.length(1);
            expect(deniedBy("application-resources", podSpec([container({ resources: { limits: RESOURCES.limits } })]))).to.have.length(1);
        });
    });

    describe("application-host-ports", () => {
        it("refuses a hostPort anywhere, admits none or 0", () => {
            expect(deniedBy("application-host-ports", podSpec([container({ ports: [{ containerPort: 8080, hostPort: 8080 }] })], { initContainers: [container({ name: "i", ports: undefined })] }))).to.have.length(1);
            expect(deniedBy("application-host-ports", podSpec([container()], { initContainers: [container({ name: "i", ports: [{ containerPort: 9, hostPort: 9 }] })] }), "Job")[0]).to.match(/not so: i$/);
            expect(deniedBy("application-host-ports", podSpec([container({ ports: [{ containerPort: 8080, hostPort: 0 }] }), container({ name: "b", ports: undefined })]))).to.deep.equal([]);
        });
    });

    describe("match rules and conditions", () => {
        const bad = workload("Deployment", podSpec([container({ image: "nginx" })]));

        it("lets a metadata-only update of an object that predates the policy through, and checks a changed spec", () => {
            for (const p of POLICIES) {
                const relabelled = { ...bad, metadata: { ...bad.metadata, labels: { team: "x" } } };
                expect(admit(SPECS[p], { operation: "UPDATE", oldObject: bad, object: relabelled }).matched, p).to.equal(false);
            }
            const changed = workload("Deployment", podSpec([container({ image: "nginx:latest" })]));
            expect(admit(SPECS["application-images"], { operation: "UPDATE", oldObject: bad, object: changed }).denied).to.have.length(2);
            expect(admit(SPECS["application-images"], create(bad)).denied).to.have.length(2);
        });

        it("leaves other kinds and subresources alone", () => {
            for (const p of POLICIES) {
                expect(admit(SPECS[p], create({ apiVersion: "v1", kind: "Service", metadata: meta, spec: {} })).matched, p).to.equal(false);
                expect(admit(SPECS[p], { operation: "UPDATE", subResource: "status", oldObject: bad, object: bad }).matched, p).to.equal(false);
            }
        });
    });

    it("binds each policy to the labelled application namespaces, denying, failing closed", () => {
        const manifests = admissionManifests(IMAGES);
        const bindings = manifests.filter((m) => m.kind === "ValidatingAdmissionPolicyBinding");
        expect(manifests.filter((m) => m.kind === "ValidatingAdmissionPolicy").map((m) => m.metadata.name)).to.deep.equal(POLICIES);
        expect(bindings.map((b) => b.spec)).to.deep.equal(
            POLICIES.map((policyName) => ({ policyName, validationActions: ["Deny"], matchResources: { namespaceSelector: { matchLabels: TENANT_LABEL } } })),
        );
        for (const p of POLICIES) expect((SPECS[p] as any).failurePolicy, p).to.equal("Fail");
    });
});

const POLICY_TYPE = "kubernetes:admissionregistration.k8s.io/v1:ValidatingAdmissionPolicy";
const BINDING_TYPE = "kubernetes:admissionregistration.k8s.io/v1:ValidatingAdmissionPolicyBinding";
const EXAMPLE_GITOPS = "https://github.com/acme-corp/gitops.git";

/** Every project stack file and fixture, GitOps switched on with an example repository where a file has none. */
const FILES = [
    ...stackNames(projectRoot).map((stack) => ({ stack, dir: projectRoot, overrides: {} as Record<string, unknown> })),
    ...stackNames(fixturesDir).map((stack) => ({ stack, dir: fixturesDir, overrides: {} as Record<string, unknown> })),
    // The registry follows the file's own pin and region, not the defaults.
    { stack: "dev", dir: fixturesDir, overrides: { "aws:allowedAccountIds": ["444455556666"], "aws:region": "eu-central-1" } },
].map((f) => ({ ...f, overrides: stackFile(f.stack, f.dir).get("gitopsRepoUrl") ? f.overrides : { ...f.overrides, gitopsRepoUrl: EXAMPLE_GITOPS } }));

describe("Admission policies in every stack file and fixture with GitOps on", () => {
    const graphs = new Map<(typeof FILES)[number], StackGraph>();
    beforeBuilding(async () => {
        for (const f of FILES) graphs.set(f, Object.keys(f.overrides).length === 0 ? await stackGraph(f.stack, f.dir) : await buildStack(f.stack, f.overrides, [], f.dir));
    });

    for (const f of FILES) {
        const label = `${f.dir === projectRoot ? "" : "fixture "}Pulumi.${f.stack}.yaml${Object.keys(f.overrides).length ? ` with ${Object.keys(f.overrides).join(", ")}` : ""}`;
        it(`${label}: the three policies, bound Deny to the application namespaces, admitting only the file's own account, region and repositories`, () => {
            const g = graphs.get(f)!;
            const file = stackFile(f.stack, f.dir);
            const engine = configWith(f.stack, f.overrides, f.dir);
            const [account, region] = [offlineAccountId(engine), engine["aws:region"]];
            const registry = `${account}.dkr.ecr.${region}.amazonaws.com`;
            const environment = String(file.get("environment"));
            const prefix = file.get("ecrPrefixWithEnvironment") === true ? `${environment}/` : "";
            const repositories = ([] as string[]).concat((file.get("ecrRepositories") as string[] | undefined) ?? []).map((r) => `${prefix}${r}`);
            expect(([] as string[]).concat(file.get("gitopsEnvironments") as string[]), "the file names application namespaces").to.not.be.empty;

            const policies = g.ofType(POLICY_TYPE);
            expect(policies.map((p) => p.inputs.metadata.name)).to.have.members(POLICIES);
            expect(g.ofType(BINDING_TYPE).map((b) => b.inputs.spec)).to.have.deep.members(
                POLICIES.map((policyName) => ({ policyName, validationActions: ["Deny"], matchResources: { namespaceSelector: { matchLabels: TENANT_LABEL } } })),
            );
            const images = policies.find((p) => p.inputs.metadata.name === "application-images")!.inputs.spec;
            const deployment = (image: string) => create(workload("Deployment", podSpec([container({ image })])));
            const own = [...repositories.map((r) => `${registry}/${r}:v1`), `${registry}/docker-hub-${environment}/library/nginx:1.27`];
            for (const image of own) expect(admit(images, deployment(image)).denied, image).to.deep.equal([]);
            const foreign = [...own.map((i) => i.replace(account, "999999999999")), ...own.map((i) => i.replace(`.${region}.`, ".ap-south-2."))];
            for (const image of foreign) expect(admit(images, deployment(image)).denied, image).to.have.length(1);
            // Argo CD, which syncs the applications, waits for the policies.
            const argocd = g.ofType("kubernetes:helm.sh/v3:Release").find((r) => r.inputs.name === "argocd")!;
            expect(argocd.opts.dependsOn).to.include("eks-platform:platform:TenantAdmission::tenant-admission");
        });
    }
});

import { expect } from "chai";
import { PodSecurityLevel } from "../../components/shared/namespace";
import { beforeBuilding } from "../support/build-hook";
import { hostStack, renderFolder } from "../support/gitops-render";
import { ADMISSION_POLICIES } from "../../components/platform/tenants/admission";
import { admit } from "../support/cel";
import { stackGraph } from "../../tooling/offline/harness";
import { offlineAccountId } from "../../tooling/offline/mocks";
import { podSecurityProblems } from "../support/pod-security-checks";
import { requireReference } from "../support/reference";
import { K8sObject, programObjects } from "../../tooling/offline/render";
import { schemaValidator } from "../../tooling/offline/schemas";
import { describeObject, podTemplates } from "../support/render-checks";
import { gitopsEnvironmentFolders } from "../support/templates";
import { groupOf, isApplicationNamespace, projectPermits, quotaProblems } from "../support/tenants";

/** One GitOps environment folder rendered as Argo CD would, and what the program puts around it. */
interface Tenant {
    env: string;
    /** The host stack's ECR repository of the template's service (`myapp`): where its release pipeline pushes. */
    repository: string;
    admission: any[];
    objects: K8sObject[];
    namespace: K8sObject;
    quota: K8sObject;
    limitRange: K8sObject;
    project: any;
}

describe("the GitOps template's chart in each application namespace", () => {
    const tenants: Tenant[] = [];
    beforeBuilding(async function () {
        requireReference(this);
        for (const [env, app] of gitopsEnvironmentFolders()) {
            const program = programObjects(await stackGraph(hostStack(env)));
            const own = (kind: string) => program.filter((o) => o.kind === kind && (o.metadata.namespace === env || (kind === "Namespace" && o.metadata.name === env)));
            const graph = await stackGraph(hostStack(env));
            const provider = graph.one("pulumi:providers:aws").inputs;
            const registry = `${offlineAccountId(provider)}.dkr.ecr.${provider.region}.amazonaws.com`;
            const name = graph.ofType("aws:ecr/repository:Repository").map((r) => String(r.inputs.name)).find((n) => n === app || n.endsWith(`/${app}`));
            const repository = `${registry}/${name}`;
            tenants.push({
                env,
                repository,
                admission: program.filter((o) => o.kind === "ValidatingAdmissionPolicy").map((o) => o.spec),
                objects: await renderFolder(env, app),
                namespace: own("Namespace")[0],
                quota: own("ResourceQuota")[0],
                limitRange: own("LimitRange")[0],
                project: program.find((o) => o.kind === "AppProject")!.spec,
            });
        }
    });

    it("lands in a namespace the program created for it, labelled restricted, whose quota and limit range pass the Kubernetes schemas", () => {
        const schemas = schemaValidator();
        expect(tenants.map((t) => t.env)).to.have.members(["dev", "staging", "production"]);
        for (const t of tenants) {
            expect(isApplicationNamespace(t.namespace), t.env).to.equal(true);
            expect(t.namespace.metadata.labels["pod-security.kubernetes.io/enforce"], t.env).to.equal("restricted");
            for (const o of [t.namespace, t.quota, t.limitRange]) expect(schemas.errors(o), `${t.env}: ${o.kind}`).to.deep.equal([]);
        }
    });

    it("runs only pods that `restricted` admits there", () => {
        for (const t of tenants) {
            const level = t.namespace.metadata.labels["pod-security.kubernetes.io/enforce"] as PodSecurityLevel;
            const templates = podTemplates(t.objects);
            expect(templates, t.env).to.not.be.empty;
            expect(podSecurityProblems(templates, { [t.env]: level }), t.env).to.deep.equal([]);
            // The same check refuses a pod the chart could be edited into.
            const root = { ...templates[0], spec: { ...templates[0].spec, securityContext: { runAsUser: 0 } } };
            expect(podSecurityProblems([root], { [t.env]: level }), t.env).to.not.be.empty;
        }
    });

    it("deploys only kinds the AppProject lets Argo CD sync", () => {
        for (const t of tenants) {
            for (const o of t.objects) expect(projectPermits(t.project, { group: groupOf(o.apiVersion), kind: o.kind }, true), `${t.env}: ${describeObject(o)}`).to.equal(true);
        }
    });

    it("fits the namespace's quota at its HPA maximum plus the rolling update's surge, with the limit range's defaults filled in", async () => {
        for (const t of tenants) expect(quotaProblems(t.objects, t.quota.spec.hard, t.limitRange), t.env).to.deep.equal([]);
        // A container without resources gets the LimitRange's; too many replicas break the quota, and the check says so.
        const staging = tenants.find((t) => t.env === "staging")!;
        const bare = staging.objects.map((o) => (o.kind === "Deployment" ? { ...o, spec: { ...o.spec, template: { ...o.spec.template, spec: { ...o.spec.template.spec, containers: o.spec.template.spec.containers.map((c: any) => ({ ...c, resources: {} })) } } } } : o));
        expect(quotaProblems(bare, staging.quota.spec.hard, staging.limitRange)).to.deep.equal([]);
        const wide = await renderFolder("staging", "myapp", { service: { autoscaling: { maxReplicas: 60 } } });
        expect(quotaProblems(wide, staging.quota.spec.hard, staging.limitRange)).to.include("pods: needs 75 at peak, quota 40");
    });

    it("passes every admission policy bound there once its image points at the host stack's own repository, and not before", async () => {
        for (const t of tenants) {
            expect(t.repository, `${t.env}: the host stack's myapp repository`).to.match(/^\d{12}\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com\//);
            expect(t.admission.length, t.env).to.equal(ADMISSION_POLICIES.length);
            const denials = (objects: K8sObject[]) =>
                objects.flatMap((o) => t.admission.flatMap((spec) => admit(spec, { operation: "CREATE", object: o }).denied.map((d) => `${describeObject(o)}: ${d}`)));
            // As a team sets it up (README "Onboarding a service"): the chart's image in this cluster's account and region.
            const own = await renderFolder(t.env, "myapp", { service: { image: { repository: t.repository } } });
            expect(denials(own), t.env).to.deep.equal([]);
            // As shipped, the template names a placeholder account: refused, with the reason.
            expect(denials(t.objects).join("\n"), t.env).to.match(/image/i);
        }
    });
});

import { expect } from "chai";
import { KUBERNETES_VERSIONS } from "../../components/versions";
import { stackGraph } from "../../tooling/offline/harness";
import { requireReference } from "../support/reference";
import { K8sObject } from "../../tooling/offline/render";
import { renderedStack } from "../support/render";
import { schemaValidator } from "../../tooling/offline/schemas";
import { describeObject, monitorProblems, podTemplates } from "../support/render-checks";
import { stackFileConfig } from "../../tooling/offline/stack-files";
import { gitopsEnvironmentFolders } from "../support/templates";
import { beforeBuilding } from "../support/build-hook";
import { hostStack, renderFolder } from "../support/gitops-render";

/** What the Pod Security Standard `restricted` (at the default Kubernetes version) refuses in a pod template. */
function restrictedViolations(spec: any): string[] {
    const problems: string[] = [];
    const pod = spec.securityContext ?? {};
    for (const key of ["hostNetwork", "hostPID", "hostIPC"]) if (spec[key]) problems.push(`${key} is set`);
    for (const v of spec.volumes ?? []) {
        const allowed = ["configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "persistentVolumeClaim", "projected", "secret"];
        const types = Object.keys(v).filter((k) => k !== "name");
        if (!types.every((t) => allowed.includes(t))) problems.push(`volume ${v.name} is ${types.join(", ")}`);
    }
    for (const c of [...(spec.initContainers ?? []), ...spec.containers]) {
        const sc = c.securityContext ?? {};
        if (sc.privileged) problems.push(`${c.name} is privileged`);
        if (sc.allowPrivilegeEscalation !== false) problems.push(`${c.name} may escalate privileges`);
        if ((sc.runAsNonRoot ?? pod.runAsNonRoot) !== true) problems.push(`${c.name} may run as root`);
        if ((sc.runAsUser ?? pod.runAsUser) === 0) problems.push(`${c.name} runs as UID 0`);
        const seccomp = (sc.seccompProfile ?? pod.seccompProfile)?.type;
        if (!["RuntimeDefault", "Localhost"].includes(seccomp)) problems.push(`${c.name} has seccomp ${seccomp ?? "unset"}`);
        if (!(sc.capabilities?.drop ?? []).includes("ALL")) problems.push(`${c.name} does not drop ALL capabilities`);
        const added = (sc.capabilities?.add ?? []).filter((cap: string) => cap !== "NET_BIND_SERVICE");
        if (added.length) problems.push(`${c.name} adds ${added.join(", ")}`);
        if (c.ports?.some((p: any) => p.hostPort)) problems.push(`${c.name} uses a hostPort`);
    }
    return problems;
}

describe("service chart rendered with Helm, per GitOps environment", () => {
    const folders = gitopsEnvironmentFolders();
    const rendered = new Map<string, K8sObject[]>();
    beforeBuilding(async function () {
        requireReference(this);
        for (const [env, app] of folders) rendered.set(env, await renderFolder(env, app));
    });

    it(`renders every object of the chart, schema-valid for Kubernetes ${KUBERNETES_VERSIONS.default} and the External Secrets and Prometheus Operator CRDs`, () => {
        const validator = schemaValidator();
        for (const [env, objects] of rendered) {
            expect(objects.map((o) => o.kind).sort(), env).to.deep.equal(
                ["Deployment", "ExternalSecret", "HorizontalPodAutoscaler", "Ingress", "PodDisruptionBudget", "Service", "ServiceAccount", "ServiceMonitor"],
            );
            for (const o of objects) {
                expect(validator.errors(o), `${env}: ${describeObject(o)}`).to.deep.equal([]);
                expect(validator.clusterScoped(o), `${env}: ${describeObject(o)} is cluster-scoped`).to.equal(false);
                expect(o.metadata.namespace, describeObject(o)).to.equal(env);
            }
        }
        // The validator is strict: an unknown ExternalSecret field is refused.
        const es = rendered.get("dev")!.find((o) => o.kind === "ExternalSecret")!;
        expect(validator.errors({ ...es, spec: { ...es.spec, secretStore: es.spec.secretStoreRef } }).join("\n")).to.match(/secretStore/);
    });

    it("runs pods the `restricted` Pod Security Standard admits, on workload nodes, spread across zones", () => {
        for (const [env, objects] of rendered) {
            const [pod] = podTemplates(objects);
            expect(restrictedViolations(pod.spec), env).to.deep.equal([]);
            expect(pod.spec.containers[0].securityContext.readOnlyRootFilesystem, env).to.equal(true);
            expect(pod.spec.nodeSelector, env).to.deep.equal({ "eks-platform/node-role": "workload" });
            const zone = pod.spec.topologySpreadConstraints.find((t: any) => t.topologyKey === "topology.kubernetes.io/zone");
            expect(zone.labelSelector.matchLabels, env).to.deep.equal(objects.find((o) => o.kind === "Deployment")!.spec.selector.matchLabels);
        }
        // The check would catch a root container.
        expect(restrictedViolations({ containers: [{ name: "x", securityContext: { runAsUser: 0 } }] })).to.include("x runs as UID 0");
    });

    it("is scraped: the ServiceMonitor finds the Service's metrics port backed by the pods, and the platform's Prometheus selects it", async function () {
        this.timeout(120000);
        for (const [env, objects] of rendered) {
            const platform = (await renderedStack(await stackGraph(hostStack(env)))).manifests.map((m) => m.object);
            const prometheus = platform.filter((o) => o.kind === "Prometheus");
            expect(prometheus, env).to.have.length(1);
            expect(monitorProblems([...objects, ...prometheus]), env).to.deep.equal([]);
            const service = objects.find((o) => o.kind === "Service")!;
            const [pod] = podTemplates(objects);
            const metrics = service.spec.ports.find((p: any) => p.name === "metrics");
            expect(pod.spec.containers[0].ports.map((p: any) => p.name), env).to.include(metrics.targetPort);
        }
    });

    it("asks the disruption budget for at most one pod and lets the HPA own the replica count", () => {
        for (const [env, objects] of rendered) {
            const deployment = objects.find((o) => o.kind === "Deployment")!;
            const pdb = objects.find((o) => o.kind === "PodDisruptionBudget")!;
            const hpa = objects.find((o) => o.kind === "HorizontalPodAutoscaler")!;
            expect(deployment.spec, env).to.not.have.property("replicas");
            expect(pdb.spec.maxUnavailable, env).to.equal(1);
            expect(pdb.spec.selector.matchLabels, env).to.deep.equal(deployment.spec.selector.matchLabels);
            expect(hpa.spec.scaleTargetRef, env).to.deep.equal({ apiVersion: "apps/v1", kind: "Deployment", name: deployment.metadata.name });
            expect(hpa.spec.minReplicas, env).to.be.at.most(hpa.spec.maxReplicas);
        }
    });

    it("joins the hosting cluster's shared ALB group and reads secrets only under <env>/<app>/ through aws-secrets-manager", () => {
        for (const [env, objects] of rendered) {
            const cluster = stackFileConfig(hostStack(env))["eks-platform:clusterName"];
            const ingress = objects.find((o) => o.kind === "Ingress")!;
            expect(ingress.metadata.annotations["alb.ingress.kubernetes.io/group.name"], env).to.equal(`${cluster}-platform`);
            expect(ingress.metadata.annotations["alb.ingress.kubernetes.io/scheme"], env).to.equal("internal");
            const es = objects.find((o) => o.kind === "ExternalSecret")!;
            expect(es.spec.secretStoreRef, env).to.deep.equal({ kind: "ClusterSecretStore", name: "aws-secrets-manager" });
            for (const d of es.spec.dataFrom) expect(d.extract.key, env).to.match(new RegExp(`^${env}/myapp/`));
            const [pod] = podTemplates(objects);
            expect(pod.spec.containers[0].envFrom, env).to.deep.equal([{ secretRef: { name: es.spec.target.name } }]);
        }
    });

    it("refuses to render with a clear message: another environment's secrets, a drain longer than the grace period, no image", async function () {
        this.timeout(60000);
        const failure = (values: Record<string, unknown>) => renderFolder("staging", "myapp", values).then(() => "rendered", (err: Error) => err.message);
        expect(await failure({ service: { externalSecret: { remoteKeys: ["dev/myapp/config"] } } })).to.include(
            'externalSecret.remoteKeys has "dev/myapp/config"; in namespace staging every key must start with "staging/myapp/"',
        );
        expect(await failure({ service: { shutdown: { drainSeconds: 30 } } })).to.include("shutdown.drainSeconds (30) must be below shutdown.terminationGracePeriodSeconds (30)");
        expect(await failure({ service: { image: { repository: "" } } })).to.match(/\/image\/repository.* does not match pattern/);
        expect(await failure({ service: { ingress: { host: "" } } })).to.include("ingress.host is empty");
    });
});

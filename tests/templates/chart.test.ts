import { Validator } from "@cfworker/json-schema";
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { APPLICATION_KINDS } from "../../components/platform/argocd/gitops";
import { monitoringValues } from "../../components/platform/monitoring/values";
import { devWithOptionalFeatures } from "../support/variants";
import { CHART_DIR, environmentValues, gitopsEnvironmentFolders, literalTemplate } from "../support/templates";

const schema = JSON.parse(fs.readFileSync(path.join(CHART_DIR, "values.schema.json"), "utf8"));
const schemaErrors = (values: unknown) => new Validator(schema, "7", false).validate(values).errors.map((e) => `${e.instanceLocation}: ${e.error}`);

const templates = fs.readdirSync(path.join(CHART_DIR, "templates")).filter((f) => f.endsWith(".yaml"));
const byKind = () => new Map(templates.map((f) => literalTemplate(f)).map((doc) => [doc.kind as string, doc]));

/** Kinds Argo CD may create in an environment namespace: the AppProject's namespaced whitelist (and no cluster-scoped kind). */
const NAMESPACED = APPLICATION_KINDS.map((k) => k.kind);

describe("service chart (without Helm)", () => {
    it("has one object per template, of the expected API versions, all namespaced", () => {
        const docs = templates.map((f) => literalTemplate(f));
        expect(docs.map((d) => `${d.apiVersion} ${d.kind}`).sort()).to.deep.equal(
            [
                "apps/v1 Deployment",
                "autoscaling/v2 HorizontalPodAutoscaler",
                "external-secrets.io/v1 ExternalSecret",
                "monitoring.coreos.com/v1 ServiceMonitor",
                "networking.k8s.io/v1 Ingress",
                "policy/v1 PodDisruptionBudget",
                "v1 Service",
                "v1 ServiceAccount",
            ].sort(),
        );
        for (const d of docs) expect(NAMESPACED, d.kind).to.include(d.kind);
        for (const d of docs) expect(d.metadata, d.kind).to.not.have.property("namespace");
    });

    it("runs pods as the Pod Security Standard `restricted` requires, with only /tmp writable", () => {
        const pod = byKind().get("Deployment").spec.template.spec;
        expect(pod.securityContext).to.deep.include({ runAsNonRoot: true, runAsUser: 65532, seccompProfile: { type: "RuntimeDefault" } });
        expect(pod.automountServiceAccountToken).to.equal(false);
        expect(pod).to.not.have.any.keys("hostNetwork", "hostPID", "hostIPC");
        for (const c of pod.containers) {
            expect(c.securityContext, c.name).to.deep.equal({
                runAsNonRoot: true,
                allowPrivilegeEscalation: false,
                readOnlyRootFilesystem: true,
                capabilities: { drop: ["ALL"] },
                seccompProfile: { type: "RuntimeDefault" },
            });
            expect(c.volumeMounts).to.deep.equal([{ name: "tmp", mountPath: "/tmp" }]);
        }
        expect(pod.volumes).to.deep.equal([{ name: "tmp", emptyDir: { sizeLimit: "64Mi" } }]);
        // The Dockerfile's user is the same numeric UID.
        expect(fs.readFileSync(path.join(CHART_DIR, "..", "Dockerfile"), "utf8")).to.match(/^USER 65532:65532$/m);
    });

    it("probes liveness and readiness on the named app port, spreads across zones, leaves the replica count to the HPA", () => {
        const deployment = byKind().get("Deployment");
        const [app] = deployment.spec.template.spec.containers;
        expect(app.ports.map((p: any) => p.name)).to.deep.equal(["http", "metrics"]);
        expect(app.livenessProbe.httpGet).to.deep.equal({ path: "/healthz", port: "http" });
        expect(app.readinessProbe.httpGet).to.deep.equal({ path: "/readyz", port: "http" });
        expect(app).to.have.property("resources");
        expect(deployment.spec).to.not.have.property("replicas");
        const zone = deployment.spec.template.spec.topologySpreadConstraints.find((t: any) => t.topologyKey === "topology.kubernetes.io/zone");
        expect(zone).to.include({ maxSkew: 1, whenUnsatisfiable: "DoNotSchedule" });
        const hpa = byKind().get("HorizontalPodAutoscaler");
        expect(hpa.spec.scaleTargetRef).to.include({ apiVersion: "apps/v1", kind: "Deployment" });
        expect(hpa.spec.metrics[0].resource.name).to.equal("cpu");
        expect(byKind().get("PodDisruptionBudget").spec.maxUnavailable).to.equal(1);
        // Every environment's resources set requests and a memory limit (the schema requires them).
        for (const [env, app2] of gitopsEnvironmentFolders()) {
            const { resources } = environmentValues(env, app2);
            expect(resources.requests, env).to.include.keys("cpu", "memory");
            expect(resources.limits, env).to.include.keys("memory");
        }
    });

    it("scrapes the Service's named metrics port, which the platform's Prometheus selects without labels", () => {
        const service = byKind().get("Service");
        const monitor = byKind().get("ServiceMonitor");
        expect(service.spec.ports.map((p: any) => [p.name, p.targetPort])).to.deep.equal([
            ["http", "http"],
            ["metrics", "metrics"],
        ]);
        expect(monitor.spec.endpoints).to.have.length(1);
        expect(monitor.spec.endpoints[0]).to.include({ port: "metrics", path: "/metrics" });
        const prometheus = monitoringValues({ prometheusRetention: "7d", prometheusMemoryRequest: "512Mi", prometheusVolumeSize: "20Gi", grafanaVolumeSize: "5Gi", storageClassName: "gp3", scrapeTargets: [], prometheusReplicas: 1, alertmanagerReplicas: 1, namespace: "monitoring", dockerHub: { registry: "111122223333.dkr.ecr.us-west-2.amazonaws.com", prefix: "docker-hub-unit", dependencies: [] }, clusterDnsPods: true }).prometheus.prometheusSpec;
        expect(prometheus.serviceMonitorSelectorNilUsesHelmValues).to.equal(false);
        expect(prometheus).to.not.have.property("serviceMonitorSelector");
        expect(prometheus).to.not.have.property("serviceMonitorNamespaceSelector");
    });

    it("reads secrets through the platform's ClusterSecretStore", () => {
        const es = byKind().get("ExternalSecret");
        expect(es.spec.secretStoreRef).to.deep.equal({ kind: "ClusterSecretStore", name: "aws-secrets-manager" });
        expect(es.spec.dataFrom[0].extract).to.have.property("key");
        expect(es.spec.target.creationPolicy).to.equal("Owner");
    });

    it("joins the platform's shared ALB with the listener settings of the platform's own Ingresses", async function () {
        this.timeout(60000);
        const g = await devWithOptionalFeatures();
        const platform = g.ofType("kubernetes:networking.k8s.io/v1:Ingress")[0].inputs;
        const ours = byKind().get("Ingress");
        const shared = ["target-type", "listen-ports", "ssl-policy"].map((k) => `alb.ingress.kubernetes.io/${k}`);
        const value = (annotations: Record<string, string>, key: string) => (key.endsWith("listen-ports") ? JSON.parse(annotations[key]) : annotations[key]);
        for (const key of shared) expect(value(ours.metadata.annotations, key), key).to.deep.equal(value(platform.metadata.annotations, key));
        // Apps get the default, internal class; only the platform's namespaces may use the internet-facing one.
        expect(ours.spec.ingressClassName).to.equal("alb");
        expect(platform.spec.ingressClassName).to.equal("alb-internet-facing");
        expect(ours.metadata.annotations["alb.ingress.kubernetes.io/healthcheck-path"]).to.equal("/readyz");
        expect(ours.spec.rules[0].http.paths[0].backend.service.port).to.deep.equal({ name: "http" });
        expect(parse(fs.readFileSync(path.join(CHART_DIR, "values.yaml"), "utf8")).ingress.scheme).to.equal("internal");
    });

    it("accepts every environment's values and rejects bad ones by name", () => {
        for (const [env, app] of gitopsEnvironmentFolders()) expect(schemaErrors(environmentValues(env, app)), env).to.deep.equal([]);
        const good = environmentValues("dev", "myapp");
        const bad = (path: string[], value: unknown) => {
            const copy = structuredClone(good);
            let at = copy;
            for (const p of path.slice(0, -1)) at = at[p];
            at[path[path.length - 1]] = value;
            return schemaErrors(copy).join("\n");
        };
        expect(bad(["name"], "My_App")).to.include("#/name");
        expect(bad(["image", "repository"], "docker.io/library/nginx")).to.include("#/image/repository");
        expect(bad(["image", "tag"], "latest")).to.include("#/image/tag");
        expect(bad(["ingress", "scheme"], "public")).to.include("#/ingress/scheme");
        expect(bad(["externalSecret", "remoteKeys"], ["config"])).to.include("#/externalSecret/remoteKeys/0");
        // The chart's defaults alone are not deployable: the name and the image must be set per environment.
        expect(schemaErrors(parse(fs.readFileSync(path.join(CHART_DIR, "values.yaml"), "utf8"))).join("\n")).to.include("#/name").and.include("#/image/repository");
    });
});

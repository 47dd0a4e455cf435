import { expect } from "chai";
import { POD_SECURITY_VERSION, PodSecurityLevel, podSecurityLevel } from "../../components/shared/namespace";
import { stackGraph } from "../../tooling/offline/harness";
import { podSecurityProblems, podSecurityViolations, strictestLevel } from "../support/pod-security-checks";
import { requireReference } from "../support/reference";
import { K8sObject, RenderedStack, programObjects } from "../../tooling/offline/render";
import { RENDER_STACKS, renderedStack } from "../support/render";
import { schemaValidator } from "../../tooling/offline/schemas";
import { podTemplates } from "../support/render-checks";
import { neededFromOutside, openedByPolicies, subnetRanges } from "../support/network-policy-checks";
import { devWithOptionalFeatures } from "../support/variants";
import { beforeBuilding } from "../support/build-hook";
import { isApplicationNamespace } from "../support/tenants";
import { mockSubnetCidrs } from "../../tooling/offline/mocks";
import { fixturesDir } from "../../tooling/offline/stack-files";
import { stackFile } from "../support/stack-invariants";

const objects = (r: RenderedStack) => r.manifests.map((m) => m.object);
const STRICTNESS: PodSecurityLevel[] = ["privileged", "baseline", "restricted"];
/**
 * Workloads of subcharts the reference lacks (rendered disabled), with the level their pods need; they
 * count only while their subchart is missing, after that the rendered pods speak for themselves.
 */
describe("Pod Security Standards checks", () => {
    const restrictedPod = {
        securityContext: { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } },
        containers: [{ name: "app", securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } } }],
        volumes: [{ name: "config", configMap: { name: "c" } }],
    };

    it("rank a pod by the strictest level it meets, and name what breaks the others", () => {
        expect(strictestLevel(restrictedPod)).to.equal("restricted");
        const noSeccomp = { ...restrictedPod, securityContext: { runAsNonRoot: true } };
        expect(strictestLevel(noSeccomp)).to.equal("baseline");
        expect(podSecurityViolations(noSeccomp, "restricted")).to.deep.equal(["container app has no RuntimeDefault/Localhost seccompProfile"]);
        const hostPath = { ...restrictedPod, volumes: [{ name: "proc", hostPath: { path: "/proc" } }] };
        expect(podSecurityViolations(hostPath, "baseline")).to.deep.equal(["hostPath volume proc"]);
        const privileged = { ...restrictedPod, hostPID: true, containers: [{ name: "x", securityContext: { privileged: true, capabilities: { add: ["SYS_ADMIN"] } } }] };
        expect(podSecurityViolations(privileged, "baseline")).to.deep.equal(["hostPID: true", "container x privileged", "container x adds capability SYS_ADMIN"]);
        expect(podSecurityViolations(privileged, "privileged")).to.deep.equal([]);
    });
});

describe("Rendered manifests: in-cluster isolation", () => {
    for (const stack of RENDER_STACKS) {
        describe(stack, () => {
            let rendered: RenderedStack;
            let namespaces: K8sObject[];
            // The first render file to run renders every chart (cached for the others).
            beforeBuilding(async function () {
                requireReference(this);
                const graph = await stackGraph(stack);
                rendered = await renderedStack(graph);
                namespaces = programObjects(graph).filter((o) => o.kind === "Namespace");
            });

            it("labels every namespace it creates with Pod Security enforce, warn and audit at its level, pinned to one version", () => {
                expect(namespaces.map((n) => n.metadata.name)).to.include.members(["argocd", "monitoring", "external-secrets"]);
                for (const ns of namespaces) {
                    const level = podSecurityLevel(ns.metadata.name);
                    for (const mode of ["enforce", "warn", "audit"]) {
                        expect(ns.metadata.labels[`pod-security.kubernetes.io/${mode}`], `${ns.metadata.name} ${mode}`).to.equal(level);
                        expect(ns.metadata.labels[`pod-security.kubernetes.io/${mode}-version`], `${ns.metadata.name} ${mode}`).to.equal(POD_SECURITY_VERSION);
                    }
                }
            });

            it("runs only pods their namespace's level admits, and that level is the strictest they all meet", () => {
                const templates = podTemplates(objects(rendered));
                // The application namespaces hold what the GitOps repository deploys (tests/render/tenants.test.ts).
                const levels = Object.fromEntries(namespaces.filter((ns) => !isApplicationNamespace(ns)).map((ns) => [ns.metadata.name, podSecurityLevel(ns.metadata.name)]));
                expect(podSecurityProblems(templates, levels)).to.deep.equal([]);
                for (const [namespace, level] of Object.entries(levels)) {
                    const needs = templates.filter((t) => t.namespace === namespace).map((t) => strictestLevel(t.spec));
                    expect(needs, namespace).to.not.be.empty;
                    const strictest = STRICTNESS[Math.min(...needs.map((l) => STRICTNESS.indexOf(l)))];
                    expect(level, `${namespace}: its pods meet ${strictest}`).to.equal(strictest);
                }
            });
        });
    }
});

describe("IngressClasses: internal by default, internet-facing only by name and namespace", () => {
    let rendered: RenderedStack;
    beforeBuilding(async function () {
        requireReference(this);
        rendered = await renderedStack(await stackGraph("dev"));
    });

    it("the chart's default class `alb` forces internal ALBs through its IngressClassParams, and it is the only class", () => {
        const lbc = rendered.releases.find((r) => r.releaseName === "aws-load-balancer-controller")!.manifests;
        const classes = rendered.manifests.map((m) => m.object).filter((o) => o.kind === "IngressClass");
        expect(classes.map((c) => c.metadata.name)).to.deep.equal(["alb"]);
        expect(classes[0].metadata.annotations).to.deep.equal({ "ingressclass.kubernetes.io/is-default-class": "true" });
        expect(classes[0].spec.parameters).to.deep.equal({ apiGroup: "elbv2.k8s.aws", kind: "IngressClassParams", name: "alb-internal" });
        const params = lbc.find((o) => o.kind === "IngressClassParams" && o.metadata.name === "alb-internal");
        expect(params?.spec).to.deep.equal({ scheme: "internal" });
    });

    it("with ingressScheme internet-facing, a separate class lets only the platform's namespaces have internet-facing ALBs", async () => {
        const g = await devWithOptionalFeatures();
        const params = g.one("kubernetes:elbv2.k8s.aws/v1beta1:IngressClassParams").inputs;
        expect(params.spec).to.deep.equal({
            scheme: "internet-facing",
            namespaceSelector: { matchExpressions: [{ key: "kubernetes.io/metadata.name", operator: "In", values: ["argocd", "monitoring"] }] },
        });
        const ingressClass = g.one("kubernetes:networking.k8s.io/v1:IngressClass");
        expect(ingressClass.inputs.metadata).to.deep.equal({ name: "alb-internet-facing" });
        expect(ingressClass.inputs.spec.parameters).to.deep.equal({ apiGroup: "elbv2.k8s.aws", kind: "IngressClassParams", name: "alb-internet-facing" });
        for (const ingress of g.ofType("kubernetes:networking.k8s.io/v1:Ingress")) {
            expect(ingress.inputs.spec.ingressClassName).to.equal("alb-internet-facing");
            expect(ingress.opts.dependsOn).to.include("kubernetes:networking.k8s.io/v1:IngressClass::eks-dev-alb-internet-facing");
        }
        const dev = await stackGraph("dev");
        expect(dev.ofType("kubernetes:networking.k8s.io/v1:IngressClass")).to.deep.equal([]);
    });
});

describe("NetworkPolicies: default deny, and exactly the callers each namespace needs", () => {
    for (const stack of RENDER_STACKS) {
        it(`${stack}: opens to the control plane's subnets and Prometheus exactly the webhook and scraped ports, and denies the rest`, async function () {
            requireReference(this);
            this.timeout(180_000);
            const graph = await stackGraph(stack);
            const rendered = await renderedStack(graph);
            const program = programObjects(graph);
            const namespaces = program.filter((o) => o.kind === "Namespace").map((n) => n.metadata.name);
            const policies = program.filter((o) => o.kind === "NetworkPolicy");
            // The application namespaces (gitopsEnvironments) have policies too.
            const owned = [...new Set([...namespaces, ...(stackFile(stack, fixturesDir).get("gitopsEnvironments") as string[])])];
            for (const ns of owned) {
                for (const direction of ["Ingress", "Egress"]) {
                    const deny = policies.find((p) => p.metadata.namespace === ns && p.metadata.name === `default-deny-${direction.toLowerCase()}`);
                    expect(deny?.spec, ns).to.deep.equal({ podSelector: {}, policyTypes: [direction] });
                }
            }
            expect(new Set(policies.map((p) => p.metadata.namespace))).to.deep.equal(new Set(owned));
            const subnets = subnetRanges(graph);
            const all = objects(rendered);
            // A fixture with the platform's Ingresses (the ipv6 one: internet-facing) opens their backends to the ALB's subnets too.
            const ingresses = program.filter((o) => o.kind === "Ingress");
            const albSubnets = ingresses.some((i) => i.metadata.annotations?.["alb.ingress.kubernetes.io/scheme"] === "internet-facing") ? "public subnets" : "private subnets";
            const needed = neededFromOutside(all, namespaces, ingresses, albSubnets);
            expect(needed.filter((e) => e.endsWith("<- private subnets")), "webhooks found").to.not.be.empty;
            expect(needed.filter((e) => e.endsWith("<- prometheus")), "scrapes found").to.not.be.empty;
            expect(openedByPolicies(policies, all, { "private subnets": subnets.private, "public subnets": subnets.public })).to.deep.equal(needed);
        });
    }

    it("with the platform's Ingresses on an internet-facing ALB, also opens the ALB's backends to the public subnets only, and nothing more", async function () {
        requireReference(this);
        this.timeout(180_000);
        const dev = await renderedStack(await stackGraph("dev"));
        const variant = programObjects(await devWithOptionalFeatures());
        const namespaces = variant.filter((o) => o.kind === "Namespace" && !isApplicationNamespace(o)).map((n) => n.metadata.name);
        const policies = variant.filter((o) => o.kind === "NetworkPolicy" && namespaces.includes(o.metadata.namespace!));
        const ingresses = variant.filter((o) => o.kind === "Ingress");
        const all = objects(dev);
        // The objects only this variant has pass the schemas too (the LBC chart's CRDs included).
        const schemas = schemaValidator();
        for (const crd of all.filter((o) => o.kind === "CustomResourceDefinition")) schemas.addCrd(crd);
        const added = variant.filter((o) => ["IngressClassParams", "IngressClass", "NetworkPolicy", "Ingress"].includes(o.kind));
        expect(added.map((o) => o.kind)).to.include.members(["IngressClassParams", "IngressClass", "NetworkPolicy", "Ingress"]);
        expect(added.flatMap((o) => schemas.errors(o).map((e) => `${o.kind} ${o.metadata.name}: ${e}`))).to.deep.equal([]);
        const subnets = mockSubnetCidrs("10.0.0.0/16", 3);
        const opened = openedByPolicies(policies, all, { "private subnets": subnets.private, "public subnets": subnets.public });
        expect(opened).to.deep.equal(neededFromOutside(all, namespaces, ingresses, "public subnets"));
        expect(opened).to.include("Deployment argocd/argocd-server:8080 <- public subnets");
        // Grafana's subchart is not in the reference; its policy is checked by hand.
        const grafana = policies.find((p) => p.metadata.namespace === "monitoring" && p.metadata.name === "allow-alb");
        expect(grafana?.spec.podSelector).to.deep.equal({ matchLabels: { "app.kubernetes.io/name": "grafana" } });
        expect(grafana?.spec.ingress).to.deep.equal([{ from: subnets.public.map((cidr) => ({ ipBlock: { cidr } })), ports: [{ protocol: "TCP", port: "grafana" }] }]);
    });
});

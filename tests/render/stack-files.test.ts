import { expect } from "chai";
import { KUBERNETES_VERSIONS } from "../../components/versions";
import { StackGraph, stackGraph } from "../../tooling/offline/harness";
import { projectRoot } from "../../tooling/offline/paths";
import { podSecurityProblems } from "../support/pod-security-checks";
import { requireReference } from "../support/reference";
import { K8sObject, RenderedStack, programObjects } from "../../tooling/offline/render";
import { renderedStack } from "../support/render";
import { schemaValidator } from "../../tooling/offline/schemas";
import { disruptionProblems, hygieneProblems, monitorProblems, placementProblems, podIdentityProblems, podTemplates, rulesOnJobs } from "../support/render-checks";
import { EKS_TARGETS, HIDDEN_CONTROL_PLANE_JOBS, HOST_ACCESS, OPTIONAL_AWS_CALLERS, SYSTEM_RELEASES, awsCallersOf, chartAssociations, placementOf } from "../support/render-expectations";
import { podSecurityLevel } from "../../components/shared/namespace";
import { stackNames } from "../support/stacks";
import { beforeBuilding } from "../support/build-hook";

const objects = (r: RenderedStack): K8sObject[] => r.manifests.map((m) => m.object);
const label = (o: K8sObject) => `${o.kind} ${o.metadata.namespace ?? ""}/${o.metadata.name}`;

/**
 * The render checks on the user's own stack files, whatever their values: every release renders with
 * its real chart and `--kube-version`, every object passes its schema, and the wiring, placement,
 * disruption, hygiene and Pod Security rules hold. (Charts render once per distinct release spec, so a
 * file whose releases match a fixture's costs nothing extra.)
 */
describe("Rendered manifests of every real stack file", () => {
    for (const stack of stackNames(projectRoot)) {
        describe(`Pulumi.${stack}.yaml`, () => {
            let graph: StackGraph;
            let rendered: RenderedStack;
            beforeBuilding(async function () {
                requireReference(this);
                graph = await stackGraph(stack, projectRoot);
                rendered = await renderedStack(graph);
            });

            it(`renders every release, and every object passes the Kubernetes ${KUBERNETES_VERSIONS.default} or CRD schema`, () => {
                expect(rendered.releases).to.not.be.empty;
                for (const r of rendered.releases) expect(r.manifests, r.releaseName).to.not.be.empty;
                const schemas = schemaValidator();
                const problems = rendered.manifests.flatMap((m) => schemas.errors(m.object).map((e) => `${m.source}: ${label(m.object)}: ${e}`));
                expect(problems).to.deep.equal([]);
            });

            it("binds every AWS-calling controller to a Pod Identity association, and every association to a pod", () => {
                const rendered_ = objects(rendered);
                const present = OPTIONAL_AWS_CALLERS.filter((c) => podTemplates(rendered_).some((t) => t.namespace === c.namespace && t.owner.metadata.name === c.name));
                expect(podIdentityProblems(rendered_, chartAssociations(graph), [...awsCallersOf(graph), ...present])).to.deep.equal([]);
            });

            it("scrapes only targets that exist, and alerts on nothing EKS hides", () => {
                expect(monitorProblems(objects(rendered), EKS_TARGETS)).to.deep.equal([]);
                expect(rulesOnJobs(objects(rendered), HIDDEN_CONTROL_PLANE_JOBS)).to.deep.equal([]);
            });

            it("places, budgets and hardens every pod: system controllers on system nodes, evictable PDBs, requests, pinned images", () => {
                const system = new Set(rendered.releases.filter((r) => SYSTEM_RELEASES.includes(r.releaseName)).flatMap((r) => r.manifests));
                expect(placementProblems(objects(rendered), placementOf(graph), (t) => system.has(t.owner))).to.deep.equal([]);
                expect(disruptionProblems(objects(rendered))).to.deep.equal([]);
                expect(hygieneProblems(objects(rendered), HOST_ACCESS)).to.deep.equal([]);
            });

            it("runs only pods their namespace's Pod Security level admits", () => {
                const namespaces = programObjects(graph).filter((o) => o.kind === "Namespace").map((n) => n.metadata.name);
                const levels = Object.fromEntries(namespaces.map((ns) => [ns, podSecurityLevel(ns)]));
                expect(podSecurityProblems(podTemplates(objects(rendered)), levels)).to.deep.equal([]);
            });
        });
    }
});

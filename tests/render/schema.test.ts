import { expect } from "chai";
import { KUBERNETES_VERSIONS } from "../../components/versions";
import { stackGraph } from "../../tooling/offline/harness";
import { requireReference } from "../support/reference";
import { K8sObject, RenderedStack } from "../../tooling/offline/render";
import { RENDER_STACKS, renderedStack } from "../support/render";
import { schemaValidator } from "../../tooling/offline/schemas";
import { beforeBuilding } from "../support/build-hook";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { fixturesDir } from "../../tooling/offline/stack-files";

/** A fixture stack file's config, as the test reads what the fixture asks for. */
const fixtureConfig = (stack: string): Record<string, unknown> => parse(fs.readFileSync(path.join(fixturesDir, `Pulumi.${stack}.yaml`), "utf8")).config;

const label = (o: K8sObject) => `${o.kind} ${o.metadata.namespace ?? ""}/${o.metadata.name}`;

describe("Rendered manifests: schemas", () => {
    for (const stack of RENDER_STACKS) {
        describe(stack, () => {
            let rendered: RenderedStack;
            beforeBuilding(async function () {
                requireReference(this);
                rendered = await renderedStack(await stackGraph(stack));
            });

            it("renders every Helm release the program registers, with its pinned chart, namespace and values", () => {
                const config = fixtureConfig(stack);
                expect(rendered.releases.map((r) => r.releaseName)).to.have.members([
                    // Karpenter and the Load Balancer Controller only in karpenter mode: Auto Mode runs both outside the cluster.
                    ...(config["eks-platform:computeMode"] === "auto" ? [] : ["karpenter-crd", "karpenter", "aws-load-balancer-controller"]),
                    "external-secrets", "metrics-server", "external-dns", "aws-for-fluent-bit", "kube-prometheus-stack", "argocd",
                    // Velero only where the fixture sets backupEnabled.
                    ...(config["eks-platform:backupEnabled"] === true ? ["velero"] : []),
                ]);
                for (const r of rendered.releases) expect(r.manifests, r.releaseName).to.not.be.empty;
            });

            it(`every object, rendered or the program's own (VolumeSnapshotClass included), passes the Kubernetes ${KUBERNETES_VERSIONS.default} or CRD schema with unknown fields rejected`, () => {
                const schemas = schemaValidator();
                // VolumeSnapshotClass too: reference/crds holds the CRDs the EKS snapshot-controller add-on installs.
                const problems = rendered.manifests.flatMap((m) => schemas.errors(m.object).map((e) => `${m.source}: ${label(m.object)}: ${e}`));
                expect(problems).to.deep.equal([]);
            });
        });
    }

    describe("the schema check itself", () => {
        before(function () {
            requireReference(this);
        });

        const deployment = (extra: Record<string, unknown>): K8sObject => ({
            apiVersion: "apps/v1",
            kind: "Deployment",
            metadata: { name: "x", namespace: "y" },
            spec: { selector: { matchLabels: { a: "b" } }, template: { metadata: { labels: { a: "b" } }, spec: { containers: [{ name: "c", image: "i:1", ...extra }] } } },
        });

        it("accepts a plain Deployment, int-or-string ports and numeric quantities", () => {
            expect(schemaValidator().errors(deployment({ ports: [{ containerPort: 80 }], resources: { requests: { cpu: 1, memory: "1Gi" } } }))).to.deep.equal([]);
        });

        it("rejects an unknown field in a built-in kind", () => {
            expect(schemaValidator().errors(deployment({ resource: { requests: { cpu: "1" } } })).join()).to.match(/resource/);
        });

        it("rejects a custom resource its CRD's CEL rules forbid (x-kubernetes-validations), with the rule's message", () => {
            const pool = (requirements: object[]) => ({ apiVersion: "karpenter.sh/v1", kind: "NodePool", metadata: { name: "p" }, spec: { template: { spec: { nodeClassRef: { group: "karpenter.k8s.aws", kind: "EC2NodeClass", name: "n" }, requirements } } } });
            expect(schemaValidator().errors(pool([{ key: "kubernetes.io/arch", operator: "In", values: ["arm64"] }]) as K8sObject)).to.deep.equal([]);
            expect(schemaValidator().errors(pool([{ key: "kubernetes.io/hostname", operator: "In", values: ["a"] }]) as K8sObject)).to.deep.equal([
                '.spec.template.spec.requirements[0].key: label "kubernetes.io/hostname" is restricted',
            ]);
        });

        it("rejects an unknown field in a custom resource, and a kind nothing defines", () => {
            const pool = { apiVersion: "karpenter.sh/v1", kind: "NodePool", metadata: { name: "p" }, spec: { template: { spec: { nodeClassRef: { group: "g", kind: "k", name: "n" }, requirements: [] } }, limitz: {} } };
            expect(schemaValidator().errors(pool as K8sObject).join()).to.match(/limitz|additional/i);
            expect(schemaValidator().errors({ apiVersion: "example.com/v1", kind: "Widget", metadata: { name: "w" } })).to.have.length(1);
        });
    });
});

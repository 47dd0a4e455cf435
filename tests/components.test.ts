import { expect } from "chai";
import * as pulumi from "@pulumi/pulumi";
import { ClusterAddonSpec, clusterAddonValues, installClusterAddon } from "../components/cluster/cluster-addon";
import { Karpenter } from "../components/cluster/karpenter";
import { instanceArchitectures } from "../components/cluster/node-group";
import { onSystemNodes } from "../components/shared/placement";
import { COMPONENT_TEST_AWS, ComponentBuild, buildComponent, minimalCluster } from "./support/component-harness";
import { RecordedResource } from "../tooling/offline/mocks";
import { beforeBuilding } from "./support/build-hook";

const RELEASE = "kubernetes:helm.sh/v3:Release";
const ASSOCIATION = "aws:eks/podIdentityAssociation:PodIdentityAssociation";
const NODE_POOL = { instanceFamilies: ["m7g"], capacityTypes: ["spot"], cpuLimit: 16, consolidateAfter: "1m", expireAfter: "720h" };

/** The toleration that matches the node group's taint (EKS spells effects NO_SCHEDULE, Kubernetes NoSchedule). */
function tolerationOf(taint: { key: string; value: string; effect: string }) {
    const effect = { NO_SCHEDULE: "NoSchedule", NO_EXECUTE: "NoExecute", PREFER_NO_SCHEDULE: "PreferNoSchedule" }[taint.effect];
    return { key: taint.key, operator: "Exists", effect };
}

/** Whether `r` is `ancestor` or sits anywhere below it. */
function descendsFrom<T>(b: ComponentBuild<T>, r: RecordedResource, ancestor: string): boolean {
    const byKey = new Map(b.resources.map((x) => [b.key(x), x]));
    for (let key: string | undefined = b.key(r); key; key = byKey.get(key)?.opts.parent) if (key === ancestor) return true;
    return false;
}

describe("Components built alone", () => {
    describe("Karpenter on a minimal cluster", () => {
        let b: ComponentBuild<Karpenter>;
        beforeBuilding(async () => {
            b = await buildComponent(() => {
                const cluster = minimalCluster();
                const karpenter = new Karpenter(
                    "karpenter",
                    { cluster, aws: COMPONENT_TEST_AWS, nodePool: NODE_POOL, amiAlias: "al2023@latest", replicas: 1, tags: { team: "platform" }, imageCachePrefix: "docker-hub-unit" },
                    { parent: cluster },
                );
                return { built: karpenter };
            });
        });

        it("names every resource after the cluster it is given, without a separate cluster name", () => {
            const own = b.resources.filter((r) => r.custom && descendsFrom(b, r, "eks-platform:cluster:Karpenter::karpenter"));
            expect(own.length).to.be.greaterThan(10);
            for (const r of own) expect(r.name, r.type).to.match(/^eks-unit-karpenter/);
            expect(b.one(RELEASE, "eks-unit-karpenter").inputs.values.settings.clusterName).to.equal("eks-unit");
        });

        it("installs the controller as the service account its Pod Identity association binds, on the system nodes", () => {
            const release = b.one(RELEASE, "eks-unit-karpenter");
            const association = b.one(ASSOCIATION, "eks-unit-karpenter");
            expect(association.inputs).to.include({ clusterName: "eks-unit", namespace: release.inputs.namespace, serviceAccount: release.inputs.values.serviceAccount.name });
            expect(release.inputs.values.serviceAccount.create).to.equal(true);
            expect(release.opts.dependsOn).to.include(b.key(association)).and.include("kubernetes:helm.sh/v3:Release::eks-unit-karpenter-crd");

            const nodeGroup = b.one("aws:eks/nodeGroup:NodeGroup");
            expect(release.inputs.values.tolerations).to.deep.equal(nodeGroup.inputs.taints.map(tolerationOf));
            expect(release.inputs.values.nodeSelector).to.deep.include(nodeGroup.inputs.labels);
        });

        it("offers its NodePool as what the platform waits for, and its metrics endpoint", () => {
            expect(b.built.platformDependencies).to.deep.equal([b.built.nodePool]);
            expect(b.built.scrapeTargets.map((t) => ({ ns: t.namespace, app: t.appNames }))).to.deep.equal([{ ns: "kube-system", app: ["karpenter"] }]);
        });
    });

    describe("installClusterAddon, as a new add-on would use it", () => {
        const spec: ClusterAddonSpec = {
            name: "example-operator",
            chart: { chart: "example-operator", repo: "https://charts.example.com", version: "1.2.3" },
            serviceAccount: { namespace: "example", name: "example-controller" },
            ownNamespace: true,
            placement: onSystemNodes(),
            placementKey: "global",
        };
        let b: ComponentBuild<unknown>;
        beforeBuilding(async () => {
            b = await buildComponent(() => {
                const cluster = minimalCluster();
                const owner = new pulumi.ComponentResource("test:index:ExampleOperator", "example-operator", {}, { parent: cluster });
                const installed = installClusterAddon(owner, cluster, {
                    ...spec,
                    permissions: { managedPolicies: ["AmazonSSMManagedInstanceCore"] },
                    values: { replicaCount: 2, global: { podLabels: { team: "platform" } }, serviceAccount: { annotations: { a: "b" } } },
                });
                return { built: installed };
            });
        });

        it("creates its namespace, gone with the EKS cluster, and installs the release into it", () => {
            const namespace = b.one("kubernetes:core/v1:Namespace", "eks-unit-example-operator");
            expect(namespace.inputs.metadata.name).to.equal("example");
            expect(namespace.opts.deletedWith).to.equal("aws:eks/cluster:Cluster::eks-unit");
            const release = b.one(RELEASE, "eks-unit-example-operator");
            expect(release.inputs).to.include({ name: "example-operator", namespace: "example", chart: "example-operator", version: "1.2.3", atomic: true });
            expect(release.opts.parent).to.equal("test:index:ExampleOperator::example-operator");
        });

        it("binds a Pod Identity role to exactly the service account the chart creates, before the release starts", () => {
            const release = b.one(RELEASE, "eks-unit-example-operator");
            const association = b.one(ASSOCIATION, "eks-unit-example-operator");
            expect(association.inputs).to.include({ namespace: "example", serviceAccount: "example-controller" });
            expect(release.inputs.values.serviceAccount).to.deep.equal({ annotations: { a: "b" }, create: true, name: "example-controller" });
            const attachment = b.one("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "eks-unit-example-operator-AmazonSSMManagedInstanceCore");
            expect(release.opts.dependsOn).to.include(b.key(association)).and.include(b.key(attachment));
        });

        it("places the pods under the chart's placement key, keeping the chart's other values there", () => {
            const values = b.one(RELEASE, "eks-unit-example-operator").inputs.values;
            expect(values.global).to.deep.equal({ podLabels: { team: "platform" }, ...onSystemNodes() });
            expect(values).to.not.have.any.keys("nodeSelector", "tolerations");
            expect(values.replicaCount).to.equal(2);
        });

        it("places at the top level when the spec names no key, and adds no tolerations for workload pods", () => {
            const workload = clusterAddonValues({ ...spec, placementKey: undefined, placement: { nodeSelector: { role: "x" } } }, {});
            expect(workload).to.deep.equal({ nodeSelector: { role: "x" }, serviceAccount: { create: true, name: "example-controller" } });
        });
    });

    describe("Cluster", () => {
        it("picks the ARM AMI for Graviton system nodes and exposes its name both ways", async () => {
            const b = await buildComponent(() => {
                const cluster = minimalCluster({ systemNodes: { instanceTypes: ["m7g.large", "c7g.large"], capacityType: "SPOT", minSize: 1, desiredSize: 1, maxSize: 2 } });
                return { built: cluster.configuredName, outputs: { name: cluster.name } };
            });
            expect(b.one("aws:eks/nodeGroup:NodeGroup").inputs).to.include({ amiType: "AL2023_ARM_64_STANDARD", capacityType: "SPOT" });
            expect(b.built).to.equal("eks-unit");
            expect(b.outputs.name).to.equal("eks-unit");
        });

        it("refuses system node types of two architectures, naming them, before registering the node group", async () => {
            const error = await buildComponent(() => ({
                built: minimalCluster({ systemNodes: { instanceTypes: ["m7i.large", "m7g.large"], capacityType: "ON_DEMAND", minSize: 1, desiredSize: 1, maxSize: 2 } }),
            })).then(
                () => undefined,
                (e: Error) => e.message,
            );
            expect(error).to.include('["m7i.large","m7g.large"]').and.include("arm64, x86_64");
            expect(instanceArchitectures(["t3.medium", "m6i.large"])).to.deep.equal(["x86_64"]);
            expect(instanceArchitectures(["t4g.medium", "t3.medium"])).to.deep.equal(["arm64", "x86_64"]);
        });
    });
});

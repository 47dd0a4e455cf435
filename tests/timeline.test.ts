import { expect } from "chai";
import { teardown, teardownViolations } from "../scripts/timeline/destroy";
import { createDependencies, createdResources, keyOf, speedUps, timeline } from "../scripts/timeline/model";
import { TIMELINE_BUDGETS, TIMELINE_BUDGET_MINUTES, formatTimeline, timelineBudget } from "../scripts/timeline/report";
import { WEIGHTS, weightOf } from "../scripts/timeline/weights";
import { StackGraph } from "../tooling/offline/harness";
import { RecordedResource } from "../tooling/offline/mocks";
import { useStacks } from "./support/use-stacks";
import { devWithOptionalFeatures } from "./support/variants";

const RELEASE = "kubernetes:helm.sh/v3:Release";
const NODE_POOL = "kubernetes:karpenter.sh/v1:NodePool";

/** `g` with `extra` added to the recorded dependencies of the resource `key` (as a dependsOn would). */
function withDependency(g: StackGraph, key: string, ...extra: string[]): Pick<StackGraph, "stack" | "resources"> {
    return {
        stack: g.stack,
        resources: g.resources.map((r) => (keyOf(r) === key ? { ...r, engine: { ...r.engine, dependencies: [...r.engine.dependencies, ...extra] } } : r)),
    };
}

/** `g` without the recorded dependencies of `key` that match `drop`. */
function withoutDependency(g: StackGraph, key: string, drop: RegExp): Pick<StackGraph, "stack" | "resources"> {
    return {
        stack: g.stack,
        resources: g.resources.map((r) => (keyOf(r) === key ? { ...r, engine: { ...r.engine, dependencies: r.engine.dependencies.filter((d) => !drop.test(d)) } } : r)),
    };
}

/** A resource as the mocks record it, for graphs built by hand. */
function recorded(type: string, name: string, engine: Partial<RecordedResource["engine"]> = {}, inputs: Record<string, unknown> = {}, custom = true): RecordedResource {
    return { type, name, inputs, custom, opts: { dependsOn: [] }, engine: { dependencies: [], propertyDependencies: {}, remote: false, ...engine } };
}

describe("Timeline of a fresh pulumi up (npm run timeline)", () => {
    const stacks = useStacks();
    const release = (g: StackGraph, chart: string) => g.ofType(RELEASE).find((r) => String(r.inputs.chart).endsWith(chart))!;

    it(`models every karpenter fixture within ${TIMELINE_BUDGETS.karpenter} minutes: control plane, CNI, system nodes, then Karpenter and the platform side by side`, () => {
        for (const g of stacks.inMode("karpenter")) {
            const t = timeline(g);
            expect(timelineBudget(g)).to.equal(TIMELINE_BUDGETS.karpenter);
            expect(t.total, formatTimeline(g).text).to.be.at.most(TIMELINE_BUDGETS.karpenter);
            const weighty = t.criticalPath.filter((s) => s.minutes > 0).map((s) => s.key);
            expect(weighty.slice(0, 3)).to.deep.equal([`aws:eks/cluster:Cluster::eks-${g.stack}`, "aws:eks/addon:Addon::vpc-cni", `aws:eks/nodeGroup:NodeGroup::eks-${g.stack}-system`]);
            // Nothing of Karpenter's takes time on the path: the platform starts as its controller does.
            const monitoring = t.steps.get(keyOf(release(g, "kube-prometheus-stack")))!;
            const controller = t.steps.get(keyOf(release(g, "/karpenter")))!;
            expect(monitoring.start).to.equal(controller.start);
            expect(t.total).to.equal(monitoring.finish);
        }
    });

    it(`models every Auto Mode fixture within ${TIMELINE_BUDGETS.auto} minutes: the control plane, then the platform on the nodes Auto Mode launches`, () => {
        for (const g of stacks.inMode("auto")) {
            const t = timeline(g);
            expect(timelineBudget(g)).to.equal(TIMELINE_BUDGETS.auto);
            expect(t.total, formatTimeline(g).text).to.be.at.most(TIMELINE_BUDGETS.auto);
            // No node group and no node add-ons: after the control plane only the slowest release is on the path.
            const weighty = t.criticalPath.filter((s) => s.minutes > 0).map((s) => s.key);
            expect(weighty).to.deep.equal([`aws:eks/cluster:Cluster::eks-${g.stack}`, keyOf(release(g, "kube-prometheus-stack"))]);
            expect(t.total).to.equal(WEIGHTS.controlPlane.minutes + WEIGHTS.kubePrometheusStack.minutes);
        }
    });

    it("records what each resource waited for from the SDK's request, Outputs in its inputs included", () => {
        const g = stacks.dev;
        const eks = g.one("aws:eks/cluster:Cluster");
        // The subnet ids come from awsx's component: an input, not a dependsOn.
        expect(eks.opts.dependsOn.some((d) => d.startsWith("awsx:"))).to.equal(false);
        expect(eks.engine.dependencies).to.include("awsx:ec2:Vpc::network");
        expect(eks.engine.propertyDependencies.vpcConfig).to.include("awsx:ec2:Vpc::network");
        expect(eks.engine.provider).to.equal("pulumi:providers:aws::aws");
        expect(g.one("awsx:ec2:Vpc").engine.remote).to.equal(true);
        // The Kubernetes provider: the cluster (its kubeconfig) and the admins' access, no nodes, no CoreDNS.
        const provider = g.one("pulumi:providers:kubernetes");
        expect(provider.engine.dependencies).to.include(`aws:eks/cluster:Cluster::eks-dev`).and.include("aws:eks/accessPolicyAssociation:AccessPolicyAssociation::admin-ci-deploy");
        expect(provider.engine.dependencies.filter((d) => /nodeGroup|Addon/.test(d))).to.deep.equal([]);
        const storageClass = g.one("kubernetes:storage.k8s.io/v1:StorageClass");
        expect(createDependencies(storageClass, createdResources(g))).to.include.members([`aws:eks/cluster:Cluster::eks-dev`, keyOf(provider)]);
    });

    it("fails the budget when the graph serializes what runs side by side", () => {
        for (const g of stacks.inMode("auto")) {
            // The control plane after NAT: Auto Mode's floor is the control plane plus the slowest release.
            const serialized = withDependency(g, keyOf(g.one("aws:eks/cluster:Cluster")), keyOf(g.ofType("aws:ec2/natGateway:NatGateway")[0]));
            expect(timeline(serialized).total, formatTimeline(serialized).text).to.be.above(TIMELINE_BUDGETS.auto);
        }
        for (const g of stacks.inMode("karpenter")) {
            const monitoring = keyOf(release(g, "kube-prometheus-stack"));
            const lbc = keyOf(release(g, "aws-load-balancer-controller"));
            const nat = keyOf(g.ofType("aws:ec2/natGateway:NatGateway")[0]);
            const eks = keyOf(g.one("aws:eks/cluster:Cluster"));
            const provider = keyOf(g.one("pulumi:providers:kubernetes"));
            // The platform after the Load Balancer Controller, the control plane after NAT, the provider after CoreDNS.
            for (const serialized of [withDependency(g, monitoring, lbc), withDependency(g, eks, nat), withDependency(g, provider, "aws:eks/addon:Addon::coredns")]) {
                expect(timeline(serialized).total, formatTimeline(serialized).text).to.be.above(TIMELINE_BUDGET_MINUTES);
            }
        }
    });

    it("names the biggest savers: the control plane, then the system nodes", () => {
        const ups = speedUps(stacks.dev);
        expect(ups).to.have.length(5);
        expect(ups.slice(0, 2).map((u) => u.step.key)).to.deep.equal(["aws:eks/cluster:Cluster::eks-dev", "aws:eks/nodeGroup:NodeGroup::eks-dev-system"]);
        expect(ups[0].saves).to.be.above(ups[1].saves);
        // Without the control plane, NAT is what the system nodes wait for.
        expect(ups[0].saves).to.be.closeTo(WEIGHTS.controlPlane.minutes - WEIGHTS.natGateway.minutes + WEIGHTS.daemonSetAddon.minutes, 1e-9);
    });

    describe("rules of the model", () => {
        const provider = recorded("pulumi:providers:aws", "aws");
        const cluster = recorded("aws:eks/cluster:Cluster", "c", { provider: "pulumi:providers:aws::aws" });

        it("waits for the provider, deletedWith and a custom parent, never for a component parent", () => {
            const k8s = recorded("pulumi:providers:kubernetes", "k", { dependencies: ["aws:eks/cluster:Cluster::c"] });
            const viaProvider = recorded("kubernetes:core/v1:Namespace", "n", { provider: "pulumi:providers:kubernetes::k" });
            const component = recorded("eks-platform:x:Y", "comp", { dependencies: ["aws:eks/cluster:Cluster::c"] }, {}, false);
            const viaComponentParent = recorded("aws:iam/role:Role", "a", { parent: "eks-platform:x:Y::comp" });
            const viaCustomParent = recorded("aws:iam/role:Role", "b", { parent: "aws:eks/cluster:Cluster::c" });
            const viaDeletedWith = recorded("aws:iam/role:Role", "d", { deletedWith: "aws:eks/cluster:Cluster::c" });
            const t = timeline({ stack: "unit", resources: [provider, cluster, k8s, viaProvider, component, viaComponentParent, viaCustomParent, viaDeletedWith] });
            const start = (k: string) => t.steps.get(k)!.start;
            expect(start("aws:iam/role:Role::a")).to.equal(0);
            expect(start("kubernetes:core/v1:Namespace::n")).to.equal(WEIGHTS.controlPlane.minutes);
            expect(start("aws:iam/role:Role::b")).to.equal(WEIGHTS.controlPlane.minutes);
            expect(start("aws:iam/role:Role::d")).to.equal(WEIGHTS.controlPlane.minutes);
            expect(t.steps.has("eks-platform:x:Y::comp")).to.equal(false);
        });

        it("weighs awsx's VPC with its NAT gateways unless NAT is created beside it", () => {
            expect(weightOf(recorded("awsx:ec2:Vpc", "v", {}, { natGateways: { strategy: "OnePerAz" } })).minutes).to.equal(WEIGHTS.natGateway.minutes);
            expect(weightOf(recorded("awsx:ec2:Vpc", "v", {}, { natGateways: { strategy: "None" } })).minutes).to.equal(0);
        });

        it("holds an awaited release until nodes for its pods exist: the first provisioned node, or the system nodes", () => {
            const nodes = recorded("aws:eks/nodeGroup:NodeGroup", "system", { dependencies: ["aws:eks/cluster:Cluster::c"] });
            // Applied before the system nodes exist: its pods start when they do.
            const controller = recorded(RELEASE, "karpenter", { dependencies: ["aws:eks/cluster:Cluster::c"] }, { chart: "oci://public.ecr.aws/karpenter/karpenter", skipAwait: true });
            const pool = recorded(NODE_POOL, "pool", { dependencies: [`${RELEASE}::karpenter`] });
            const workload = recorded(RELEASE, "app", { dependencies: ["aws:eks/cluster:Cluster::c"] }, { chart: "app", values: {} });
            const onSystem = recorded(RELEASE, "ctl", { dependencies: ["aws:eks/cluster:Cluster::c"] }, { chart: "ctl", values: { tolerations: [{ key: "CriticalAddonsOnly", operator: "Exists" }] } });
            const t = timeline({ stack: "unit", resources: [provider, cluster, nodes, controller, pool, workload, onSystem] });
            const systemReady = WEIGHTS.controlPlane.minutes + WEIGHTS.nodeGroup.minutes;
            const firstNode = systemReady + WEIGHTS.awaitedRelease.minutes + WEIGHTS.nodeLaunch.minutes;
            expect(t.steps.get(`${RELEASE}::app`)!.finish).to.equal(firstNode + WEIGHTS.awaitedRelease.minutes);
            expect(t.steps.get(`${RELEASE}::ctl`)!.finish).to.equal(systemReady + WEIGHTS.awaitedRelease.minutes);
            expect(t.criticalPath.map((s) => s.key)).to.include("(first provisioned node Ready)");
        });
    });
});

describe("Teardown order (pulumi destroy)", () => {
    const stacks = useStacks();

    it("deletes, on every fixture, the workloads, then the NodePools, then the Karpenter controller, then the system nodes (Auto Mode: workloads, the NodePool, then the cluster)", () => {
        for (const g of stacks.inMode("auto")) {
            expect(teardownViolations(g), g.stack).to.deep.equal([]);
            const t = teardown(g);
            const wave = (key: string) => t.waves.findIndex((w) => w.includes(key));
            const order = [`${RELEASE}::monitoring`, `${NODE_POOL}::eks-${g.stack}-auto-node-pool`, `aws:eks/cluster:Cluster::eks-${g.stack}`].map(wave);
            expect(order.every((w) => w >= 0), `${g.stack}: ${order}`).to.equal(true);
            expect(order).to.deep.equal([...order].sort((a, b) => a - b));
            expect(new Set(order).size).to.equal(3);
        }
        for (const g of stacks.inMode("karpenter")) {
            expect(teardownViolations(g), g.stack).to.deep.equal([]);
            const t = teardown(g);
            const wave = (key: string) => t.waves.findIndex((w) => w.includes(key));
            const pool = `${NODE_POOL}::eks-${g.stack}-karpenter-node-pool`;
            const order = [`${RELEASE}::monitoring`, pool, `${RELEASE}::eks-${g.stack}-karpenter`, `aws:eks/nodeGroup:NodeGroup::eks-${g.stack}-system`].map(wave);
            expect(order).to.deep.equal([...order].sort((a, b) => a - b));
            expect(new Set(order).size).to.equal(4);
            // CoreDNS and the EBS CSI driver go with the cluster: DNS and volumes serve the controllers to the end.
            for (const addon of ["coredns", "aws-ebs-csi-driver"]) expect(g.one("aws:eks/addon:Addon", addon).engine.deletedWith).to.equal(`aws:eks/cluster:Cluster::eks-${g.stack}`);
        }
    });

    it("deletes the platform's Ingresses while the Load Balancer Controller still runs to delete their ALB", async () => {
        const g = await devWithOptionalFeatures();
        const ingresses = g.ofType("kubernetes:networking.k8s.io/v1:Ingress");
        expect(ingresses).to.have.length(2);
        expect(teardownViolations(g)).to.deep.equal([]);
        const t = teardown(g);
        for (const i of ingresses) expect(t.before(keyOf(i), `${RELEASE}::eks-dev-aws-load-balancer-controller`), i.name).to.equal(true);
        expect(timeline(g).total).to.be.at.most(TIMELINE_BUDGET_MINUTES);
    });

    it("reports each pair out of order when a dependency that orders the deletes is gone", () => {
        const g = stacks.dev;
        const broken = withoutDependency(g, `${RELEASE}::monitoring`, /NodePool/);
        expect(teardownViolations(broken)).to.deep.equal([
            `${RELEASE}::monitoring is not deleted before ${NODE_POOL}::eks-dev-karpenter-node-pool: a workload goes before the NodePools, so no pod of it is left to drain`,
        ]);
        const controllerFree = withoutDependency(g, `${NODE_POOL}::eks-dev-karpenter-node-pool`, /karpenter$|node-class/);
        expect(teardownViolations(controllerFree).join("\n")).to.include("goes while the Karpenter controller still runs");
    });
});

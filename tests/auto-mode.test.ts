import { expect } from "chai";
import { AUTO_MODE_CLUSTER_POLICIES, AUTO_MODE_NODE_POLICIES } from "../components/cluster/auto-mode/iam";
import { SchemaValidator, schemaValidator } from "../tooling/offline/schemas";
import { StackGraph } from "../tooling/offline/harness";
import { K8sObject, programObjects } from "../tooling/offline/render";
import { autoModeServiceCidr, clusterDnsAddress, clusterDnsAddressIpv6 } from "../components/cluster/auto-mode/dns";
import { Pod, decide } from "./support/network-policy-eval";
import { ACCOUNT_ID } from "../tooling/offline/mocks";
import { requireReference } from "./support/reference";
import { useStacks } from "./support/use-stacks";

const json = (text: string) => JSON.parse(text);
const managed = (name: string) => `arn:aws:iam::aws:policy/${name}`;
const custom = (g: StackGraph, kind: string) => g.resources.filter((r) => r.type.startsWith("kubernetes:") && r.type.endsWith(`:${kind}`));
const object = (inputs: Record<string, any>) => inputs as K8sObject;
const attachedTo = (g: StackGraph, prefix: string) =>
    g.ofType("aws:iam/rolePolicyAttachment:RolePolicyAttachment").filter((a) => a.name.startsWith(prefix)).map((a) => a.inputs.policyArn);

/** What `computeMode: auto` builds in place of the node group, Karpenter, the LBC and EBS CSI (the auto fixture). */
describe("EKS Auto Mode (computeMode auto)", () => {
    const stacks = useStacks();
    const each = (fn: (g: StackGraph, c: string) => void) => () => {
        for (const g of stacks.inMode("auto")) fn(g, `eks-${g.stack}`);
    };

    it(
        "runs the cluster with Auto Mode's compute (the built-in system pool on its node role), block storage and load balancing together",
        each((g, c) => {
            const cluster = g.one("aws:eks/cluster:Cluster").inputs;
            expect(cluster.computeConfig).to.deep.equal({ enabled: true, nodePools: ["system"], nodeRoleArn: `arn:aws:iam::${ACCOUNT_ID}:role/${c}-auto-system` });
            expect(cluster.storageConfig).to.deep.equal({ blockStorage: { enabled: true } });
            // IPv4: the range is given (its tenth address is DNS); IPv6: EKS assigns it, as it does without Auto Mode.
            expect(cluster.kubernetesNetworkConfig).to.deep.equal(
                g.outputs.ipFamily === "ipv6" ? { elasticLoadBalancing: { enabled: true }, ipFamily: "ipv6" } : { elasticLoadBalancing: { enabled: true }, serviceIpv4Cidr: "172.20.0.0/16" },
            );
            expect(cluster.bootstrapSelfManagedAddons).to.equal(false);
            expect(cluster.accessConfig.authenticationMode).to.equal("API");
            expect(g.outputs.computeMode).to.equal("auto");
            // The karpenter stacks are unchanged: none of the three, and their output says so.
            for (const k of stacks.inMode("karpenter")) {
                const inputs = k.one("aws:eks/cluster:Cluster").inputs;
                expect(inputs, k.stack).to.not.have.any.keys("computeConfig", "storageConfig");
                // Only an IPv6 karpenter cluster has a network config, and it holds the family alone.
                expect(inputs.kubernetesNetworkConfig, k.stack).to.deep.equal(k.outputs.ipFamily === "ipv6" ? { ipFamily: "ipv6" } : undefined);
                expect(k.outputs.computeMode).to.equal("karpenter");
            }
        }),
    );

    it(
        "gives the cluster role Auto Mode's four policies and the documented tag-propagation grant, each create kept to this cluster's own resources",
        each((g, c) => {
            expect(attachedTo(g, `${c}-cluster-`)).to.have.members([managed("AmazonEKSClusterPolicy"), ...AUTO_MODE_CLUSTER_POLICIES.map(managed)]);
            const role = g.one("aws:iam/role:Role", `${c}-cluster`);
            expect(json(role.inputs.assumeRolePolicy).Statement[0].Action).to.deep.equal(["sts:AssumeRole", "sts:TagSession"]);
            const tags = json(g.one("aws:iam/rolePolicy:RolePolicy", `${c}-cluster-auto-mode-tags`).inputs.policy).Statement;
            expect(tags.map((s: any) => s.Sid)).to.deep.equal(["Compute", "Storage", "Networking", "LoadBalancer"]);
            for (const s of tags) expect(s.Condition.StringEquals, s.Sid).to.deep.equal({ "aws:RequestTag/eks:eks-cluster-name": "${aws:PrincipalTag/eks:eks-cluster-name}" });
            for (const k of stacks.inMode("karpenter")) expect(attachedTo(k, `eks-${k.stack}-cluster-`)).to.deep.equal([managed("AmazonEKSClusterPolicy")]);
        }),
    );

    it(
        "runs both node roles on the minimal node policies; the NodeClass's role has its own EC2 access entry with AmazonEKSAutoNodePolicy",
        each((g, c) => {
            for (const role of [`${c}-auto-system`, `${c}-auto-nodes`]) {
                expect(json(g.one("aws:iam/role:Role", role).inputs.assumeRolePolicy).Statement[0].Principal).to.deep.equal({ Service: "ec2.amazonaws.com" });
                expect(attachedTo(g, `${role}-`)).to.have.members(AUTO_MODE_NODE_POLICIES.map(managed));
            }
            const entry = g.one("aws:eks/accessEntry:AccessEntry", `${c}-auto-nodes`);
            expect(entry.inputs).to.include({ type: "EC2", principalArn: `arn:aws:iam::${ACCOUNT_ID}:role/${c}-auto-nodes` });
            const association = g.one("aws:eks/accessPolicyAssociation:AccessPolicyAssociation", `${c}-auto-nodes`);
            expect(association.inputs.policyArn).to.equal("arn:aws:eks::aws:cluster-access-policy/AmazonEKSAutoNodePolicy");
            expect(association.inputs.accessScope).to.deep.equal({ type: "cluster" });
            // EKS creates the system pool role's entry itself: a second one would fail the update.
            expect(g.ofType("aws:eks/accessEntry:AccessEntry").filter((e) => e.inputs.principalArn.endsWith(`role/${c}-auto-system`))).to.deep.equal([]);
        }),
    );

    it(
        "installs no Karpenter, Load Balancer Controller, EBS CSI or node add-on, and no node group",
        each((g) => {
            const releases = g.ofType("kubernetes:helm.sh/v3:Release").map((r) => r.inputs.name);
            expect(releases).to.not.include.members(["karpenter", "karpenter-crd"]);
            expect(releases).to.not.include("aws-load-balancer-controller");
            expect(g.ofType("aws:eks/addon:Addon").map((a) => a.inputs.addonName)).to.deep.equal(["snapshot-controller"]);
            expect(g.ofType("aws:eks/nodeGroup:NodeGroup")).to.deep.equal([]);
            expect(g.ofType("aws:eks/podIdentityAssociation:PodIdentityAssociation").map((a) => a.inputs.serviceAccount)).to.not.include.members(["karpenter", "aws-load-balancer-controller", "ebs-csi-controller-sa"]);
        }),
    );

    it(
        "builds the workload NodePool from the karpenter* keys in Auto Mode's labels, on its own NodeClass, and tears down pool → class → access",
        each((g, c) => {
            const [pool] = custom(g, "NodePool");
            const spec = pool.inputs.spec;
            expect(spec.template.spec.nodeClassRef).to.deep.equal({ group: "eks.amazonaws.com", kind: "NodeClass", name: "workload" });
            const requirement = (key: string) => spec.template.spec.requirements.find((r: any) => r.key === key)?.values;
            expect(requirement("eks.amazonaws.com/instance-family")).to.deep.equal(["m7g", "c7g"]);
            expect(requirement("karpenter.sh/capacity-type")).to.deep.equal(["spot", "on-demand"]);
            expect(requirement("kubernetes.io/arch")).to.deep.equal(["arm64"]);
            // Auto Mode refuses Karpenter's own labels.
            expect(spec.template.spec.requirements.filter((r: any) => r.key.startsWith("karpenter.k8s.aws/"))).to.deep.equal([]);
            expect(spec.limits).to.deep.equal({ cpu: "16" });
            expect(spec.disruption).to.deep.equal({ consolidationPolicy: "WhenEmptyOrUnderutilized", consolidateAfter: "2m" });
            expect(spec.template.spec.expireAfter).to.equal("336h");
            expect(spec.template.metadata.labels).to.deep.equal({ "eks-platform/node-role": "workload" });
            const [nodeClass] = custom(g, "NodeClass");
            expect(pool.opts.dependsOn).to.include(`${nodeClass.type}::${nodeClass.name}`);
            expect(nodeClass.opts.dependsOn).to.include(`aws:eks/accessPolicyAssociation:AccessPolicyAssociation::${c}-auto-nodes`);
        }),
    );

    it(
        "describes the NodeClass: its role, the private subnets by discovery tag, the cluster security group, an encrypted root volume, NetworkPolicies enforced",
        each((g, c) => {
            const spec = custom(g, "NodeClass")[0].inputs.spec;
            expect(spec.role).to.equal(`${c}-auto-nodes`);
            expect(spec.subnetSelectorTerms).to.deep.equal([{ tags: { "karpenter.sh/discovery": c } }]);
            expect(spec.securityGroupSelectorTerms).to.deep.equal([{ id: g.outputs.nodeSecurityGroupId }]);
            expect(spec.ephemeralStorage).to.deep.equal({ size: "50Gi", iops: 3000, throughput: 125 });
            expect(spec).to.include({ networkPolicy: "DefaultAllow", networkPolicyEventLogs: "Disabled", snatPolicy: "Random" });
            expect(spec.tags).to.include({ environment: g.stack, project: "eks-platform" });
            const cni = g.one("kubernetes:core/v1:ConfigMap", `${c}-auto-network-policy`).inputs;
            expect(cni.metadata).to.deep.equal({ name: "amazon-vpc-cni", namespace: "kube-system" });
            expect(cni.data).to.deep.equal({ "enable-network-policy-controller": "true" });
        }),
    );

    it(
        "launches no node before the private subnets have their routes out (no node group waits for NAT here)",
        each((g, c) => {
            const routes = g.ofType("aws:ec2/route:Route").filter((r) => r.name.includes("-private-")).map((r) => `${r.type}::${r.name}`);
            expect(routes).to.not.be.empty;
            expect(g.one("kubernetes:karpenter.sh/v1:NodePool", `${c}-auto-node-pool`).opts.dependsOn).to.include.members(routes);
        }),
    );

    it(
        "makes `alb` the default internal IngressClass of Auto Mode's load balancing, with the owner tags on every load balancer (dual-stack in an IPv6 cluster)",
        each((g, c) => {
            const ingressClass = g.one("kubernetes:networking.k8s.io/v1:IngressClass", `${c}-auto-alb`).inputs;
            expect(ingressClass.metadata.annotations).to.deep.equal({ "ingressclass.kubernetes.io/is-default-class": "true" });
            expect(ingressClass.spec).to.deep.equal({ controller: "eks.amazonaws.com/alb", parameters: { apiGroup: "eks.amazonaws.com", kind: "IngressClassParams", name: "alb-internal", scope: "Cluster" } });
            const params = custom(g, "IngressClassParams").map((p) => p.inputs);
            expect(params.map((p) => p.metadata.name)).to.deep.equal(["alb-internal"]);
            // An IPv6 cluster's pods are IPv6 targets: its ALBs are dual-stack, as in karpenter mode.
            const family = g.outputs.ipFamily === "ipv6" ? { ipAddressType: "dualstack" } : {};
            expect(params[0].spec).to.deep.equal({ scheme: "internal", ...family, tags: [{ key: "project", value: "eks-platform" }, { key: "environment", value: g.stack }] });
        }),
    );

    it(
        "places the controllers that remain on Auto Mode's system pool, tolerating its CriticalAddonsOnly taint",
        each((g) => {
            const toleration = { key: "CriticalAddonsOnly", operator: "Exists", effect: "NoSchedule" };
            for (const name of ["external-secrets", "metrics-server", "external-dns", "velero"]) {
                const release = g.ofType("kubernetes:helm.sh/v3:Release").find((r) => r.inputs.name === name)!;
                const values = name === "external-secrets" ? release.inputs.values.global : release.inputs.values;
                expect(values.nodeSelector, name).to.deep.equal({ "karpenter.sh/nodepool": "system" });
                expect(values.tolerations, name).to.deep.include(toleration);
            }
            const snapshot = g.ofType("aws:eks/addon:Addon").find((a) => a.inputs.addonName === "snapshot-controller")!;
            expect(json(snapshot.inputs.configurationValues).nodeSelector).to.deep.equal({ "karpenter.sh/nodepool": "system" });
            const snapshotClass = g.resources.find((r) => r.type.endsWith(":VolumeSnapshotClass"))!;
            expect(snapshotClass.inputs.driver).to.equal("ebs.csi.eks.amazonaws.com");
        }),
    );

    it(
        "resolves names in every default-deny namespace through the node's own DNS at the service range's tenth address (IPv4: the explicit one; IPv6: the one EKS assigns), and nothing else on port 53",
        each((g) => {
            const ipv6 = g.outputs.ipFamily === "ipv6";
            // The IPv6 range is EKS's pick, read back from the cluster (the mocks answer as EKS does: a /108 of fd00::/8).
            if (ipv6) expect(g.one("aws:eks/cluster:Cluster").inputs.kubernetesNetworkConfig).to.not.have.property("serviceIpv4Cidr");
            else expect(g.one("aws:eks/cluster:Cluster").inputs.kubernetesNetworkConfig.serviceIpv4Cidr).to.equal("172.20.0.0/16");
            const [dns, other] = ipv6 ? ["fd5a:2c8e:91b4::a", "fd5a:2c8e:91b4::b"] : ["172.20.0.10", "172.20.0.11"];
            const policies = programObjects(g).filter((o) => o.kind === "NetworkPolicy");
            const pod = (namespace: string): Pod => ({ namespace, labels: { app: "x" }, ip: ipv6 ? "2600:1f14:0:8000::7" : "10.20.100.7", ports: {} });
            // A platform namespace, an add-on's, and the tenant namespace: all start from default-deny egress.
            for (const namespace of ["argocd", "external-secrets", "sandbox"]) {
                expect(policies.some((p) => p.metadata.namespace === namespace && p.metadata.name === "default-deny-egress"), namespace).to.equal(true);
                for (const protocol of ["UDP", "TCP"] as const) {
                    expect(decide(policies, { from: pod(namespace), to: { ip: dns }, port: 53, protocol }).allowed, `${namespace} DNS/${protocol}`).to.equal(true);
                }
                expect(decide(policies, { from: pod(namespace), to: { ip: other }, port: 53, protocol: "UDP" }).allowed, `${namespace} other service address`).to.equal(false);
            }
            // No rule selects CoreDNS pods, which Auto Mode does not run, and Prometheus looks for none.
            expect(JSON.stringify(policies)).to.not.include("kube-dns");
            expect(g.ofType("kubernetes:helm.sh/v3:Release").find((r) => r.inputs.name === "kube-prometheus-stack")!.inputs.values.coreDns).to.deep.equal({ enabled: false });
            for (const k of stacks.inMode("karpenter")) expect(JSON.stringify(programObjects(k).filter((o) => o.kind === "NetworkPolicy"))).to.include("kube-dns");
        }),
    );

    it("gives Auto Mode EKS's first-choice service CIDR unless the VPC or a reachable network overlaps it", () => {
        expect(autoModeServiceCidr("10.20.0.0/16", [])).to.equal("172.20.0.0/16");
        expect(autoModeServiceCidr("172.16.0.0/12", [])).to.equal("10.100.0.0/16");
        expect(autoModeServiceCidr("10.0.0.0/16", ["172.20.5.0/24"])).to.equal("10.100.0.0/16");
        expect(() => autoModeServiceCidr("10.0.0.0/8", ["172.20.0.0/16"])).to.throw("overlap both service CIDRs");
        expect(clusterDnsAddress("172.20.0.0/16")).to.equal("172.20.0.10");
        expect(clusterDnsAddress("10.100.0.0/16")).to.equal("10.100.0.10");
        expect(clusterDnsAddressIpv6("fd5a:2c8e:91b4::/108")).to.equal("fd5a:2c8e:91b4::a");
        expect(() => clusterDnsAddressIpv6(undefined)).to.throw("not an IPv6 service range");
    });

    describe("the NodeClass and IngressClassParams against the model of their documented fields (tooling/offline/auto-mode-crds.ts)", () => {
        let schemas: SchemaValidator;
        before(function () {
            requireReference(this);
            schemas = schemaValidator();
        });

        it(
            "accepts what the program emits",
            each((g) => {
                for (const kind of ["NodeClass", "IngressClassParams"]) {
                    const objects = custom(g, kind);
                    expect(objects, kind).to.not.be.empty;
                    for (const o of objects) expect(schemas.errors(object(o.inputs)), `${kind} ${o.name}`).to.deep.equal([]);
                }
            }),
        );

        it("rejects a Karpenter-only field, a bad enum, an out-of-range IOPS, a missing role and a misspelt scheme", () => {
            const nodeClass = custom(stacks.inMode("auto")[0], "NodeClass")[0].inputs;
            const withSpec = (spec: Record<string, unknown>) => object({ ...nodeClass, spec: { ...nodeClass.spec, ...spec } });
            expect(schemas.errors(withSpec({ amiSelectorTerms: [{ alias: "al2023@latest" }] })).join()).to.include("amiSelectorTerms");
            expect(schemas.errors(withSpec({ networkPolicy: "Allow" })).join()).to.match(/networkPolicy/);
            expect(schemas.errors(withSpec({ ephemeralStorage: { size: "50Gi", iops: 100, throughput: 125 } })).join()).to.match(/iops/);
            const { role: _role, ...noRole } = nodeClass.spec;
            expect(schemas.errors(object({ ...nodeClass, spec: noRole }))).to.not.be.empty;
            const params = custom(stacks.inMode("auto")[0], "IngressClassParams")[0].inputs;
            expect(schemas.errors(object({ ...params, spec: { ...params.spec, scheme: "public" } }))).to.not.be.empty;
        });
    });
});

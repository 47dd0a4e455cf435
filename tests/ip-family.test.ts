import { expect } from "chai";
import { StackGraph } from "../tooling/offline/harness";
import { ACCOUNT_ID } from "../tooling/offline/mocks";
import { errorFor } from "./support/config-errors";
import { decide } from "./support/iam-engine";
import { useStacks } from "./support/use-stacks";

const json = (value: unknown) => (typeof value === "string" ? JSON.parse(value) : value);
const release = (g: StackGraph, name: string) => g.ofType("kubernetes:helm.sh/v3:Release").find((r) => r.inputs.name === name)!;
const customResource = (g: StackGraph, kind: string) => g.resources.find((r) => r.type.startsWith("kubernetes:") && r.type.endsWith(`:${kind}`));

/** What `ipFamily: ipv6` changes beyond the network (tests/network.test.ts) and the NetworkPolicies (tests/tenant-network.test.ts). */
describe("ipFamily: an IPv6 cluster end to end, and IPv4 stacks left as they were", () => {
    const stacks = useStacks();
    const ipv6 = () => stacks.inMode("karpenter").find((g) => g.outputs.ipFamily === "ipv6")!;
    // IPv4 karpenter stacks: what ipv6 changes in this mode is compared with them (Auto Mode's side: tests/auto-mode.test.ts).
    const ipv4 = () => stacks.inMode("karpenter").filter((g) => g.outputs.ipFamily === "ipv4");

    it("is ipv4 unless a stack file says ipv6, and refuses anything else naming the key", () => {
        expect(ipv4().map((g) => g.stack)).to.include.members(["dev", "prod"]);
        expect(ipv6().stack).to.equal("ipv6");
        expect(errorFor("dev", { ipFamily: "dual" })).to.include('eks-platform:ipFamily: got "dual"').and.include("ipv4, ipv6");
        // The one combination AWS refuses: no IPv6 clusters in the China regions; the message names both keys.
        expect(errorFor("dev", { ipFamily: "ipv6", "aws:region": "cn-north-1" })).to.include('eks-platform:ipFamily: got "ipv6"').and.include("aws:region cn-north-1");
    });

    it("creates the cluster with EKS's IPv6 family (EKS assigns the service range; none is set), IPv4 clusters without a network config", () => {
        const cluster = ipv6().one("aws:eks/cluster:Cluster").inputs;
        expect(cluster.kubernetesNetworkConfig).to.deep.equal({ ipFamily: "ipv6" });
        // IPv4 karpenter clusters leave EKS its default range (Auto Mode's are in tests/auto-mode.test.ts).
        for (const g of ipv4().filter((s) => s.outputs.computeMode === "karpenter")) expect(g.one("aws:eks/cluster:Cluster").inputs.kubernetesNetworkConfig, g.stack).to.equal(undefined);
    });

    describe("the VPC CNI's IPv6 permissions", () => {
        const role = () => ipv6().one("aws:iam/policy:Policy", "eks-ipv6-vpc-cni-ipv6");
        const doc = () => json(role().inputs.policy);
        const eni = (region = "us-west-2", account = ACCOUNT_ID) => `arn:aws:ec2:${region}:${account}:network-interface/eni-0a1b2c3d`;
        const ownTags = { "aws:ResourceTag/kubernetes.io/cluster/eks-ipv6": "owned", "aws:ResourceTag/project": "eks-platform", "aws:ResourceTag/environment": "ipv6" };

        it("go to aws-node through its own Pod Identity role, which the vpc-cni add-on waits for, instead of the nodes' AmazonEKS_CNI_Policy", () => {
            const g = ipv6();
            expect(g.one("aws:eks/podIdentityAssociation:PodIdentityAssociation", "eks-ipv6-vpc-cni").inputs).to.include({ namespace: "kube-system", serviceAccount: "aws-node" });
            expect(g.one("aws:eks/addon:Addon", "vpc-cni").opts.dependsOn).to.include("aws:eks/podIdentityAssociation:PodIdentityAssociation::eks-ipv6-vpc-cni");
            const nodePolicies = g.ofType("aws:iam/rolePolicyAttachment:RolePolicyAttachment").filter((a) => /-nodes?-/.test(a.name)).map((a) => String(a.inputs.policyArn));
            expect(nodePolicies).to.not.be.empty;
            expect(nodePolicies.filter((p) => p.endsWith("/AmazonEKS_CNI_Policy"))).to.deep.equal([]);
            for (const g4 of ipv4()) {
                expect(g4.ofType("aws:eks/podIdentityAssociation:PodIdentityAssociation").filter((a) => a.inputs.serviceAccount === "aws-node"), g4.stack).to.deep.equal([]);
                const karpenterNodes = g4.ofType("aws:iam/rolePolicyAttachment:RolePolicyAttachment").filter((a) => a.name.includes("karpenter-nodes-"));
                expect(karpenterNodes.map((a) => String(a.inputs.policyArn)), g4.stack).to.include("arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy");
            }
        });

        it("hold exactly AWS's IPv6 CNI actions, the writes only on this account's and region's interfaces of this cluster's nodes (asked of the IAM engine)", async () => {
            const actions = doc().Statement.flatMap((s: any) => [s.Action].flat());
            expect(actions).to.have.members(["ec2:AssignIpv6Addresses", "ec2:CreateTags", "ec2:DescribeInstances", "ec2:DescribeTags", "ec2:DescribeNetworkInterfaces", "ec2:DescribeInstanceTypes"]);
            const ask = (action: string, resource: string, context: Record<string, string>) => decide({ identity: [doc()] }, { action, resource, context });
            expect(await ask("ec2:AssignIpv6Addresses", eni(), ownTags)).to.equal("allow");
            expect(await ask("ec2:CreateTags", eni(), ownTags)).to.equal("allow");
            expect(await ask("ec2:AssignIpv6Addresses", eni("eu-west-1"), ownTags), "another region").to.not.equal("allow");
            expect(await ask("ec2:AssignIpv6Addresses", eni("us-west-2", "444455556666"), ownTags), "another account").to.not.equal("allow");
            const { ["aws:ResourceTag/kubernetes.io/cluster/eks-ipv6"]: _cluster, ...otherCluster } = ownTags;
            expect(await ask("ec2:AssignIpv6Addresses", eni(), otherCluster), "another cluster's interface").to.not.equal("allow");
            expect(await ask("ec2:AssignIpv6Addresses", eni(), { ...ownTags, "aws:ResourceTag/environment": "prod" }), "another environment's").to.not.equal("allow");
            expect(await ask("ec2:AssignPrivateIpAddresses", eni(), ownTags), "IPv4 address management").to.not.equal("allow");
        });

        it("find the cluster tag on every interface the nodes launch: the system nodes' template puts it there, as Karpenter does", () => {
            const template = ipv6().one("aws:ec2/launchTemplate:LaunchTemplate").inputs;
            const enis = template.tagSpecifications.find((t: any) => t.resourceType === "network-interface");
            expect(enis.tags).to.include({ "kubernetes.io/cluster/eks-ipv6": "owned", project: "eks-platform", environment: "ipv6" });
            for (const g of ipv4()) {
                const tags = g.one("aws:ec2/launchTemplate:LaunchTemplate").inputs.tagSpecifications.find((t: any) => t.resourceType === "network-interface").tags;
                expect(Object.keys(tags).filter((k) => k.startsWith("kubernetes.io/cluster/")), g.stack).to.deep.equal([]);
            }
        });
    });

    it("lets IPv6 nodes answer instance metadata on the IPv6 endpoint too, hop limit 1 still keeping pods out", () => {
        const g = ipv6();
        expect(g.one("aws:ec2/launchTemplate:LaunchTemplate").inputs.metadataOptions).to.include({ httpProtocolIpv6: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1 });
        expect(customResource(g, "EC2NodeClass")!.inputs.spec.metadataOptions).to.include({ httpProtocolIPv6: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1 });
        for (const g4 of ipv4()) {
            expect(g4.one("aws:ec2/launchTemplate:LaunchTemplate").inputs.metadataOptions, g4.stack).to.not.have.property("httpProtocolIpv6");
            expect(customResource(g4, "EC2NodeClass")!.inputs.spec.metadataOptions.httpProtocolIPv6, g4.stack).to.equal("disabled");
        }
    });

    it("builds dual-stack ALBs (both ingress classes) whose names external-dns publishes as AAAA records too", () => {
        const g = ipv6();
        const lbc = release(g, "aws-load-balancer-controller").inputs.values;
        expect(lbc.ingressClassParams.spec).to.deep.equal({ scheme: "internal", ipAddressType: "dualstack" });
        expect(customResource(g, "IngressClassParams")!.inputs.spec).to.include({ scheme: "internet-facing", ipAddressType: "dualstack" });
        const ingresses = g.ofType("kubernetes:networking.k8s.io/v1:Ingress");
        expect(ingresses.map((i) => i.inputs.metadata.name)).to.have.length(2);
        for (const i of ingresses) expect(i.inputs.metadata.annotations, i.name).to.include({ "alb.ingress.kubernetes.io/ip-address-type": "dualstack" });
        expect(release(g, "external-dns").inputs.values.managedRecordTypes).to.include.members(["A", "AAAA"]);
        for (const g4 of ipv4()) {
            expect(release(g4, "aws-load-balancer-controller").inputs.values.ingressClassParams.spec, g4.stack).to.deep.equal({ scheme: "internal" });
            expect(release(g4, "external-dns").inputs.values, g4.stack).to.not.have.property("managedRecordTypes");
        }
    });
});

import { expect } from "chai";
import * as pulumi from "@pulumi/pulumi";
import { awsxChild } from "../components/network/nat";
import { useStacks } from "./support/use-stacks";
import { StackGraph } from "../tooling/offline/harness";
import { MOCK_VPC_IPV6_CIDR, mockSubnetCidrs } from "../tooling/offline/mocks";
import { cidrContains, ipv6Subnet, nat64 } from "../components/shared/ipv6";

describe("Network", () => {
    const stacks = useStacks();

    it("uses the configured, non-overlapping CIDRs", () => {
        expect(stacks.dev.one("awsx:ec2:Vpc").inputs.cidrBlock).to.equal("10.0.0.0/16");
        expect(stacks.prod.one("awsx:ec2:Vpc").inputs.cidrBlock).to.equal("10.1.0.0/16");
        expect(stacks.dev.outputs.vpcCidr).to.equal("10.0.0.0/16");
    });

    it("spreads subnets over 3 AZs and exports one subnet id per AZ", () => {
        for (const g of stacks.all) {
            // IPv4: awsx's VPC spreads them; ipv6: the dual-stack VPC's own subnets, one per side and zone.
            if (g.outputs.ipFamily === "ipv6") expect(g.ofType("aws:ec2/subnet:Subnet").map((s) => s.inputs.availabilityZone)).to.have.members(["us-west-2a", "us-west-2b", "us-west-2c", "us-west-2a", "us-west-2b", "us-west-2c"]);
            else expect(g.one("awsx:ec2:Vpc").inputs.numberOfAvailabilityZones).to.equal(3);
            expect(g.outputs.privateSubnetIds).to.have.length(3);
            expect(g.outputs.publicSubnetIds).to.have.length(3);
        }
    });

    it("sizes private subnets /19 and public /22 inside a /16", () => {
        const specs = stacks.dev.one("awsx:ec2:Vpc").inputs.subnetSpecs;
        expect(specs.map((s: any) => [s.type, s.cidrMask])).to.deep.equal([["Private", 19], ["Public", 22]]);
    });

    it("uses one NAT gateway in dev and one per AZ in prod, beside awsx's VPC, each private subnet routing through its zone's", () => {
        for (const [g, gateways] of [[stacks.dev, 1], [stacks.prod, 3]] as const) {
            expect(g.one("awsx:ec2:Vpc").inputs.natGateways).to.deep.equal({ strategy: "None" });
            const nats = g.ofType("aws:ec2/natGateway:NatGateway");
            expect(nats.map((n) => n.name)).to.deep.equal(Array.from({ length: gateways }, (_, i) => `network-${i + 1}`));
            expect(nats.map((n) => n.inputs.subnetId)).to.deep.equal(g.outputs.publicSubnetIds.slice(0, gateways));
            for (const n of nats) expect(n.inputs.allocationId).to.match(/^eipalloc-/);
            const routes = g.ofType("aws:ec2/route:Route");
            expect(routes.map((r) => [r.inputs.routeTableId, r.inputs.destinationCidrBlock])).to.deep.equal(
                g.outputs.privateSubnetIds.map((id: string) => [id.replace(/^subnet-/, "rtb-"), "0.0.0.0/0"]),
            );
            // The control plane needs the subnets only; the system nodes pull images through NAT.
            const eks = g.one("aws:eks/cluster:Cluster").engine.dependencies;
            expect(eks).to.include("awsx:ec2:Vpc::network");
            expect(eks.filter((d) => /natGateway|route:Route|eip:Eip/.test(d))).to.deep.equal([]);
            expect(g.one("aws:eks/nodeGroup:NodeGroup").engine.dependencies).to.include.members(routes.map((r) => `${r.type}::${r.name}`));
        }
    });

    it("adopts the NAT gateways, addresses and routes awsx made before, by their URNs there", async () => {
        const vpc = { urn: pulumi.output("urn:pulumi:prod::eks-platform::eks-platform:network:Network$awsx:ec2:Vpc::network") } as unknown as pulumi.Resource;
        const urn = (o: pulumi.Output<string>) => new Promise((resolve) => o.apply(resolve));
        expect(await urn(awsxChild(vpc, ["aws:ec2/subnet:Subnet"], "aws:ec2/natGateway:NatGateway", "network-2"))).to.equal(
            "urn:pulumi:prod::eks-platform::eks-platform:network:Network$awsx:ec2:Vpc$aws:ec2/vpc:Vpc$aws:ec2/subnet:Subnet$aws:ec2/natGateway:NatGateway::network-2",
        );
        expect(await urn(awsxChild(vpc, ["aws:ec2/subnet:Subnet", "aws:ec2/routeTable:RouteTable"], "aws:ec2/route:Route", "network-private-1"))).to.equal(
            "urn:pulumi:prod::eks-platform::eks-platform:network:Network$awsx:ec2:Vpc$aws:ec2/vpc:Vpc$aws:ec2/subnet:Subnet$aws:ec2/routeTable:RouteTable$aws:ec2/route:Route::network-private-1",
        );
    });

    it("tags public subnets for internet-facing ALBs and private ones for internal ALBs and Karpenter", () => {
        for (const [g, cluster] of [[stacks.dev, "eks-dev"], [stacks.prod, "eks-prod"]] as const) {
            const specs = g.one("awsx:ec2:Vpc").inputs.subnetSpecs;
            const pub = specs.find((s: any) => s.type === "Public");
            const priv = specs.find((s: any) => s.type === "Private");
            expect(pub.tags).to.deep.equal({ "kubernetes.io/role/elb": "1" });
            expect(priv.tags).to.deep.equal({ "kubernetes.io/role/internal-elb": "1", "karpenter.sh/discovery": cluster });
        }
    });

    it("routes S3 from the private route tables through a gateway endpoint", () => {
        const endpoint = stacks.dev.one("aws:ec2/vpcEndpoint:VpcEndpoint");
        expect(endpoint.inputs.vpcEndpointType).to.equal("Gateway");
        expect(endpoint.inputs.serviceName).to.equal("com.amazonaws.us-west-2.s3");
        expect(endpoint.inputs.vpcId).to.match(/^vpc-/);
        expect(endpoint.inputs.routeTableIds).to.have.length(3);
    });

    it("sends all VPC traffic to an encrypted log group with the configured retention", () => {
        for (const [g, days] of [[stacks.dev, 7], [stacks.prod, 365]] as const) {
            const flowLog = g.one("aws:ec2/flowLog:FlowLog");
            expect(flowLog.inputs.trafficType).to.equal("ALL");
            expect(flowLog.inputs.logDestinationType).to.equal("cloud-watch-logs");
            const group = g.ofType("aws:cloudwatch/logGroup:LogGroup").find((l) => l.inputs.namePrefix === "/aws/vpc/flow-logs/")!;
            expect(group.inputs.retentionInDays).to.equal(days);
            expect(group.inputs.kmsKeyId).to.match(/^arn:aws:kms:us-west-2:\d{12}:key\//);
            expect(flowLog.inputs.logDestination).to.match(/^arn:aws:logs:/);
        }
    });

    it("lets only VPC Flow Logs of this account assume the flow-log role, writing only to its group", () => {
        const role = stacks.dev.one("aws:iam/role:Role", "network-flow-logs");
        const trust = JSON.parse(role.inputs.assumeRolePolicy);
        expect(trust.Statement[0].Principal).to.deep.equal({ Service: "vpc-flow-logs.amazonaws.com" });
        expect(trust.Statement[0].Condition.StringEquals["aws:SourceAccount"]).to.match(/^\d{12}$/);
        const policy = JSON.parse(stacks.dev.one("aws:iam/rolePolicy:RolePolicy", "network-flow-logs").inputs.policy);
        expect(policy.Statement[0].Action).to.have.members(["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"]);
        for (const resource of policy.Statement[0].Resource) expect(resource).to.match(/^arn:aws:logs:.*log-group:\/aws\/vpc\/flow-logs\//);
    });

    it("strips every rule from the default security group", () => {
        const sg = stacks.dev.one("aws:ec2/defaultSecurityGroup:DefaultSecurityGroup");
        expect(sg.inputs.ingress ?? []).to.be.empty;
        expect(sg.inputs.egress ?? []).to.be.empty;
    });

    it("protects the flow-log group in prod only", () => {
        const group = (g: StackGraph) => g.ofType("aws:cloudwatch/logGroup:LogGroup").find((l) => l.inputs.namePrefix === "/aws/vpc/flow-logs/")!;
        expect(group(stacks.prod).opts.protect).to.equal(true);
        expect(group(stacks.dev).opts.protect).to.equal(false);
    });

    describe("ipFamily ipv6: a dual-stack VPC", () => {
        const ipv6 = () => stacks.inMode("karpenter").find((g) => g.outputs.ipFamily === "ipv6")!;
        const subnets = (g: StackGraph, side: "public" | "private") => g.ofType("aws:ec2/subnet:Subnet").filter((s) => s.name.includes(`-${side}-`));
        const routes = (g: StackGraph) => g.ofType("aws:ec2/route:Route");

        it("is built for the ipv6 fixture only, from EC2 resources (awsx cannot give subnets IPv6), with an Amazon-provided /56", () => {
            for (const g of stacks.all) expect(g.ofType("awsx:ec2:Vpc"), g.stack).to.have.length(g.outputs.ipFamily === "ipv6" ? 0 : 1);
            const vpc = ipv6().one("aws:ec2/vpc:Vpc").inputs;
            expect(vpc).to.include({ cidrBlock: "10.2.0.0/16", assignGeneratedIpv6CidrBlock: true, enableDnsHostnames: true, enableDnsSupport: true });
            expect(ipv6().outputs).to.include({ ipFamily: "ipv6", vpcCidr: "10.2.0.0/16", vpcIpv6Cidr: MOCK_VPC_IPV6_CIDR });
            for (const g of stacks.all.filter((x) => x.outputs.ipFamily !== "ipv6")) expect(g.outputs, g.stack).to.include({ ipFamily: "ipv4", vpcIpv6Cidr: null });
        });

        it("keeps awsx's IPv4 layout and discovery tags, and gives every subnet its own /64 of the VPC's block", () => {
            const g = ipv6();
            // awsx's layout as the mocks compute it on their own, not the program's subnetLayout checked against itself.
            const layout = mockSubnetCidrs("10.2.0.0/16", 3);
            const ranges = [...subnets(g, "private"), ...subnets(g, "public")].map((s) => s.inputs.ipv6CidrBlock);
            expect(subnets(g, "private").map((s) => s.inputs.cidrBlock)).to.deep.equal(layout.private);
            expect(subnets(g, "public").map((s) => s.inputs.cidrBlock)).to.deep.equal(layout.public);
            expect(new Set(ranges).size).to.equal(6);
            for (const range of ranges) expect(range).to.match(/\/64$/).and.satisfy((r: string) => cidrContains(MOCK_VPC_IPV6_CIDR, r));
            for (const s of subnets(g, "private")) expect(s.inputs.tags).to.include({ "kubernetes.io/role/internal-elb": "1", "karpenter.sh/discovery": "eks-ipv6" });
            for (const s of subnets(g, "public")) expect(s.inputs.tags).to.include({ "kubernetes.io/role/elb": "1" });
        });

        it("gives instances IPv6 addresses and DNS64 in the private subnets only; nothing launched in a public subnet gets a public address of either family", () => {
            const g = ipv6();
            for (const s of subnets(g, "private")) expect(s.inputs).to.include({ assignIpv6AddressOnCreation: true, enableDns64: true, mapPublicIpOnLaunch: false });
            for (const s of subnets(g, "public")) expect(s.inputs).to.include({ assignIpv6AddressOnCreation: false, enableDns64: false, mapPublicIpOnLaunch: false });
        });

        it("routes private IPv6 out through an egress-only gateway, 64:ff9b::/96 (NAT64) and IPv4 through the NAT gateway, and the public side both ways through the internet gateway", () => {
            const g = ipv6();
            expect(g.ofType("aws:ec2/egressOnlyInternetGateway:EgressOnlyInternetGateway")).to.have.length(1);
            expect(g.ofType("aws:ec2/internetGateway:InternetGateway")).to.have.length(1);
            const tables = g.ofType("aws:ec2/routeTable:RouteTable");
            expect(tables).to.have.length(4);
            const of = (name: string) => routes(g).filter((r) => r.name.startsWith(`${name}-`)).map((r) => r.inputs);
            const pub = of("network-public");
            expect(pub.map((r) => r.destinationCidrBlock ?? r.destinationIpv6CidrBlock)).to.have.members(["0.0.0.0/0", "::/0"]);
            for (const r of pub) expect(r.gatewayId).to.match(/^network-/);
            for (const zone of [1, 2, 3]) {
                const rs = of(`network-private-${zone}`);
                expect(rs.find((r) => r.destinationIpv6CidrBlock === "::/0")).to.have.property("egressOnlyGatewayId").that.matches(/^network-/);
                expect(rs.find((r) => r.destinationIpv6CidrBlock === "::/0")).to.not.have.property("gatewayId");
                expect(rs.find((r) => r.destinationIpv6CidrBlock === "64:ff9b::/96")).to.have.property("natGatewayId").that.matches(/^network-/);
                expect(rs.find((r) => r.destinationCidrBlock === "0.0.0.0/0")).to.have.property("natGatewayId").that.matches(/^network-/);
            }
            // natStrategy single: one NAT gateway (and its address) serves every zone, IPv4 and NAT64 alike.
            expect(g.ofType("aws:ec2/natGateway:NatGateway")).to.have.length(1);
            expect(g.ofType("aws:ec2/eip:Eip")).to.have.length(1);
            expect(new Set(routes(g).filter((r) => r.inputs.natGatewayId).map((r) => r.inputs.natGatewayId)).size).to.equal(1);
        });

        it("keeps the S3 gateway endpoint on the private route tables and the flow log on the VPC", () => {
            const g = ipv6();
            expect(g.one("aws:ec2/vpcEndpoint:VpcEndpoint").inputs.routeTableIds).to.have.length(3);
            expect(g.one("aws:ec2/flowLog:FlowLog").inputs).to.include({ trafficType: "ALL" });
        });

        it("carves /64s and NAT64 prefixes exactly (the helpers the VPC and the NetworkPolicies use)", () => {
            expect(ipv6Subnet("2600:1f14:e1a:4c00::/56", 64, 0)).to.equal("2600:1f14:e1a:4c00::/64");
            expect(ipv6Subnet("2600:1f14:e1a:4c00::/56", 64, 18)).to.equal("2600:1f14:e1a:4c12::/64");
            expect(() => ipv6Subnet("2600:1f14:e1a:4c00::/56", 64, 256)).to.throw("holds no subnet #256");
            expect(nat64("10.2.0.0/16")).to.equal("64:ff9b::a02:0/112");
            expect(nat64("169.254.0.0/16")).to.equal("64:ff9b::a9fe:0/112");
            expect(nat64("0.0.0.0/0")).to.equal("64:ff9b::/96");
        });
    });
});

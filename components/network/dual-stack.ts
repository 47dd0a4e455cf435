import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { IPV6_WORLD, NAT64_PREFIX, ipv6Subnet } from "../shared/ipv6";
import { subnetLayout, subnetTags } from "./subnets";
import { NatStrategy } from "./types";

/** Each subnet's IPv6 range: a /64 of the VPC's Amazon-provided /56 (the size AWS requires). */
export const SUBNET_IPV6_PREFIX = 64;
/** The /64 numbers inside the /56: private subnets from 0, public ones from 16 (room for the zones either side). */
export const IPV6_SUBNET_INDEX = { private: 0, public: 16 } as const;

export interface DualStackVpcArgs {
    /** The VPC's IPv4 CIDR (nodes' primary addresses, NAT gateways, IPv4 load-balancer addresses). */
    vpcCidr: string;
    azCount: number;
    natStrategy: NatStrategy;
    /** Subnet discovery tags name this cluster (Karpenter's subnet selector). */
    clusterName: string;
}

/**
 * A dual-stack VPC built from plain EC2 resources, because awsx's Vpc (3.9) neither gives its subnets IPv6
 * ranges nor creates an egress-only gateway, DNS64 or the NAT64 route. Same IPv4 layout and discovery tags as
 * the awsx VPC; in addition an Amazon-provided /56, a /64 per subnet, and:
 * - public subnets: IPv4 and IPv6 default routes to the internet gateway; nothing is launched there with a
 *   public address of either family (NAT gateways and load balancers only);
 * - private subnets: IPv6 addresses on launch (nodes and pods), `::/0` to an egress-only internet gateway (out,
 *   never in), DNS64 so IPv6-only pods resolve IPv4-only names inside 64:ff9b::/96, and that prefix to the
 *   zone's NAT gateway, which translates it (NAT64) alongside the IPv4 default route.
 */
export class DualStackVpc extends pulumi.ComponentResource {
    readonly vpcId: pulumi.Output<string>;
    /** The Amazon-provided /56. */
    readonly ipv6Cidr: pulumi.Output<string>;
    readonly publicSubnetIds: pulumi.Output<string[]>;
    readonly privateSubnetIds: pulumi.Output<string[]>;
    readonly publicSubnetCidrs: string[];
    readonly privateSubnetCidrs: string[];
    readonly publicSubnetIpv6Cidrs: pulumi.Output<string[]>;
    readonly privateSubnetIpv6Cidrs: pulumi.Output<string[]>;
    readonly privateRouteTableIds: pulumi.Output<string[]>;
    /** The private subnets' routes out (NAT, egress-only gateway, NAT64): what needs the internet from them waits for these. */
    readonly privateEgress: aws.ec2.Route[];

    constructor(name: string, args: DualStackVpcArgs, opts?: pulumi.ComponentResourceOptions) {
        super("eks-platform:network:DualStackVpc", name, {}, opts);
        const parent = { parent: this };
        const vpc = new aws.ec2.Vpc(
            name,
            { cidrBlock: args.vpcCidr, assignGeneratedIpv6CidrBlock: true, enableDnsHostnames: true, enableDnsSupport: true, tags: { Name: name } },
            parent,
        );
        const ipv6Block = vpc.ipv6CidrBlock;
        const zones = aws.getAvailabilityZonesOutput({ state: "available", filters: [{ name: "zone-type", values: ["availability-zone"] }] }, parent).names;
        const layout = subnetLayout(args.vpcCidr, args.azCount);
        const tags = subnetTags(args.clusterName);

        const igw = new aws.ec2.InternetGateway(name, { vpcId: vpc.id, tags: { Name: name } }, parent);
        const eigw = new aws.ec2.EgressOnlyInternetGateway(name, { vpcId: vpc.id, tags: { Name: name } }, parent);

        const subnet = (side: "public" | "private", i: number) =>
            new aws.ec2.Subnet(
                `${name}-${side}-${i + 1}`,
                {
                    vpcId: vpc.id,
                    availabilityZone: zones[i],
                    cidrBlock: layout[side][i],
                    ipv6CidrBlock: ipv6Block.apply((block) => ipv6Subnet(block, SUBNET_IPV6_PREFIX, IPV6_SUBNET_INDEX[side] + i)),
                    mapPublicIpOnLaunch: false,
                    // Only the private side launches instances; their (and their pods') IPv6 addresses leave through the egress-only gateway.
                    assignIpv6AddressOnCreation: side === "private",
                    enableDns64: side === "private",
                    enableResourceNameDnsAaaaRecordOnLaunch: side === "private",
                    tags: { ...tags[side], Name: `${name}-${side}-${i + 1}` },
                },
                parent,
            );
        const zonesIndex = Array.from({ length: args.azCount }, (_, i) => i);
        const publics = zonesIndex.map((i) => subnet("public", i));
        const privates = zonesIndex.map((i) => subnet("private", i));

        const publicRoutes = new aws.ec2.RouteTable(`${name}-public`, { vpcId: vpc.id, tags: { Name: `${name}-public` } }, parent);
        new aws.ec2.Route(`${name}-public-ipv4`, { routeTableId: publicRoutes.id, destinationCidrBlock: "0.0.0.0/0", gatewayId: igw.id }, parent);
        new aws.ec2.Route(`${name}-public-ipv6`, { routeTableId: publicRoutes.id, destinationIpv6CidrBlock: IPV6_WORLD, gatewayId: igw.id }, parent);
        publics.forEach((s, i) => new aws.ec2.RouteTableAssociation(`${name}-public-${i + 1}`, { subnetId: s.id, routeTableId: publicRoutes.id }, parent));

        const natCount = args.natStrategy === "single" ? 1 : args.azCount;
        const nats = Array.from({ length: natCount }, (_, i) => {
            const eip = new aws.ec2.Eip(`${name}-nat-${i + 1}`, { domain: "vpc", tags: { Name: `${name}-nat-${i + 1}` } }, parent);
            return new aws.ec2.NatGateway(
                `${name}-${i + 1}`,
                { subnetId: publics[i].id, allocationId: eip.allocationId, tags: { Name: `${name}-${i + 1}` } },
                { parent: this, dependsOn: [igw] },
            );
        });
        const privateEgress: aws.ec2.Route[] = [];
        const privateRoutes = privates.map((s, i) => {
            const table = new aws.ec2.RouteTable(`${name}-private-${i + 1}`, { vpcId: vpc.id, tags: { Name: `${name}-private-${i + 1}` } }, parent);
            const nat = nats[Math.min(i, nats.length - 1)];
            privateEgress.push(
                new aws.ec2.Route(`${name}-private-${i + 1}-ipv4`, { routeTableId: table.id, destinationCidrBlock: "0.0.0.0/0", natGatewayId: nat.id }, parent),
                new aws.ec2.Route(`${name}-private-${i + 1}-ipv6`, { routeTableId: table.id, destinationIpv6CidrBlock: IPV6_WORLD, egressOnlyGatewayId: eigw.id }, parent),
                new aws.ec2.Route(`${name}-private-${i + 1}-nat64`, { routeTableId: table.id, destinationIpv6CidrBlock: NAT64_PREFIX, natGatewayId: nat.id }, parent),
            );
            new aws.ec2.RouteTableAssociation(`${name}-private-${i + 1}`, { subnetId: s.id, routeTableId: table.id }, parent);
            return table;
        });

        this.vpcId = vpc.id;
        this.ipv6Cidr = ipv6Block;
        this.publicSubnetIds = pulumi.all(publics.map((s) => s.id));
        this.privateSubnetIds = pulumi.all(privates.map((s) => s.id));
        this.publicSubnetCidrs = layout.public;
        this.privateSubnetCidrs = layout.private;
        this.publicSubnetIpv6Cidrs = pulumi.all(publics.map((s) => s.ipv6CidrBlock));
        this.privateSubnetIpv6Cidrs = pulumi.all(privates.map((s) => s.ipv6CidrBlock));
        this.privateRouteTableIds = pulumi.all(privateRoutes.map((t) => t.id));
        this.privateEgress = privateEgress;
        this.registerOutputs({ vpcId: this.vpcId, ipv6Cidr: this.ipv6Cidr });
    }
}

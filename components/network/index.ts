import * as aws from "@pulumi/aws";
import * as awsx from "@pulumi/awsx";
import * as pulumi from "@pulumi/pulumi";
import { DualStackVpc } from "./dual-stack";
import { FlowLogs } from "./flow-logs";
import { createNatGateways } from "./nat";
import { subnetSpecs } from "./subnets";
import { IpFamily, NetworkArgs } from "./types";

export { IpFamily, NetworkArgs, NatStrategy } from "./types";

/**
 * VPC with a public and a private subnet per AZ, NAT per strategy, an S3 gateway endpoint
 * (image layers from ECR fetched over IPv4 bypass the NAT; in the dual-stack VPC a client that prefers
 * DNS64's synthesized IPv6 address reaches S3 through NAT64 instead) and flow logs. IPv4: awsx's Vpc;
 * ipv6: the dual-stack VPC (dual-stack.ts), which awsx cannot build.
 */
export class Network extends pulumi.ComponentResource {
    readonly vpcId: pulumi.Output<string>;
    readonly publicSubnetIds: pulumi.Output<string[]>;
    readonly privateSubnetIds: pulumi.Output<string[]>;
    /** CIDRs of the public subnets: where an internet-facing load balancer's ENIs are (no node, so no pod, runs there). */
    readonly publicSubnetCidrs: pulumi.Output<string[]>;
    /** CIDRs of the private subnets: nodes and pods, the EKS control plane's ENIs, internal load balancers. */
    readonly privateSubnetCidrs: pulumi.Output<string[]>;
    readonly vpcCidr: string;
    /** The private subnets' default routes through NAT: nodes there pull images and reach AWS through them. */
    readonly privateEgress: pulumi.Resource[];

    /** The VPC's Amazon-provided IPv6 /56 (ipFamily ipv6); undefined for an IPv4 VPC. */
    readonly vpcIpv6Cidr?: pulumi.Output<string>;
    /** IPv6 /64s of the public and private subnets (ipFamily ipv6); undefined for an IPv4 VPC. */
    readonly publicSubnetIpv6Cidrs?: pulumi.Output<string[]>;
    readonly privateSubnetIpv6Cidrs?: pulumi.Output<string[]>;
    readonly ipFamily: IpFamily;
    /** The public subnets' ranges of every family the VPC has (IPv4, and the IPv6 /64s with ipFamily ipv6). */
    readonly publicSubnetRanges: pulumi.Output<string[]>;
    /** The private subnets' ranges of every family the VPC has. */
    readonly privateSubnetRanges: pulumi.Output<string[]>;

    constructor(name: string, args: NetworkArgs, opts?: pulumi.ComponentResourceOptions) {
        super("eks-platform:network:Network", name, {}, opts);
        this.vpcCidr = args.vpcCidr;
        this.ipFamily = args.ipFamily;
        let privateRouteTableIds: pulumi.Input<string[]>;
        if (args.ipFamily === "ipv6") {
            const vpc = new DualStackVpc(name, { vpcCidr: args.vpcCidr, azCount: args.azCount, natStrategy: args.natStrategy, clusterName: args.clusterName }, { parent: this });
            this.vpcId = vpc.vpcId;
            this.publicSubnetIds = vpc.publicSubnetIds;
            this.privateSubnetIds = vpc.privateSubnetIds;
            this.publicSubnetCidrs = pulumi.output(vpc.publicSubnetCidrs);
            this.privateSubnetCidrs = pulumi.output(vpc.privateSubnetCidrs);
            this.vpcIpv6Cidr = vpc.ipv6Cidr;
            this.publicSubnetIpv6Cidrs = vpc.publicSubnetIpv6Cidrs;
            this.privateSubnetIpv6Cidrs = vpc.privateSubnetIpv6Cidrs;
            privateRouteTableIds = vpc.privateRouteTableIds;
            this.privateEgress = vpc.privateEgress;
        } else {
            const prefix = Number(args.vpcCidr.split("/")[1]);
            const vpc = new awsx.ec2.Vpc(
                name,
                {
                    cidrBlock: args.vpcCidr,
                    numberOfAvailabilityZones: args.azCount,
                    subnetStrategy: awsx.ec2.SubnetAllocationStrategy.Auto,
                    subnetSpecs: subnetSpecs(prefix, args.clusterName),
                    // NAT is created beside awsx (./nat.ts), so the subnets are ready without it.
                    natGateways: { strategy: awsx.ec2.NatGatewayStrategy.None },
                    enableDnsHostnames: true,
                    enableDnsSupport: true,
                },
                { parent: this },
            );
            this.vpcId = vpc.vpcId;
            this.publicSubnetIds = vpc.publicSubnetIds;
            this.privateSubnetIds = vpc.privateSubnetIds;
            this.privateEgress = createNatGateways(
                name,
                { strategy: args.natStrategy, azCount: args.azCount, vpc, publicSubnetIds: vpc.publicSubnetIds, privateSubnetIds: vpc.privateSubnetIds },
                this,
            );
            // awsx allocates the subnets' ranges; the NetworkPolicies admit them as AWS reports them.
            const cidrsOf = (ids: pulumi.Output<string[]>) =>
                ids.apply((list) => pulumi.all(list.map((id) => aws.ec2.getSubnetOutput({ id }, { parent: this }).cidrBlock)));
            this.publicSubnetCidrs = cidrsOf(vpc.publicSubnetIds);
            this.privateSubnetCidrs = cidrsOf(vpc.privateSubnetIds);
            privateRouteTableIds = aws.ec2.getRouteTablesOutput(
                { vpcId: vpc.vpcId, filters: [{ name: "association.subnet-id", values: vpc.privateSubnetIds }] },
                { parent: this },
            ).ids;
        }

        // The default security group is left with no rules, so nothing can use it by accident.
        const ranges = (v4: pulumi.Output<string[]>, v6?: pulumi.Output<string[]>) => (v6 ? pulumi.all([v4, v6]).apply(([a, b]) => [...a, ...b]) : v4);
        this.publicSubnetRanges = ranges(this.publicSubnetCidrs, this.publicSubnetIpv6Cidrs);
        this.privateSubnetRanges = ranges(this.privateSubnetCidrs, this.privateSubnetIpv6Cidrs);

        new aws.ec2.DefaultSecurityGroup(name, { vpcId: this.vpcId }, { parent: this });

        new aws.ec2.VpcEndpoint(
            `${name}-s3`,
            {
                vpcId: this.vpcId,
                serviceName: `com.amazonaws.${args.aws.region}.s3`,
                vpcEndpointType: "Gateway",
                routeTableIds: privateRouteTableIds,
            },
            { parent: this },
        );

        new FlowLogs(
            `${name}-flow-logs`,
            {
                vpcId: this.vpcId,
                retentionDays: args.flowLogRetentionDays,
                kmsKeyArn: args.logsKeyArn,
                aws: args.aws,
                protect: args.protect,
            },
            { parent: this },
        );

        this.registerOutputs({
            vpcId: this.vpcId,
            publicSubnetIds: this.publicSubnetIds,
            privateSubnetIds: this.privateSubnetIds,
            cidr: this.vpcCidr,
            ipFamily: this.ipFamily,
        });
    }
}

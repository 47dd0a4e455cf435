import * as aws from "@pulumi/aws";
import * as awsx from "@pulumi/awsx";
import * as pulumi from "@pulumi/pulumi";
import { FlowLogs } from "./flow-logs";
import { createNatGateways } from "./nat";
import { subnetSpecs } from "./subnets";
import { NetworkArgs } from "./types";

export { NetworkArgs, NatStrategy } from "./types";

/**
 * VPC with a public and a private subnet per AZ, NAT per strategy, an S3 gateway endpoint
 * (image layers from ECR bypass the NAT) and flow logs.
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

    constructor(name: string, args: NetworkArgs, opts?: pulumi.ComponentResourceOptions) {
        super("eks-platform:network:Network", name, {}, opts);
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
        this.vpcCidr = args.vpcCidr;
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

        // The default security group is left with no rules, so nothing can use it by accident.
        new aws.ec2.DefaultSecurityGroup(name, { vpcId: vpc.vpcId }, { parent: this });

        const privateRouteTables = aws.ec2.getRouteTablesOutput(
            { vpcId: vpc.vpcId, filters: [{ name: "association.subnet-id", values: vpc.privateSubnetIds }] },
            { parent: this },
        );
        new aws.ec2.VpcEndpoint(
            `${name}-s3`,
            {
                vpcId: vpc.vpcId,
                serviceName: `com.amazonaws.${args.aws.region}.s3`,
                vpcEndpointType: "Gateway",
                routeTableIds: privateRouteTables.ids,
            },
            { parent: this },
        );

        new FlowLogs(
            `${name}-flow-logs`,
            {
                vpcId: vpc.vpcId,
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
        });
    }
}

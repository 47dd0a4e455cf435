import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { NatStrategy } from "./types";

export interface NatGatewaysArgs {
    strategy: NatStrategy;
    /** Zones the VPC spans: one public and one private subnet each, in the same order in both lists. */
    azCount: number;
    /** The awsx VPC, whose earlier NAT gateways, addresses and routes these take over (see `awsxChild`). */
    vpc: pulumi.Resource;
    publicSubnetIds: pulumi.Output<string[]>;
    privateSubnetIds: pulumi.Output<string[]>;
}

/**
 * The VPC's NAT gateways (one, or one per zone) and each private subnet's default route through them,
 * created beside awsx's VPC (whose `natGateways` strategy is `None`) instead of inside it: awsx's outputs,
 * the subnet ids the EKS control plane needs too, resolve only once every child of it exists, so NAT
 * inside awsx would hold the control plane back for the minute and a half a NAT gateway takes. Named and
 * aliased as awsx named them, so a stack created with awsx's NAT keeps its gateways and addresses.
 * Returns the routes: what needs the internet from the private subnets waits for them.
 */
export function createNatGateways(name: string, args: NatGatewaysArgs, parent: pulumi.Resource): aws.ec2.Route[] {
    const zones = Array.from({ length: args.azCount }, (_, i) => i);
    const gateways = zones.slice(0, args.strategy === "single" ? 1 : args.azCount).map((i) => {
        const eip = new aws.ec2.Eip(
            `${name}-${i + 1}`,
            { domain: "vpc", tags: { Name: `${name}-${i + 1}` } },
            { parent, aliases: [awsxChild(args.vpc, [awsxTypes.subnet], awsxTypes.eip, `${name}-${i + 1}`)] },
        );
        return new aws.ec2.NatGateway(
            `${name}-${i + 1}`,
            { subnetId: args.publicSubnetIds.apply((ids) => ids[i]), allocationId: eip.allocationId, tags: { Name: `${name}-${i + 1}` } },
            { parent, aliases: [awsxChild(args.vpc, [awsxTypes.subnet], awsxTypes.natGateway, `${name}-${i + 1}`)] },
        );
    });
    return zones.map((i) => {
        const privateSubnet = `${name}-private-${i + 1}`;
        const routeTable = aws.ec2.getRouteTableOutput({ subnetId: args.privateSubnetIds.apply((ids) => ids[i]) }, { parent });
        return new aws.ec2.Route(
            `${privateSubnet}-nat`,
            { routeTableId: routeTable.routeTableId, natGatewayId: gateways[args.strategy === "single" ? 0 : i].id, destinationCidrBlock: "0.0.0.0/0" },
            { parent, aliases: [awsxChild(args.vpc, [awsxTypes.subnet, awsxTypes.routeTable], awsxTypes.route, privateSubnet)] },
        );
    });
}

const awsxTypes = {
    subnet: "aws:ec2/subnet:Subnet",
    routeTable: "aws:ec2/routeTable:RouteTable",
    eip: "aws:ec2/eip:Eip",
    natGateway: "aws:ec2/natGateway:NatGateway",
    route: "aws:ec2/route:Route",
} as const;

/**
 * The URN awsx's VPC gave one of its children: under the component its `aws:ec2/vpc:Vpc`, then the types
 * of the child's other parents, then the child (awsx parents a subnet's NAT gateway and address to the
 * subnet, a route to the subnet's route table; a URN holds the parents' types, not their names).
 */
export function awsxChild(vpc: pulumi.Resource, parentTypes: string[], type: string, name: string): pulumi.Output<string> {
    return vpc.urn.apply((urn) => {
        const [stack, project, qualifiedType] = urn.split("::");
        const types = [qualifiedType, "aws:ec2/vpc:Vpc", ...parentTypes, type].join("$");
        return [stack, project, types, name].join("::");
    });
}

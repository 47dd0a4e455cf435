import { PolicyResource } from "@pulumi/policy";
import { Issue, SecurityCheck, ofTypes } from "./check";
import { orWhenUnknown } from "./unknowns";
import { isTrue, list, nonEmptyString, stringMap } from "./values";

const AWSX_VPC = "awsx:ec2:Vpc";
const VPC = "aws:ec2/vpc:Vpc";
const FLOW_LOG = "aws:ec2/flowLog:FlowLog";

/** One VPC of the stack: an `aws.ec2.Vpc`, or an awsx VPC component whose own Vpc child the graph does not show. */
interface VpcUnit {
    resource: PolicyResource;
    /** The VPC id, where the graph shows it. */
    id?: string;
    /** URNs that stand for this VPC: the Vpc resource and the awsx component around it. */
    urns: string[];
}

/** A flow log of all traffic (accepted and rejected) on a VPC. */
interface VpcFlowLog {
    resource: PolicyResource;
    /** Its vpcId, where known (undefined while unknown during preview). */
    vpcId?: string;
    /** URNs its vpcId was computed from (the engine's property dependencies). */
    from: string[];
}

function vpcUnits(resources: readonly PolicyResource[]): VpcUnit[] {
    const vpcs = resources.filter((r) => r.type === VPC);
    const units: VpcUnit[] = vpcs.map((v) => ({
        resource: v,
        id: orWhenUnknown(() => (nonEmptyString(v.props.id) ? v.props.id : undefined), undefined),
        urns: [v.urn, ...(v.parent?.type === AWSX_VPC ? [v.parent.urn] : [])],
    }));
    for (const a of resources.filter((r) => r.type === AWSX_VPC)) {
        if (vpcs.some((v) => v.parent?.urn === a.urn)) continue; // its Vpc child stands for it
        units.push({ resource: a, id: orWhenUnknown(() => (nonEmptyString(a.props.vpcId) ? a.props.vpcId : undefined), undefined), urns: [a.urn] });
    }
    return units;
}

function allTrafficFlowLogs(resources: readonly PolicyResource[]): VpcFlowLog[] {
    const logs: VpcFlowLog[] = [];
    for (const r of resources) {
        if (r.type !== FLOW_LOG || orWhenUnknown(() => r.props.trafficType, undefined) !== "ALL") continue;
        const vpcId = orWhenUnknown<string | null | undefined>(() => (nonEmptyString(r.props.vpcId) ? r.props.vpcId : null), undefined);
        if (vpcId === null) continue; // a subnet, ENI or transit gateway flow log
        logs.push({ resource: r, vpcId, from: (r.propertyDependencies?.vpcId ?? []).map((d) => d.urn) });
    }
    return logs;
}

/**
 * The VPCs of the stack left without an all-traffic flow log. A flow log belongs to a VPC exactly
 * when its vpcId equals the VPC's id or was computed from the VPC (property dependencies). That
 * cannot always be shown: an awsx VPC is a component whose `vpcId` is an output, which the mocked
 * graph (it records inputs) and a first preview do not carry, and the mock engine records no
 * property dependencies, while the FlowLog's vpcId is the plain id. So a VPC that no flow log is
 * tied to exactly is matched by count instead: it takes one all-traffic flow log that is tied to no
 * VPC of the stack (never one tied to another VPC, nor one whose known vpcId differs from its
 * known id), one flow log per VPC.
 */
function vpcsWithoutFlowLogs(resources: readonly PolicyResource[]): Set<PolicyResource> {
    const units = vpcUnits(resources);
    const logs = allTrafficFlowLogs(resources);
    const belongs = (log: VpcFlowLog, unit: VpcUnit) => log.from.some((urn) => unit.urns.includes(urn)) || (unit.id !== undefined && log.vpcId === unit.id);
    const tied = new Set(logs.filter((log) => units.some((unit) => belongs(log, unit))));
    const untied = logs.filter((log) => !tied.has(log));
    const missing = new Set<PolicyResource>();
    for (const unit of units) {
        if (logs.some((log) => belongs(log, unit))) continue;
        const i = untied.findIndex((log) => unit.id === undefined || log.vpcId === undefined);
        if (i >= 0) untied.splice(i, 1);
        else missing.add(unit.resource);
    }
    return missing;
}

export const vpcFlowLogs: SecurityCheck = {
    name: "vpc-flow-logs",
    checks: ["CKV2_AWS_11"],
    description:
        "In prod, every VPC (aws.ec2.Vpc, or an awsx VPC component) has its own flow log of ALL traffic: an aws.ec2.FlowLog whose vpcId is that VPC's (matched one-to-one by count where the graph does not show the VPC's id).",
    appliesTo: ofTypes(AWSX_VPC, VPC),
    inspect: (r, ctx) => {
        if (!ctx.facts.isProd || !vpcsWithoutFlowLogs(ctx.resources).has(r)) return [];
        return [{ check: "CKV2_AWS_11", message: `prod VPC ${r.name} has no flow log of ALL traffic (an aws.ec2.FlowLog with trafficType ALL and this VPC's vpcId)` }];
    },
};

const SUBNET = "aws:ec2/subnet:Subnet";

/**
 * CKV_AWS_130 in both families: a subnet gives what launches in it no public address. IPv4: no
 * `mapPublicIpOnLaunch`. IPv6 has no private addresses, so its equivalent is where the address leads: a subnet
 * the graph shows public (its internet gateway takes `::/0` both ways) must not `assignIpv6AddressOnCreation`; a
 * private one may, its `::/0` leaving through an egress-only gateway. awsx's public subnets map public IPv4
 * addresses (its default), which the stacks that use it waive.
 */
export const subnetPublicAddresses: SecurityCheck = {
    name: "subnet-public-addresses",
    checks: ["CKV_AWS_130"],
    description:
        "No subnet maps public IPv4 addresses on launch (an awsx VPC's public subnets do), and no public subnet (mapPublicIpOnLaunch, or tagged kubernetes.io/role/elb) assigns IPv6 addresses on launch, which its internet gateway makes reachable from anywhere.",
    appliesTo: ofTypes(SUBNET, AWSX_VPC),
    inspect: (r) => {
        const issues: Issue[] = [];
        const ipv4 = (what: string) => issues.push({ check: "CKV_AWS_130", message: `${what} gives every instance launched in it a public IPv4 address` });
        const ipv6 = (what: string) =>
            issues.push({ check: "CKV_AWS_130", message: `${what} is public and assigns IPv6 addresses on launch, which its internet gateway makes reachable from the internet` });
        if (r.type === SUBNET) {
            const tags = stringMap(r.props.tags);
            const mapsIpv4 = isTrue(r.props.mapPublicIpOnLaunch);
            if (mapsIpv4) ipv4(`subnet ${r.name} (mapPublicIpOnLaunch)`);
            if (isTrue(r.props.assignIpv6AddressOnCreation) && (mapsIpv4 || tags["kubernetes.io/role/elb"] !== undefined)) ipv6(`subnet ${r.name}`);
            return issues;
        }
        for (const spec of list(r.props.subnetSpecs as { type?: string; name?: string; assignIpv6AddressOnCreation?: unknown }[] | undefined)) {
            if (spec?.type !== "Public") continue;
            const label = `awsx VPC ${r.name}'s public subnet spec ${spec.name ?? "public"}`;
            ipv4(label);
            if (isTrue(spec.assignIpv6AddressOnCreation)) ipv6(label);
        }
        return issues;
    },
};

export const vpcChecks: SecurityCheck[] = [vpcFlowLogs, subnetPublicAddresses];

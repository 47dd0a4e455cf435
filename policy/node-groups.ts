import { SecurityCheck, ofTypes } from "./check";
import { EKS_CLUSTER, EksClusterProps } from "./eks";
import { knownSubnets } from "./subnets";
import { isRecord, list } from "./values";

const NODE_GROUP = "aws:eks/nodeGroup:NodeGroup";

interface NodeGroupProps {
    clusterName?: string;
    subnetIds?: string[];
    remoteAccess?: unknown;
}

/**
 * How a subnet is shown private (CIS 5.4.3). Policies see resource properties, not the awsx VPC's
 * Outputs as the program sees them, and in the mocked graph (or a first preview) subnet ids exist
 * only where the program passed them. So a subnet counts as private when the graph says so (a
 * Subnet without public IPs or the elb role tag, or listed in an awsx VPC's private/isolated
 * subnet ids), or when it is one of the subnets the node group's own EKS cluster runs in: the
 * program places the control plane in the private subnets only, and a node group that strays onto
 * other subnets (such as the public ones) leaves that set. A subnet the graph marks public is never
 * allowed, even if the cluster uses it.
 */
export const nodeGroupPrivateSubnets: SecurityCheck = {
    name: "node-group-private-subnets",
    checks: ["CIS 5.4.3"],
    description:
        "Managed node groups run only in private subnets: each subnet is shown private by the graph or is one of its EKS cluster's subnets, and none is marked public.",
    appliesTo: ofTypes(NODE_GROUP),
    inspect: (r, ctx) => {
        const props = r.props as NodeGroupProps;
        const subnetIds = list(props.subnetIds);
        if (subnetIds.length === 0) return [{ check: "CIS 5.4.3", message: `node group ${r.name} lists no subnetIds` }];
        const known = knownSubnets(ctx.resources);
        const publicIds = new Set(known.filter((s) => s.public && s.id).map((s) => s.id));
        const privateIds = new Set(known.filter((s) => !s.public && s.id).map((s) => s.id));
        const cluster = ctx.resources.find((c) => c.type === EKS_CLUSTER && (c.props as EksClusterProps).name === props.clusterName);
        const clusterSubnets = list((cluster?.props as EksClusterProps | undefined)?.vpcConfig?.subnetIds);
        const strays = subnetIds.filter((id) => publicIds.has(id) || !(privateIds.has(id) || clusterSubnets.includes(id)));
        if (strays.length === 0) return [];
        const where = cluster ? `the subnets of EKS cluster ${cluster.name}` : `no EKS cluster named ${props.clusterName} in the stack`;
        return [{ check: "CIS 5.4.3", message: `node group ${r.name} uses subnets not shown to be private: ${strays.join(", ")} (compared with ${where} and the VPC's subnets)` }];
    },
};

export const nodeGroupNoRemoteAccess: SecurityCheck = {
    name: "node-group-no-remote-access",
    checks: ["CKV_AWS_100"],
    description: "Managed node groups have no remoteAccess (SSH); nodes are reached through SSM.",
    appliesTo: ofTypes(NODE_GROUP),
    inspect: (r) => {
        const remote = (r.props as NodeGroupProps).remoteAccess;
        const set = isRecord(remote) ? Object.keys(remote).length > 0 : remote !== undefined && remote !== null;
        return set ? [{ check: "CKV_AWS_100", message: `node group ${r.name} enables remoteAccess (SSH); use SSM instead` }] : [];
    },
};

export const nodeGroupChecks: SecurityCheck[] = [nodeGroupPrivateSubnets, nodeGroupNoRemoteAccess];

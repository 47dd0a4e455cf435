import { instanceArchitecture } from "../../components/shared/instance-types";
import { isWorld, parseNamespaceAccess } from "./checks";
import { contains, parseIpv4Cidr } from "./cidr";
import { ConfigReader } from "./reader";
import { ClusterConfig } from "./types";

/** Reads the cluster keys and checks the rules between them (each key's own rule is the reader's). */
export function readClusterConfig(r: ConfigReader, environment: string, waivers: Record<string, string>): ClusterConfig {
    const endpointPublicAccess = r.get("endpointPublicAccess");
    const publicAccessCidrs = r.get("publicAccessCidrs");
    if (endpointPublicAccess && r.ok("endpointPublicAccess", "publicAccessCidrs")) {
        const world = publicAccessCidrs.filter(isWorld);
        if (publicAccessCidrs.length === 0) {
            r.reject("publicAccessCidrs", publicAccessCidrs, "the public endpoint is on, so the CIDRs that may reach it must be listed");
        } else if (world.length > 0 && isProduction(environment)) {
            r.reject("publicAccessCidrs", world[0], "prod must not open the API endpoint to the whole internet");
        } else if (world.length > 0 && r.ok("policyWaivers") && !waivers.CKV_AWS_38) {
            r.reject("publicAccessCidrs", world[0], "a world-open endpoint needs a 'CKV_AWS_38: <reason>' entry in policyWaivers");
        }
    }
    // Prod's API is private; a public endpoint is the first-run path only (README, "A way into a private
    // prod cluster"), and the waiver says why and for how long.
    if (endpointPublicAccess && isProduction(environment) && r.ok("endpointPublicAccess", "policyWaivers") && !waivers.CKV_AWS_39) {
        r.reject("endpointPublicAccess", true, "a production API endpoint is private; for a first run from outside the VPC, add a 'CKV_AWS_39: <reason>' entry in policyWaivers and list only the operator's address in publicAccessCidrs");
    }

    // The cluster's own VPC needs no rule: its nodes and pods reach the endpoint through the cluster security
    // group, and a rule for (part of) the VPC opens the API to all of it instead of the outside network meant.
    const privateAccessCidrs = r.get("privateAccessCidrs");
    if (r.ok("vpcCidr", "privateAccessCidrs")) {
        const vpc = parseIpv4Cidr(r.get("vpcCidr"))!;
        for (const text of privateAccessCidrs) {
            const cidr = parseIpv4Cidr(text);
            if (cidr && contains(vpc, cidr)) {
                r.reject("privateAccessCidrs", text, `inside this stack's own vpcCidr ${r.get("vpcCidr")}; list only networks outside the VPC (VPN clients, a CI runner subnet, a peered VPC)`);
            }
        }
    }

    const adminPrincipals = r.get("clusterAdminArns");
    const bootstrapCreatorAdmin = r.get("bootstrapCreatorAdmin");
    if (bootstrapCreatorAdmin && isProduction(environment)) {
        r.reject("bootstrapCreatorAdmin", true, "prod grants cluster-admin only to the principals in clusterAdminArns");
    }
    if (r.ok("bootstrapCreatorAdmin", "clusterAdminArns") && !bootstrapCreatorAdmin && adminPrincipals.length === 0) {
        r.reject("clusterAdminArns", adminPrincipals, "with bootstrapCreatorAdmin false nobody could reach the cluster, not even `pulumi up`");
    }

    const namespaceAccess = r.get("namespaceAccess").map((entry) => parseNamespaceAccess(entry)!);
    if (r.ok("clusterAdminArns")) {
        const admins = new Set(adminPrincipals);
        const seen = new Set<string>();
        for (const access of namespaceAccess) {
            if (admins.has(access.principal)) r.reject("namespaceAccess", access.principal, "already a cluster-admin; EKS allows one access entry per principal");
            else if (seen.has(access.principal)) r.reject("namespaceAccess", access.principal, "listed twice; give one level per principal");
            seen.add(access.principal);
        }
    }

    const instanceTypes = r.get("systemNodeInstanceTypes");
    if (r.ok("systemNodeInstanceTypes") && new Set(instanceTypes.map(instanceArchitecture)).size > 1) {
        r.reject("systemNodeInstanceTypes", instanceTypes, "mixes x86_64 and arm64 types; one node group runs one AMI");
    }

    const capacityType = r.get("systemNodeCapacityType");
    // Karpenter, CoreDNS and the LBC live on these nodes: prod does not bet them on spot interruptions.
    if (capacityType === "spot" && isProduction(environment)) {
        r.reject("systemNodeCapacityType", capacityType, "prod's system nodes (Karpenter, CoreDNS, the LBC) must not be reclaimed at two minutes' notice");
    }

    const minSize = r.get("systemNodeMinSize");
    const desiredSize = r.get("systemNodeDesiredSize");
    const maxSize = r.get("systemNodeMaxSize");
    // One line per broken ordering, on the size that sits between the others' bounds.
    if (r.ok("systemNodeMinSize", "systemNodeDesiredSize") && desiredSize < minSize) {
        r.reject("systemNodeDesiredSize", desiredSize, `below systemNodeMinSize ${minSize}`);
    }
    if (r.ok("systemNodeDesiredSize", "systemNodeMaxSize") && desiredSize > maxSize) {
        r.reject("systemNodeDesiredSize", desiredSize, `above systemNodeMaxSize ${maxSize}`);
    }
    if (r.ok("systemNodeMinSize", "systemNodeMaxSize") && !r.ok("systemNodeDesiredSize") && minSize > maxSize) {
        r.reject("systemNodeMaxSize", maxSize, `below systemNodeMinSize ${minSize}`);
    }

    return {
        kubernetesVersion: r.get("kubernetesVersion"),
        endpointPublicAccess,
        publicAccessCidrs,
        privateAccessCidrs,
        logRetentionDays: r.get("clusterLogRetentionDays"),
        adminPrincipals,
        namespaceAccess,
        bootstrapCreatorAdmin,
        kmsBreakGlassArn: r.get("kmsBreakGlassArn") || undefined,
        systemNodes: {
            instanceTypes,
            capacityType: capacityType === "spot" ? "SPOT" : "ON_DEMAND",
            minSize,
            desiredSize,
            maxSize,
        },
    };
}

export function isProduction(environment: string): boolean {
    return environment === "prod" || environment === "production";
}

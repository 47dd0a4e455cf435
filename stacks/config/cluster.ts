import { familyArchitecture } from "../../components/cluster/karpenter/families";
import { KUBERNETES_VERSIONS } from "../../components/versions";
import { isPrivate, parseIpv4Cidr } from "./cidr";
import { ConfigReader } from "./reader";
import { AccessLevel, ClusterConfig, NamespaceAccess } from "./types";

const CLOUDWATCH_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];
/** Full IAM role/user ARN, or `role/<name>` / `user/<name>` meaning the deploying account. */
const PRINCIPAL = /^(arn:aws(-cn|-us-gov)?:iam::\d{12}:)?(role|user)\/([\w+=,.@-]+\/)*[\w+=,.@-]{1,64}$/;
const NAMESPACE = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const INSTANCE_TYPE = /^[a-z][a-z0-9-]*\.[a-z0-9]+$/;
const WORLD = ["0.0.0.0/0", "::/0"];

export { CLOUDWATCH_RETENTION_DAYS };

/** Reads and checks the cluster keys; problems go to the reader. */
export function readClusterConfig(r: ConfigReader, environment: string, waivers: Record<string, string>): ClusterConfig {
    const kubernetesVersion = r.string("kubernetesVersion");
    if (!isSupportedVersion(kubernetesVersion)) r.reject("kubernetesVersion", kubernetesVersion);

    const endpointPublicAccess = r.boolean("endpointPublicAccess");
    const publicAccessCidrs = r.list("publicAccessCidrs");
    if (endpointPublicAccess) {
        if (publicAccessCidrs.length === 0) r.reject("publicAccessCidrs", publicAccessCidrs, "the public endpoint is on, so the CIDRs that may reach it must be listed");
        for (const text of publicAccessCidrs.filter((c) => !WORLD.includes(c))) {
            const cidr = parseIpv4Cidr(text);
            if (!cidr) r.reject("publicAccessCidrs", text, "not an IPv4 network address with prefix");
            else if (isPrivate(cidr)) r.reject("publicAccessCidrs", text, "private ranges reach the private endpoint; EKS refuses them here");
        }
        const world = publicAccessCidrs.filter((c) => WORLD.includes(c));
        if (world.length > 0 && isProduction(environment)) {
            r.reject("publicAccessCidrs", world[0], "prod must not open the API endpoint to the whole internet");
        } else if (world.length > 0 && !waivers.CKV_AWS_38) {
            r.reject("publicAccessCidrs", world[0], "a world-open endpoint needs a 'CKV_AWS_38: <reason>' entry in policyWaivers");
        }
    }

    const privateAccessCidrs = r.list("privateAccessCidrs");
    for (const text of privateAccessCidrs) {
        const cidr = parseIpv4Cidr(text);
        if (!cidr) r.reject("privateAccessCidrs", text, "not an IPv4 network address with prefix");
        else if (cidr.prefix === 0) r.reject("privateAccessCidrs", text, "admit the networks that need the API, not every address");
    }
    const repeated = privateAccessCidrs.find((c, i) => privateAccessCidrs.indexOf(c) !== i);
    if (repeated) r.reject("privateAccessCidrs", repeated, "listed twice");

    const clusterLogRetentionDays = r.integer("clusterLogRetentionDays");
    if (!CLOUDWATCH_RETENTION_DAYS.includes(clusterLogRetentionDays)) r.reject("clusterLogRetentionDays", clusterLogRetentionDays);

    const adminPrincipals = r.list("clusterAdminArns");
    for (const p of adminPrincipals) if (!PRINCIPAL.test(p)) r.reject("clusterAdminArns", p);
    const duplicate = adminPrincipals.find((p, i) => adminPrincipals.indexOf(p) !== i);
    if (duplicate) r.reject("clusterAdminArns", duplicate, "listed twice");

    const bootstrapCreatorAdmin = r.boolean("bootstrapCreatorAdmin");
    if (bootstrapCreatorAdmin && isProduction(environment)) {
        r.reject("bootstrapCreatorAdmin", true, "prod grants cluster-admin only to the principals in clusterAdminArns");
    }
    if (!bootstrapCreatorAdmin && adminPrincipals.length === 0) {
        r.reject("clusterAdminArns", adminPrincipals, "with bootstrapCreatorAdmin false nobody could reach the cluster, not even `pulumi up`");
    }

    const namespaceAccess = r.list("namespaceAccess").flatMap((entry) => {
        const parsed = parseNamespaceAccess(entry);
        if (!parsed) r.reject("namespaceAccess", entry);
        return parsed ? [parsed] : [];
    });

    const admins = new Set(adminPrincipals);
    const seen = new Set<string>();
    for (const access of namespaceAccess) {
        if (admins.has(access.principal)) r.reject("namespaceAccess", access.principal, "already a cluster-admin; EKS allows one access entry per principal");
        else if (seen.has(access.principal)) r.reject("namespaceAccess", access.principal, "listed twice; give one level per principal");
        seen.add(access.principal);
    }

    const systemNodeInstanceTypes = r.list("systemNodeInstanceTypes");
    if (systemNodeInstanceTypes.length === 0) r.reject("systemNodeInstanceTypes", systemNodeInstanceTypes);
    for (const t of systemNodeInstanceTypes) if (!INSTANCE_TYPE.test(t)) r.reject("systemNodeInstanceTypes", t);
    const arches = new Set(systemNodeInstanceTypes.map(architectureOf));
    if (arches.size > 1) r.reject("systemNodeInstanceTypes", systemNodeInstanceTypes, "mixes x86_64 and arm64 types; one node group runs one AMI");

    const min = r.integer("systemNodeMinSize");
    const desired = r.integer("systemNodeDesiredSize");
    const max = r.integer("systemNodeMaxSize");
    if (min < 1 || min > 10 || min > desired) r.reject("systemNodeMinSize", min);
    if (desired < min || desired > max) r.reject("systemNodeDesiredSize", desired);
    if (max < desired || max > 20) r.reject("systemNodeMaxSize", max);

    return {
        kubernetesVersion,
        endpointPublicAccess,
        publicAccessCidrs,
        privateAccessCidrs,
        logRetentionDays: clusterLogRetentionDays,
        adminPrincipals,
        namespaceAccess,
        bootstrapCreatorAdmin,
        systemNodes: {
            instanceTypes: systemNodeInstanceTypes,
            minSize: min,
            desiredSize: desired,
            maxSize: max,
        },
    };
}

export function isProduction(environment: string): boolean {
    return environment === "prod" || environment === "production";
}

function isSupportedVersion(version: string): boolean {
    const minor = /^1\.(\d{2})$/.exec(version)?.[1];
    const oldest = Number(KUBERNETES_VERSIONS.oldestSupported.split(".")[1]);
    const newest = Number(KUBERNETES_VERSIONS.newestSupported.split(".")[1]);
    return minor !== undefined && Number(minor) >= oldest && Number(minor) <= newest;
}

/** EC2 naming of the architecture, for the node group's AMI type. */
export function architectureOf(instanceType: string): "x86_64" | "arm64" {
    return familyArchitecture(instanceType.split(".")[0]) === "arm64" ? "arm64" : "x86_64";
}

function parseNamespaceAccess(entry: string): NamespaceAccess | undefined {
    const [principal, level, namespaces, ...rest] = entry.trim().split(/\s+/);
    if (rest.length > 0 || !principal || !PRINCIPAL.test(principal)) return undefined;
    if (level !== "view" && level !== "edit") return undefined;
    const list = (namespaces ?? "").split(",");
    if (list.length === 0 || !list.every((ns) => NAMESPACE.test(ns))) return undefined;
    return { principal, level: level as AccessLevel, namespaces: list };
}

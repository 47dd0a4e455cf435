/**
 * The cluster area: the EKS cluster, its access, system nodes and lifecycle. Its keys (type, default,
 * description, rule), its reader and its type; keys.ts joins the areas.
 */
import { ComputeMode, NamespaceAccess, SystemNodesArgs } from "../../components/cluster/types";
import { instanceArchitecture } from "../../components/shared/instance-types";
import { AUTO_MODE, KUBERNETES_VERSIONS } from "../../components/versions";
import * as checks from "./checks";
import { isProduction, isWorld, parseNamespaceAccess } from "./checks";
import { contains, parseIpv4Cidr } from "./cidr";
import { AutoModeKeys, checkAutoMode } from "./compute-mode";
import { ConfigReader, Reads } from "./reader";
import { BOOLEAN, KeySpec, RETENTION_DAYS, check, integer, list, oneOf, optional, pattern } from "./rules";

export const CLUSTER_KEYS = {
    clusterName: {
        type: "string",
        description: "EKS cluster name; also the `karpenter.sh/discovery` tag value.",
        rule: pattern(/^[0-9A-Za-z][A-Za-z0-9_-]{0,23}$/, "letters, digits, '-' and '_', 1-24 characters, starting with a letter or digit (names derived from it must fit AWS's 64-character limits)"),
        crossKey: "no other stack file's, unless both pin different accounts (aws:allowedAccountIds)",
    },
    kubernetesVersion: {
        type: "string",
        description: "EKS Kubernetes version (`1.NN`); managed add-on versions follow it.",
        default: KUBERNETES_VERSIONS.default,
        rule: check(`a version of the form 1.NN from ${KUBERNETES_VERSIONS.oldestSupported} to ${KUBERNETES_VERSIONS.newestSupported}, quoted in YAML ("${KUBERNETES_VERSIONS.default}")`, checks.kubernetesVersion),
    },
    computeMode: {
        type: "string",
        description: "Who runs the nodes, load balancers and volumes: `karpenter` (this program installs Karpenter, the Load Balancer Controller and the EBS CSI driver on a system node group) or `auto` (EKS Auto Mode runs them; README, Choosing a mode). Fixed at creation.",
        default: "karpenter",
        rule: oneOf(["karpenter", "auto"]),
        crossKey: `auto: kubernetesVersion ${AUTO_MODE.minimumKubernetesVersion} or later, karpenterExpireAfter at most 504h, no systemNode*, karpenterAmiAlias or karpenterReplicas keys; never changed on an existing stack`,
    },
    endpointPublicAccess: {
        type: "boolean",
        description: "Expose the Kubernetes API endpoint publicly (restricted to publicAccessCidrs); the private endpoint is always on.",
        default: true,
        rule: BOOLEAN,
    },
    publicAccessCidrs: {
        type: "array",
        description: "CIDRs allowed to reach the public API endpoint (CI runners, VPN egress).",
        default: [],
        rule: list(check("a public IPv4 CIDR such as 203.0.113.0/24, or 0.0.0.0/0", checks.publicCidr), { unique: true }),
        crossKey: "non-empty when endpointPublicAccess is true; 0.0.0.0/0 only outside prod and only with a `CKV_AWS_38` entry in policyWaivers",
    },
    privateAccessCidrs: {
        type: "array",
        description: "Networks outside the cluster (VPN clients, a CI runner subnet, a peered VPC) admitted to the private API endpoint on 443.",
        default: [],
        rule: list(check("an IPv4 CIDR such as 10.20.0.0/16 (not 0.0.0.0/0)", checks.networkCidr), { unique: true }),
    },
    clusterLogRetentionDays: {
        type: "integer",
        description: "Retention of the EKS control-plane log group, in days.",
        default: 365,
        rule: RETENTION_DAYS,
    },
    clusterAdminArns: {
        type: "array",
        description: "IAM roles/users that get cluster-admin through an access entry (`role/<name>` means this account); include the role that runs `pulumi up`.",
        default: [],
        rule: list(pattern(checks.PRINCIPAL, "an IAM principal: an ARN (arn:aws:iam::<account>:role/<name> or :user/<name>), or role/<name> or user/<name> in this account"), { unique: true }),
        crossKey: "non-empty when bootstrapCreatorAdmin is false; never CI's deploy role (CiAccess makes it an admin)",
    },
    kmsBreakGlassArn: {
        type: "string",
        description: "IAM role ARN that alone may schedule deletion of, disable or re-policy the stack's KMS keys outside `pulumi up` (the deploying identity keeps PutKeyPolicy, and on unprotected stacks deletion); empty: nobody else.",
        default: "",
        rule: optional(pattern(/^arn:aws(-cn|-us-gov)?:iam::\d{12}:role\/([\w+=,.@-]+\/)*[\w+=,.@-]{1,64}$/, "an IAM role ARN, arn:aws:iam::<account>:role/<name> (aws:PrincipalArn compares the full ARN)")),
    },
    namespaceAccess: {
        type: "array",
        description: "Namespace-scoped access entries, each `<principal ARN> <view|edit> <namespace>[,<namespace>…]`.",
        default: [],
        rule: list(check("'<principal> <view|edit> <ns>[,<ns>…]' where the principal is as in clusterAdminArns and each ns a Kubernetes namespace name", (e) => checks.parseNamespaceAccess(e) !== undefined)),
        crossKey: "each principal once, and none that is in clusterAdminArns",
    },
    bootstrapCreatorAdmin: {
        type: "boolean",
        description: "Give the identity that creates the cluster silent cluster-admin. Fixed at creation: changing it replaces the cluster.",
        default: false,
        rule: BOOLEAN,
        crossKey: "false in prod",
    },
    systemNodeInstanceTypes: {
        karpenterModeDefault: true,
        type: "array",
        description: "Instance types of the tainted system node group (one CPU architecture).",
        default: ["t3.medium"],
        rule: list(check("an EC2 instance type <family>.<size> such as t3.medium or m7g.xlarge", checks.instanceType), { minItems: 1, unique: true }),
        crossKey: "all x86_64 or all arm64 (Graviton)",
    },
    systemNodeCapacityType: {
        karpenterModeDefault: true,
        type: "string",
        description: "Capacity type of the system node group: `on-demand`, or `spot` (cheaper, interruptible; for dev).",
        default: "on-demand",
        rule: oneOf(["on-demand", "spot"]),
        crossKey: "on-demand in prod",
    },
    systemNodeMinSize: {
        karpenterModeDefault: true,
        type: "integer",
        description: "Minimum size of the system node group.",
        default: 2,
        rule: integer(1, 10),
        crossKey: "at most systemNodeDesiredSize",
    },
    systemNodeDesiredSize: {
        karpenterModeDefault: true,
        type: "integer",
        description: "Desired size of the system node group.",
        default: 2,
        rule: integer(1, 20),
        crossKey: "between systemNodeMinSize and systemNodeMaxSize",
    },
    systemNodeMaxSize: {
        karpenterModeDefault: true,
        type: "integer",
        description: "Maximum size of the system node group.",
        default: 3,
        rule: integer(1, 20),
        crossKey: "at least systemNodeDesiredSize",
    },
    clusterSupportType: {
        type: "string",
        description: "EKS support policy: `STANDARD` (the cluster is upgraded automatically when standard support ends) or `EXTENDED` (stays on its version, at 6x the control-plane price).",
        default: "STANDARD",
        rule: oneOf(["STANDARD", "EXTENDED"]),
    },
    zonalShift: {
        type: "boolean",
        description: "Let ARC zonal shift move the cluster's traffic away from an impaired availability zone (no cost until a shift starts).",
        default: true,
        rule: BOOLEAN,
    },
} as const satisfies Record<string, KeySpec>;

export interface ClusterConfig {
    kubernetesVersion: string;
    /** `karpenter` (Karpenter, the LBC and EBS CSI on a system node group) or `auto` (EKS Auto Mode). */
    computeMode: ComputeMode;
    endpointPublicAccess: boolean;
    publicAccessCidrs: string[];
    /** Networks admitted to the private endpoint on 443 (VPN, CI runner subnet, peered VPC). */
    privateAccessCidrs: string[];
    logRetentionDays: number;
    /** Principals with cluster-admin (full ARN or `role/<name>` shorthand). */
    adminPrincipals: string[];
    namespaceAccess: NamespaceAccess[];
    bootstrapCreatorAdmin: boolean;
    /** Role exempt from the KMS key-policy guard (deletion, disabling, policy changes); undefined when unset. */
    kmsBreakGlassArn?: string;
    systemNodes: SystemNodesArgs;
    /** Keys `clusterSupportType`, `zonalShift`. */
    lifecycle: { supportType: "STANDARD" | "EXTENDED"; zonalShift: boolean };
}

type ClusterKeys = typeof CLUSTER_KEYS & Reads<{ vpcCidr: "string"; policyWaivers: "array" }> & AutoModeKeys;

/** Reads the cluster keys and checks the rules between them (each key's own rule is the reader's). */
export function readClusterConfig(r: ConfigReader<ClusterKeys>, environment: string, waivers: Record<string, string>): ClusterConfig {
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

    const computeMode = r.get("computeMode") as ComputeMode;
    if (computeMode === "auto") checkAutoMode(r);

    const capacityType = r.get("systemNodeCapacityType");
    // Karpenter, CoreDNS and the LBC live on these nodes: prod does not bet them on spot interruptions.
    if (capacityType === "spot" && isProduction(environment) && computeMode === "karpenter") {
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
        computeMode,
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
        lifecycle: { supportType: r.get("clusterSupportType") as "STANDARD" | "EXTENDED", zonalShift: r.get("zonalShift") },
    };
}

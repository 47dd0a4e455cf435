/**
 * The add-ons area: Karpenter, External Secrets, Velero, metrics-server, external-dns and container logs.
 * Its keys (type, default, description, rule), its reader and its type; keys.ts joins the areas.
 */
import { NodePoolSettings } from "../../components/cluster/karpenter/manifests";
import { AUTO_MODE_DEFAULT_EXPIRY } from "./compute-mode";
import * as checks from "./checks";
import { ConfigReader, Reads } from "./reader";
import { BOOLEAN, KeySpec, RETENTION_DAYS, check, integer, list, oneOf, pattern } from "./rules";

export const ADDON_KEYS = {
    karpenterInstanceFamilies: {
        type: "array",
        description: "EC2 instance families the default Karpenter NodePool may launch.",
        default: ["m6i", "m7i", "c6i"],
        rule: list(check("an EC2 instance family such as m6i, t3a or c7g", checks.instanceFamily), { minItems: 1, unique: true }),
    },
    karpenterCapacityTypes: {
        type: "array",
        description: "Capacity types of the default NodePool: `spot`, `on-demand` or both.",
        default: ["on-demand"],
        rule: list(oneOf(["spot", "on-demand"]), { minItems: 1, unique: true }),
    },
    karpenterCpuLimit: {
        type: "integer",
        description: "Total vCPUs the default NodePool may hold.",
        default: 20,
        rule: integer(1, 10000),
    },
    karpenterConsolidateAfter: {
        type: "string",
        description: "How long a node must be empty or underutilized before Karpenter consolidates it.",
        default: "5m",
        rule: check("a duration such as 30s, 5m or 1h30m", checks.duration),
    },
    karpenterExpireAfter: {
        karpenterModeDefault: true,
        type: "string",
        description: "Maximum lifetime of a Karpenter node (replaced, hence re-patched, after it); with computeMode auto, of an Auto Mode node: 504h unless set lower.",
        default: "720h",
        rule: check("a duration such as 720h, or Never", checks.expiry),
    },
    karpenterAmiAlias: {
        karpenterModeDefault: true,
        type: "string",
        description: "EC2NodeClass AMI alias: `al2023@latest`, or a pinned `al2023@vYYYYMMDD` release.",
        default: "al2023@latest",
        rule: pattern(/^al2023@(latest|v\d{8})$/, "al2023@latest or al2023@vYYYYMMDD"),
    },
    karpenterReplicas: {
        karpenterModeDefault: true,
        type: "integer",
        description: "Karpenter controller replicas (each on its own system node).",
        default: 2,
        rule: integer(1, 10),
        crossKey: "at most systemNodeMinSize (replicas need separate system nodes)",
    },
    externalSecretsPrefixes: {
        type: "array",
        description: "Secrets Manager name prefixes the cluster's External Secrets may read (`<prefix>/*`).",
        rule: list(pattern(/^[A-Za-z0-9_+=.@-]{1,64}$/, "a prefix of letters, digits and -_.+=@, without slashes"), { minItems: 1, unique: true }),
    },
    externalSecretsReplicas: {
        type: "integer",
        description: "External Secrets controller replicas; more than one enables leader election and a PDB.",
        default: 2,
        rule: integer(1, 5),
    },
    backupEnabled: {
        type: "boolean",
        description: "Velero: back up the gitopsEnvironments namespaces daily (03:00 UTC) to an encrypted S3 bucket, with EBS volume snapshots.",
        default: true,
        rule: BOOLEAN,
        crossKey: "needs gitopsEnvironments",
    },
    backupRetentionDays: {
        type: "integer",
        description: "Days a Velero backup (and a replaced version of a bucket object) is kept.",
        default: 30,
        rule: integer(1, 3650),
    },
    metricsServerReplicas: {
        type: "integer",
        description: "metrics-server replicas (HorizontalPodAutoscalers and `kubectl top` read it); 2 or more adds a PDB allowing one disruption.",
        default: 2,
        rule: integer(1, 5),
        crossKey: "at most systemNodeMinSize (replicas spread over separate system nodes)",
    },
    externalDnsZoneIds: {
        type: "array",
        description: "Route 53 hosted zone ids external-dns may write records in (for Ingress and Service host names); empty installs no external-dns.",
        default: [],
        rule: list(pattern(/^Z[A-Z0-9]{1,31}$/, "a Route 53 hosted zone id such as Z0123456789ABCDEFGHIJ (no /hostedzone/ prefix)"), { unique: true, maxItems: 10 }),
    },
    externalDnsDomains: {
        type: "array",
        description: "Domains external-dns manages (`--domain-filter`), e.g. the zones' names; empty means every name in the listed zones.",
        default: [],
        rule: list(pattern(checks.DNS_NAME, "a DNS domain such as example.com"), { unique: true }),
        crossKey: "empty when externalDnsZoneIds is",
    },
    containerLogs: {
        type: "boolean",
        description: "Ship every container's logs to CloudWatch Logs (Fluent Bit on every node) under `/aws/containerinsights/<cluster>/application`.",
        default: true,
        rule: BOOLEAN,
    },
    containerLogRetentionDays: {
        type: "integer",
        description: "Retention of the container log groups, in days (keep it short in dev: logs are billed per GB stored; prod policy needs 365 or more).",
        default: 365,
        rule: RETENTION_DAYS,
    },
} as const satisfies Record<string, KeySpec>;

export interface AddonsConfig {
    karpenter: {
        nodePool: NodePoolSettings;
        amiAlias: string;
        replicas: number;
    };
    externalSecrets: {
        secretPrefixes: string[];
        replicas: number;
    };
    /** Velero; absent when `backupEnabled` is false. */
    backups?: {
        /** The gitopsEnvironments namespaces. */
        namespaces: string[];
        retentionDays: number;
    };
    /** Config key `metricsServerReplicas`. */
    metricsServer: { replicas: number };
    /** Absent when `externalDnsZoneIds` is empty. Policy: `upsert-only` in prod (never deletes), `sync` elsewhere. */
    externalDns?: { zoneIds: string[]; domains: string[]; policy: "sync" | "upsert-only" };
    /** Absent when `containerLogs` is false. */
    containerLogs?: { retentionDays: number };
}

type AddonKeys = typeof ADDON_KEYS & Reads<{ systemNodeMinSize: "integer"; gitopsEnvironments: "array"; computeMode: "string" }>;

/** Reads the add-on keys and checks the rules between them; each key's own rule is the reader's. */
export function readAddonsConfig(r: ConfigReader<AddonKeys>, environment: string): AddonsConfig {
    const systemNodes = r.get("systemNodeMinSize");
    // Each controller replica needs its own system node, and only the minimum is guaranteed.
    const replicas = r.get("karpenterReplicas");
    if (r.ok("karpenterReplicas", "systemNodeMinSize") && replicas > systemNodes) {
        r.reject("karpenterReplicas", replicas, `more than systemNodeMinSize ${systemNodes}`);
    }
    const metricsServerReplicas = r.get("metricsServerReplicas");
    // Auto Mode's system pool adds nodes for replicas that cannot share one; a node group does not.
    if (r.get("computeMode") === "karpenter" && r.ok("metricsServerReplicas", "systemNodeMinSize") && metricsServerReplicas > systemNodes) {
        r.reject("metricsServerReplicas", metricsServerReplicas, `more than systemNodeMinSize ${systemNodes}; each replica needs its own system node`);
    }
    const zoneIds = r.get("externalDnsZoneIds");
    const domains = r.get("externalDnsDomains");
    if (r.ok("externalDnsZoneIds", "externalDnsDomains") && zoneIds.length === 0 && domains.length > 0) {
        r.reject("externalDnsDomains", domains, "externalDnsZoneIds is empty, so no external-dns is installed to manage these domains; list the hosted zone ids too");
    }
    return {
        karpenter: {
            nodePool: {
                instanceFamilies: r.get("karpenterInstanceFamilies"),
                capacityTypes: r.get("karpenterCapacityTypes"),
                cpuLimit: r.get("karpenterCpuLimit"),
                consolidateAfter: r.get("karpenterConsolidateAfter"),
                // The key's default (720h) is beyond Auto Mode's 21 days; an auto stack without the key gets its maximum.
                expireAfter: r.get("computeMode") === "auto" && !r.has("karpenterExpireAfter") ? AUTO_MODE_DEFAULT_EXPIRY : r.get("karpenterExpireAfter"),
            },
            amiAlias: r.get("karpenterAmiAlias"),
            replicas,
        },
        externalSecrets: { secretPrefixes: r.get("externalSecretsPrefixes"), replicas: r.get("externalSecretsReplicas") },
        backups: readBackups(r),
        metricsServer: { replicas: metricsServerReplicas },
        externalDns: zoneIds.length > 0 ? { zoneIds, domains, policy: checks.isProduction(environment) ? "upsert-only" : "sync" } : undefined,
        containerLogs: r.get("containerLogs") ? { retentionDays: r.get("containerLogRetentionDays") } : undefined,
    };
}

/** Velero's settings, or undefined when backups are off. */
function readBackups(r: ConfigReader<AddonKeys>): AddonsConfig["backups"] {
    if (!r.get("backupEnabled")) return undefined;
    const namespaces = r.get("gitopsEnvironments");
    if (r.ok("gitopsEnvironments") && namespaces.length === 0) {
        r.reject("backupEnabled", true, "the daily backup covers the gitopsEnvironments namespaces, and none are listed; list them or set backupEnabled: false");
    }
    return { namespaces, retentionDays: r.get("backupRetentionDays") };
}

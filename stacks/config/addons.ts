import { ConfigReader } from "./reader";
import { AddonsConfig } from "./types";

/** Reads the Karpenter and External Secrets keys; each key's own rule is the reader's. */
export function readAddonsConfig(r: ConfigReader): AddonsConfig {
    const replicas = r.get("karpenterReplicas");
    const systemNodes = r.get("systemNodeMinSize");
    // Each controller replica needs its own system node, and only the minimum is guaranteed.
    if (r.ok("karpenterReplicas", "systemNodeMinSize") && replicas > systemNodes) {
        r.reject("karpenterReplicas", replicas, `more than systemNodeMinSize ${systemNodes}`);
    }
    return {
        karpenter: {
            nodePool: {
                instanceFamilies: r.get("karpenterInstanceFamilies"),
                capacityTypes: r.get("karpenterCapacityTypes"),
                cpuLimit: r.get("karpenterCpuLimit"),
                consolidateAfter: r.get("karpenterConsolidateAfter"),
                expireAfter: r.get("karpenterExpireAfter"),
            },
            amiAlias: r.get("karpenterAmiAlias"),
            replicas,
        },
        externalSecrets: { secretPrefixes: r.get("externalSecretsPrefixes"), replicas: r.get("externalSecretsReplicas") },
        backups: readBackups(r),
    };
}

/** Velero's settings, or undefined when backups are off. */
function readBackups(r: ConfigReader): AddonsConfig["backups"] {
    if (!r.get("backupEnabled")) return undefined;
    const namespaces = r.get("gitopsEnvironments");
    if (r.ok("gitopsEnvironments") && namespaces.length === 0) {
        r.reject("backupEnabled", true, "the daily backup covers the gitopsEnvironments namespaces, and none are listed; list them or set backupEnabled: false");
    }
    return { namespaces, retentionDays: r.get("backupRetentionDays") };
}

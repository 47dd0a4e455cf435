/**
 * The rules `computeMode: auto` adds to the cluster area: the keys of the system node group and the Karpenter
 * controller have no meaning under EKS Auto Mode, and Auto Mode bounds the Kubernetes version and node lifetime.
 */
import { AUTO_MODE } from "../../components/versions";
import { ConfigReader, Reads } from "./reader";

/** The keys the rules read (the cluster area's reader holds them all). */
export type AutoModeKeys = Reads<{
    kubernetesVersion: "string";
    systemNodeInstanceTypes: "array";
    systemNodeCapacityType: "string";
    systemNodeMinSize: "integer";
    systemNodeDesiredSize: "integer";
    systemNodeMaxSize: "integer";
    karpenterAmiAlias: "string";
    karpenterReplicas: "integer";
    karpenterExpireAfter: "string";
}>;

/** Keys of the system node group and the Karpenter controller, which Auto Mode has no use for. */
const NOT_IN_AUTO_MODE = [
    "systemNodeInstanceTypes", "systemNodeCapacityType", "systemNodeMinSize", "systemNodeDesiredSize", "systemNodeMaxSize", "karpenterAmiAlias", "karpenterReplicas",
] as const;

/** Auto Mode replaces every node after at most 21 days (EKS User Guide, "Learn how EKS Auto Mode works"). */
const AUTO_MODE_MAX_EXPIRY_HOURS = 504;
/** The node lifetime of an auto stack that sets no `karpenterExpireAfter`: Auto Mode's own maximum. */
export const AUTO_MODE_DEFAULT_EXPIRY = `${AUTO_MODE_MAX_EXPIRY_HOURS}h`;

/** `computeMode: auto` against the keys it rules out or bounds; each message names both keys. */
export function checkAutoMode(r: ConfigReader<AutoModeKeys>): void {
    const why: Record<(typeof NOT_IN_AUTO_MODE)[number], string> = {
        systemNodeInstanceTypes: "Auto Mode runs the platform's controllers on its built-in system pool; there is no system node group",
        systemNodeCapacityType: "Auto Mode runs the platform's controllers on its built-in system pool (on-demand); there is no system node group",
        systemNodeMinSize: "Auto Mode's built-in system pool scales itself; there is no system node group",
        systemNodeDesiredSize: "Auto Mode's built-in system pool scales itself; there is no system node group",
        systemNodeMaxSize: "Auto Mode's built-in system pool scales itself; there is no system node group",
        karpenterAmiAlias: "Auto Mode chooses and patches the node image itself; a NodeClass selects no AMI",
        karpenterReplicas: "Auto Mode runs its node controller outside the cluster; there is no Karpenter controller",
    };
    for (const key of NOT_IN_AUTO_MODE) {
        if (r.has(key)) r.reject(key, r.get(key), `eks-platform:computeMode is auto: ${why[key]}; remove the key`);
    }
    const version = r.get("kubernetesVersion");
    const minor = (v: string) => Number(v.split(".")[1]);
    if (r.ok("kubernetesVersion") && minor(version) < minor(AUTO_MODE.minimumKubernetesVersion)) {
        r.reject("kubernetesVersion", version, `eks-platform:computeMode auto needs Kubernetes ${AUTO_MODE.minimumKubernetesVersion} or later`);
    }
    // Only a value the user wrote: the key's default (720h) is karpenter mode's; auto mode's is AUTO_MODE_DEFAULT_EXPIRY.
    const expiry = r.get("karpenterExpireAfter");
    if (r.has("karpenterExpireAfter") && r.ok("karpenterExpireAfter") && !(durationHours(expiry) <= AUTO_MODE_MAX_EXPIRY_HOURS)) {
        r.reject("karpenterExpireAfter", expiry, `eks-platform:computeMode is auto, which replaces every node after at most 21 days; choose ${AUTO_MODE_MAX_EXPIRY_HOURS}h or less`);
    }
}

/** Hours of a Go duration (`720h`, `1h30m`, `90m`); Infinity for `Never`. */
function durationHours(text: string): number {
    if (text === "Never") return Infinity;
    const units: Record<string, number> = { h: 1, m: 1 / 60, s: 1 / 3600 };
    return [...text.matchAll(/(\d+)([hms])/g)].reduce((sum, [, n, unit]) => sum + Number(n) * units[unit], 0);
}

/**
 * Whether EKS has a build of every managed add-on for a Kubernetes version: the preflight asks through the
 * stack's provider (`aws.eks.getAddonVersion`, `mostRecent: false`), `npm run upgrade-check` through the
 * AWS SDK (DescribeAddonVersions). Both ask for the same add-ons, pick the same build and say the same thing.
 */
import { MANAGED_ADDONS } from "../../components/versions";

/** The add-ons a cluster version needs a build of: every one the program installs in that compute mode. */
export function addonsNeedingABuild(computeMode: "karpenter" | "auto"): readonly string[] {
    // Auto Mode runs the node add-ons and the EBS CSI driver itself; Velero's snapshot controller remains.
    return computeMode === "auto" ? MANAGED_ADDONS.filter((a) => a === "snapshot-controller") : MANAGED_ADDONS;
}

/** An add-on version as DescribeAddonVersions lists it (only the fields the choice reads). */
export interface AddonVersionListing {
    addonVersion?: string;
    compatibilities?: { clusterVersion?: string; defaultVersion?: boolean }[];
}

/**
 * The build EKS marks default for `kubernetesVersion`: what `getAddonVersion` with `mostRecent: false`
 * returns, and so what the program installs. Undefined when EKS offers none for that version.
 */
export function defaultBuild(versions: readonly AddonVersionListing[], kubernetesVersion: string): string | undefined {
    return versions.find((v) => v.compatibilities?.some((c) => c.clusterVersion === kubernetesVersion && c.defaultVersion))?.addonVersion;
}

/** The add-ons of `builds` (add-on → default build) that have none. */
export function missingBuilds(builds: Record<string, string | undefined>): string[] {
    return Object.entries(builds).filter(([, version]) => !version).map(([name]) => name);
}

/** How a missing build is told: "EKS in <region> has no build of the managed add-on(s) <names> for <version> yet". */
export function noBuildText(region: string, missing: readonly string[], version: string): string {
    return `EKS in ${region} has no build of the managed add-on(s) ${missing.join(", ")} for ${version} yet`;
}

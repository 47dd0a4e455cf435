import { KUBERNETES_VERSIONS } from "../../components/versions";

/** `1.NN` → NN. */
const minorOf = (version: string): number => Number(/^1\.(\d+)$/.exec(version)?.[1] ?? NaN);

/** The minor after `version` (`1.35` → `1.36`). */
export const nextMinor = (version: string): string => `1.${minorOf(version) + 1}`;

/** Whether `version` lies in `from`–`to` (minor versions, inclusive; an absent bound is open). */
export function withinMinors(version: string, from?: string, to?: string): boolean {
    const v = minorOf(version);
    return (from === undefined || v >= minorOf(from)) && (to === undefined || v <= minorOf(to));
}

/**
 * The version to check an upgrade to: `requested` (`--to`), else the minor after `current`. EKS upgrades a
 * control plane one minor at a time, and the program only accepts versions of KUBERNETES_VERSIONS: anything
 * else is refused with what is allowed.
 */
export function upgradeTarget(current: string, requested?: string): { ok: true; target: string } | { ok: false; error: string } {
    const range = `${KUBERNETES_VERSIONS.oldestSupported} to ${KUBERNETES_VERSIONS.newestSupported} (components/versions.ts KUBERNETES_VERSIONS)`;
    const target = requested ?? nextMinor(current);
    if (!/^1\.\d+$/.test(target)) return { ok: false, error: `--to ${JSON.stringify(target)}: a Kubernetes minor version of the form 1.NN, such as ${nextMinor(current)}` };
    if (!withinMinors(target, KUBERNETES_VERSIONS.oldestSupported, KUBERNETES_VERSIONS.newestSupported)) {
        const why = requested ? `--to ${target}` : `the version after the stack's ${current} is ${target}, which`;
        return { ok: false, error: `${why} is outside the versions this program supports, ${range}; ${requested ? "choose one of those" : `${current} is the newest it knows`}` };
    }
    const step = minorOf(target) - minorOf(current);
    if (step === 0) return { ok: false, error: `--to ${target}: the stack already runs Kubernetes ${current}; name the next minor, ${nextMinor(current)}` };
    if (step < 0) return { ok: false, error: `--to ${target}: EKS cannot downgrade a cluster (the stack runs ${current}); name the next minor, ${nextMinor(current)}` };
    if (step > 1) return { ok: false, error: `--to ${target}: EKS upgrades one minor version at a time; check and upgrade to ${nextMinor(current)} first, then to the next` };
    return { ok: true, target };
}

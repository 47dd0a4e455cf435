import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { KUBERNETES_VERSIONS } from "../versions";

/** The Pod Security Standards levels, strictest last. */
export type PodSecurityLevel = "privileged" | "baseline" | "restricted";

/** The level of a namespace the program creates unless `NAMESPACE_POD_SECURITY` names it. */
export const DEFAULT_POD_SECURITY: PodSecurityLevel = "restricted";

/**
 * Namespaces whose pods cannot meet `restricted`, with the strictest level they do meet (a render test
 * checks every rendered pod against its namespace's level, and that no namespace is looser than needed).
 */
export const NAMESPACE_POD_SECURITY: Record<string, PodSecurityLevel> = {
    // node-exporter reads the node itself: host network, host PID and hostPath mounts of /proc, /sys and /.
    // It runs alone there, so `monitoring` (Prometheus, Alertmanager, Grafana) stays restricted.
    "node-exporter": "privileged",
    // Fluent Bit tails the node's container logs through hostPath mounts of /var/log and /var/lib/docker/containers.
    "amazon-cloudwatch": "privileged",
};

/** The Pod Security level of a namespace the program creates. */
export const podSecurityLevel = (namespace: string): PodSecurityLevel => NAMESPACE_POD_SECURITY[namespace] ?? DEFAULT_POD_SECURITY;

/**
 * Standards version the labels pin: the oldest Kubernetes version the program supports, so a control
 * plane upgrade never tightens the rules under running workloads.
 */
export const POD_SECURITY_VERSION = `v${KUBERNETES_VERSIONS.oldestSupported}`;

/** `pod-security.kubernetes.io/*` labels: enforce, warn and audit at one level, pinned to one version. */
export function podSecurityLabels(level: PodSecurityLevel): Record<string, string> {
    return Object.fromEntries(
        (["enforce", "warn", "audit"] as const).flatMap((mode) => [
            [`pod-security.kubernetes.io/${mode}`, level],
            [`pod-security.kubernetes.io/${mode}-version`, POD_SECURITY_VERSION],
        ]),
    );
}

/**
 * A namespace for a platform release, labelled with its Pod Security level. It holds no AWS resources
 * of its own, so `pulumi destroy` lets it go with the cluster instead of waiting for Kubernetes to empty it.
 */
export function releaseNamespace(
    resourceName: string,
    namespace: string,
    opts: { provider: k8s.Provider; cluster: pulumi.Resource; parent: pulumi.Resource },
): k8s.core.v1.Namespace {
    return new k8s.core.v1.Namespace(
        resourceName,
        { metadata: { name: namespace, labels: podSecurityLabels(podSecurityLevel(namespace)) } },
        { parent: opts.parent, provider: opts.provider, deletedWith: opts.cluster },
    );
}

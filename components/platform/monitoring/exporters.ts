import { Placement, TOLERATE_EVERY_TAINT } from "../../shared/placement";

/**
 * node-exporter's namespace: it alone in monitoring needs host access (host network, PID, root
 * filesystem), so it runs apart and `monitoring` keeps a strict Pod Security level.
 */
export const NODE_EXPORTER_NAMESPACE = "node-exporter";

const resources = (cpu: string, memory: string, memoryLimit: string) => ({ requests: { cpu, memory }, limits: { memory: memoryLimit } });

/** kube-state-metrics: every object's state, but no Secret (its RBAC follows the collectors). */
export function kubeStateMetricsValues(placement: Placement) {
    return {
        collectorsExclude: ["secrets"],
        nodeSelector: placement.nodeSelector,
        resources: resources("50m", "128Mi", "256Mi"),
    };
}

/** node-exporter on every node (system nodes included), in its own privileged namespace. */
export function nodeExporterValues() {
    return {
        namespaceOverride: NODE_EXPORTER_NAMESPACE,
        tolerations: TOLERATE_EVERY_TAINT,
        resources: resources("20m", "32Mi", "64Mi"),
    };
}

import { ScrapeTarget } from "../../shared/scrape-target";

export { ScrapeTarget };

/**
 * `prometheus.additionalPodMonitors` entries of kube-prometheus-stack, one per target. Shipped inside
 * the monitoring release itself, the add-on charts need no ServiceMonitor CRD at install time, so
 * Karpenter (which monitoring's own pods need) never waits for monitoring.
 */
export function podMonitors(targets: readonly ScrapeTarget[]) {
    return targets.map((t) => ({
        name: t.name,
        namespaceSelector: { matchNames: [t.namespace] },
        selector: { matchExpressions: [{ key: "app.kubernetes.io/name", operator: "In", values: t.appNames }] },
        podMetricsEndpoints: [{ port: t.port, path: t.path, interval: "30s" }],
    }));
}

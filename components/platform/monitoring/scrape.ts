/**
 * PodMonitors for the platform's controllers, shipped inside the monitoring release itself: the
 * add-on charts then need no ServiceMonitor CRD at install time, so Karpenter (which monitoring's
 * own pods need) never waits for monitoring.
 */
interface ScrapeTarget {
    name: string;
    namespace: string;
    /** `app.kubernetes.io/name` of the pods. */
    appNames: string[];
    /** Name of the container port serving /metrics. */
    port: string;
}

export const SCRAPE_TARGETS: ScrapeTarget[] = [
    { name: "karpenter", namespace: "kube-system", appNames: ["karpenter"], port: "http-metrics" },
    { name: "aws-load-balancer-controller", namespace: "kube-system", appNames: ["aws-load-balancer-controller"], port: "metrics-server" },
    { name: "external-secrets", namespace: "external-secrets", appNames: ["external-secrets"], port: "metrics" },
    {
        name: "argocd",
        namespace: "argocd",
        appNames: ["argocd-application-controller", "argocd-server", "argocd-repo-server", "argocd-applicationset-controller"],
        port: "metrics",
    },
];

/** `prometheus.additionalPodMonitors` entries of kube-prometheus-stack. */
export function podMonitors() {
    return SCRAPE_TARGETS.map((t) => ({
        name: t.name,
        namespaceSelector: { matchNames: [t.namespace] },
        selector: { matchExpressions: [{ key: "app.kubernetes.io/name", operator: "In", values: t.appNames }] },
        podMetricsEndpoints: [{ port: t.port, interval: "30s" }],
    }));
}

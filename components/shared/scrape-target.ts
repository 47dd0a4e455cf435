/** Pods Prometheus scrapes: each add-on exports its own, the monitoring release turns them into PodMonitors. */
export interface ScrapeTarget {
    /** Names the PodMonitor. */
    name: string;
    /** Namespace of the pods. */
    namespace: string;
    /** `app.kubernetes.io/name` label values of the pods. */
    appNames: string[];
    /** Name of the container port serving metrics. */
    port: string;
    /** HTTP path of the metrics. */
    path: string;
}

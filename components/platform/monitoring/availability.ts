import { mebibytes, quantity } from "../../shared/quantity";
import { DO_NOT_DISRUPT, onWorkloadNodes, zoneSpread } from "../../shared/placement";

/**
 * Where the operator's Prometheus or Alertmanager pods run. One replica: any workload node. More: spread
 * over zones, on on-demand nodes that Karpenter does not consolidate while they run, with a PDB that
 * keeps all but one up (one AZ, a spot reclaim or a node rollout never takes them all).
 */
export function replicatedPlacement(replicas: number, podLabels: Record<string, string>) {
    if (replicas <= 1) return { pod: { nodeSelector: onWorkloadNodes().nodeSelector }, disruptionBudget: {} };
    return {
        pod: {
            nodeSelector: onWorkloadNodes({ onDemand: true }).nodeSelector,
            topologySpreadConstraints: zoneSpread(podLabels),
            podMetadata: { annotations: { ...DO_NOT_DISRUPT } },
        },
        disruptionBudget: { podDisruptionBudget: { enabled: true, minAvailable: replicas - 1 } },
    };
}

/** Memory limit as a multiple of the request: compaction and WAL replay briefly need about twice the steady state. */
const MEMORY_LIMIT_FACTOR = 2;
/** Share of the volume Prometheus may fill before it drops the oldest blocks (the WAL and compaction need the rest). */
const RETENTION_SHARE = 0.85;

/** Prometheus's memory limit from its request, and `retentionSize` safely below its volume. */
export function prometheusLimits(memoryRequest: string, volumeSize: string): { memory: string; retentionSize: string } {
    const retained = Math.floor(mebibytes(volumeSize) * RETENTION_SHARE);
    // Prometheus reads GiB/MiB as powers of two, like Kubernetes' Gi/Mi.
    const retentionSize = retained >= 1024 ? `${Math.floor(retained / 1024)}GiB` : `${retained}MiB`;
    return { memory: quantity(mebibytes(memoryRequest) * MEMORY_LIMIT_FACTOR), retentionSize };
}

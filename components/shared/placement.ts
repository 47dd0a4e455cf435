/**
 * Where pods run. The cluster has two kinds of nodes: the small tainted managed node group for
 * platform plumbing (system nodes), and the nodes Karpenter launches for everything else
 * (workload nodes). The node group's taint and labels, Karpenter's NodePool labels and every
 * add-on's tolerations and nodeSelector come from the constants here, so they cannot drift apart.
 */

/** Node label whose value says which kind of node it is. */
export const NODE_ROLE_LABEL = "eks-platform/node-role";

/** Kubernetes scheduling fields as chart values and add-on configurations spell them. */
export interface Placement {
    nodeSelector: Record<string, string>;
    /** Absent: the pods tolerate no taint. */
    tolerations?: readonly Toleration[];
}

export interface Toleration {
    key?: string;
    operator: "Exists" | "Equal";
    value?: string;
    effect?: "NoSchedule" | "PreferNoSchedule" | "NoExecute";
}

/** EKS API spelling of a taint effect → Kubernetes spelling. */
const EFFECT = { NO_SCHEDULE: "NoSchedule", PREFER_NO_SCHEDULE: "PreferNoSchedule", NO_EXECUTE: "NoExecute" } as const;

/** Only system add-ons (and pods that tolerate it) run on the system nodes. EKS API form, for the node group. */
export const SYSTEM_TAINT = { key: "CriticalAddonsOnly", value: "true", effect: "NO_SCHEDULE" } as const;

/** Labels of the system node group. */
export const SYSTEM_NODE_LABELS = { [NODE_ROLE_LABEL]: "system" } as const;
/** Labels Karpenter puts on the nodes it launches. */
export const WORKLOAD_NODE_LABELS = { [NODE_ROLE_LABEL]: "workload" } as const;

/** Kubernetes form of the system taint: tolerates exactly it, whatever its value. */
export const SYSTEM_TOLERATION: Toleration = { key: SYSTEM_TAINT.key, operator: "Exists", effect: EFFECT[SYSTEM_TAINT.effect] };

/** Platform plumbing that must run before (or without) any Karpenter node: on the tainted system nodes. */
export function onSystemNodes(extraSelector: Record<string, string> = {}): Placement {
    return { nodeSelector: { ...extraSelector, ...SYSTEM_NODE_LABELS }, tolerations: [SYSTEM_TOLERATION] };
}

/**
 * In EKS Auto Mode the system nodes are those of its built-in `system` NodePool: tainted `CriticalAddonsOnly`
 * like the node group, labelled with their pool's name instead of the node-role label.
 */
export const AUTO_MODE_SYSTEM_NODE_LABELS = { "karpenter.sh/nodepool": "system" } as const;

/** `placement` as the compute mode has it: system placement selects Auto Mode's `system` pool in `auto`. */
export function placementFor(placement: Placement, computeMode: "karpenter" | "auto"): Placement {
    if (computeMode === "karpenter" || placement.nodeSelector[NODE_ROLE_LABEL] !== SYSTEM_NODE_LABELS[NODE_ROLE_LABEL]) return placement;
    const { [NODE_ROLE_LABEL]: _system, ...rest } = placement.nodeSelector;
    return { ...placement, nodeSelector: { ...rest, ...AUTO_MODE_SYSTEM_NODE_LABELS } };
}

/** Karpenter's label for a node's capacity type (`spot` or `on-demand`). */
export const CAPACITY_TYPE_LABEL = "karpenter.sh/capacity-type";

/** Pod annotation that keeps Karpenter from voluntarily disrupting (consolidating, drifting) the pod's node. */
export const DO_NOT_DISRUPT = { "karpenter.sh/do-not-disrupt": "true" } as const;

/** Zone label every node carries; spreading over it keeps one AZ's loss from taking all replicas. */
export const ZONE_LABEL = "topology.kubernetes.io/zone";

/**
 * Applications and the heavier platform services: Karpenter nodes, never the system nodes. `onDemand`:
 * only on-demand capacity (replicated platform services that must not lose members to spot reclaims).
 */
export function onWorkloadNodes(opts: { onDemand?: boolean } = {}): Placement {
    return { nodeSelector: { ...WORKLOAD_NODE_LABELS, ...(opts.onDemand ? { [CAPACITY_TYPE_LABEL]: "on-demand" } : {}) } };
}

/** At most one replica more in any zone than in another; pods that cannot keep that wait for a node. */
export function zoneSpread(labelSelector?: Record<string, string>) {
    return [{ maxSkew: 1, topologyKey: ZONE_LABEL, whenUnsatisfiable: "DoNotSchedule", ...(labelSelector ? { labelSelector: { matchLabels: labelSelector } } : {}) }];
}

/** Per-node agents (exporters, log shippers) that must run on every node, tainted or not. */
export const TOLERATE_EVERY_TAINT: readonly Toleration[] = [{ operator: "Exists" }];

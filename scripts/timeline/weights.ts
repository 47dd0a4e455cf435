/**
 * How long each kind of resource takes to create on a fresh `pulumi up`, in minutes: the one table
 * `npm run timeline` weighs the program's dependency graph with (scripts/timeline/model.ts says how it
 * walks it). The figures are the typical create times of the issue that asked for the timeline (#23),
 * as measured on EKS deployments and reported by users of comparable programs; they are a model, not a
 * promise: AWS takes longer on a slow day (a control plane up to 10 minutes). Like the issue's, the table
 * counts what takes a quarter minute or more; what the API creates in seconds counts as 0 (`SECONDS`): a
 * path holds a handful of such steps, well inside the model's error, and the report says how many.
 */
import { RecordedResource } from "../../tooling/offline/mocks";
import { NODE_ROLE_LABEL, SYSTEM_TAINT, WORKLOAD_NODE_LABELS } from "../../components/shared/placement";

/** One figure of the table, with where it comes from. */
export interface Weight {
    minutes: number;
    /** Why this figure: what the time is spent on, and its source. */
    why: string;
}

/** The figure of a step that takes seconds: below the model's resolution. */
export const SECONDS = 0;

/** The named figures; `weightOf` picks one per resource. */
export const WEIGHTS = {
    controlPlane: { minutes: 8.5, why: "EKS control plane: 8.5–10 min (issue #23); the typical low end" },
    nodeGroup: { minutes: 2.2, why: "managed node group: instances launch, join and turn Ready, about 2.2 min (issue #23)" },
    natGateway: { minutes: 1.6, why: "NAT gateway turning available, about 1.6 min (issue #23)" },
    daemonSetAddon: { minutes: 0.25, why: "EKS managed add-on of DaemonSets only (vpc-cni, kube-proxy, Pod Identity agent): ACTIVE without waiting for pods, 0.25 min (issue #23, low end of 0.25–0.8)" },
    podAddon: { minutes: 0.8, why: "EKS managed add-on with a Deployment (CoreDNS, EBS CSI): ACTIVE once its pods run, 0.8 min (issue #23, high end of 0.25–0.8)" },
    awaitedRelease: { minutes: 2, why: "Helm release that waits for its pods (pull, start, Ready): about 2 min (issue #23)" },
    kubePrometheusStack: { minutes: 5, why: "kube-prometheus-stack: operator, admission jobs, Prometheus, Alertmanager, Grafana with volumes: up to 5 min (issue #23)" },
    unawaitedRelease: { minutes: SECONDS, why: "Helm release not awaited (skipAwait: CRDs only, or pods whose readiness something else waits for): Helm applies its objects in seconds" },
    nodeLaunch: { minutes: 1, why: "a new EC2 node that Karpenter (or EKS Auto Mode) launches, joining and Ready: about 1 min (issue #23)" },
    vpcWithoutNat: { minutes: SECONDS, why: "awsx VPC without NAT gateways: VPC, then subnets, route tables and the internet gateway, then routes: three API steps of seconds" },
    awsApi: { minutes: SECONDS, why: "an AWS resource the API creates at once (IAM, KMS, security groups, tags, queues, log groups, EIPs, routes…): seconds" },
    kubernetesObject: { minutes: SECONDS, why: "a Kubernetes object the API server stores (namespace, secret, policy, custom resource): about a second" },
    provider: { minutes: 0, why: "a provider: configured from its inputs, nothing to create" },
} satisfies Record<string, Weight>;

/**
 * Where a release's pods run: on the system node group (they tolerate its taint), on provisioned (Karpenter,
 * Auto Mode) nodes, or on any node (DaemonSets that tolerate every taint).
 */
export type PodPlacement = "system" | "provisioned" | "any";

/** EKS managed add-ons whose workloads are DaemonSets only: EKS reports them ACTIVE before any node exists. */
const DAEMONSET_ADDONS = new Set(["vpc-cni", "kube-proxy", "eks-pod-identity-agent"]);

export const HELM_RELEASE = "kubernetes:helm.sh/v3:Release";
export const NODE_POOL = "kubernetes:karpenter.sh/v1:NodePool";
export const NODE_GROUP = "aws:eks/nodeGroup:NodeGroup";

/** The chart of a release without its repository (`oci://…/karpenter` → `karpenter`). */
export const chartName = (r: RecordedResource): string => String(r.inputs.chart ?? "").split("/").pop()!;

/** Whether Pulumi waits for the release's workloads to turn Ready. */
export const awaited = (r: RecordedResource): boolean => r.inputs.skipAwait !== true;

/** The release of the Karpenter controller (its pods launch the provisioned nodes). */
export const isKarpenterController = (r: RecordedResource): boolean => r.type === HELM_RELEASE && chartName(r) === "karpenter";

/**
 * Where the release's pods run, from its values: a release with pods selecting the workload nodes needs a
 * provisioned node; one tolerating the system taint runs on the system nodes; one tolerating every taint
 * (a DaemonSet) on whatever nodes there are; any other on untainted, so provisioned, nodes.
 */
export function podPlacement(r: RecordedResource): PodPlacement {
    const found = (v: unknown, test: (o: Record<string, unknown>) => boolean): boolean =>
        Array.isArray(v) ? v.some((x) => found(x, test)) : typeof v === "object" && v !== null ? test(v as Record<string, unknown>) || Object.values(v).some((x) => found(x, test)) : false;
    const values = r.inputs.values;
    if (found(values, (o) => o[NODE_ROLE_LABEL] === WORKLOAD_NODE_LABELS[NODE_ROLE_LABEL])) return "provisioned";
    if (found(values, (o) => "operator" in o && o.key === SYSTEM_TAINT.key)) return "system";
    if (found(values, (o) => o.operator === "Exists" && o.key === undefined && o.effect === undefined)) return "any";
    return "provisioned";
}

/** The figure for one resource (local components take no time: they are not created anywhere). */
export function weightOf(r: RecordedResource): Weight {
    const [pkg] = r.type.split(":");
    if (r.type.startsWith("pulumi:providers:")) return WEIGHTS.provider;
    switch (r.type) {
        case "aws:eks/cluster:Cluster":
            return WEIGHTS.controlPlane;
        case NODE_GROUP:
            return WEIGHTS.nodeGroup;
        case "aws:ec2/natGateway:NatGateway":
            return WEIGHTS.natGateway;
        case "aws:eks/addon:Addon":
            return DAEMONSET_ADDONS.has(r.inputs.addonName) ? WEIGHTS.daemonSetAddon : WEIGHTS.podAddon;
        case "awsx:ec2:Vpc": {
            // awsx's component finishes only when all its children have, its NAT gateways included.
            const nat = String(r.inputs.natGateways?.strategy ?? "OnePerAz").toLowerCase() !== "none";
            return nat
                ? { minutes: WEIGHTS.vpcWithoutNat.minutes + WEIGHTS.natGateway.minutes, why: `awsx VPC with its NAT gateways: ${WEIGHTS.vpcWithoutNat.why}, then ${WEIGHTS.natGateway.why}` }
                : WEIGHTS.vpcWithoutNat;
        }
        case HELM_RELEASE:
            if (!awaited(r)) return WEIGHTS.unawaitedRelease;
            return chartName(r) === "kube-prometheus-stack" ? WEIGHTS.kubePrometheusStack : WEIGHTS.awaitedRelease;
    }
    if (pkg === "kubernetes") return WEIGHTS.kubernetesObject;
    return WEIGHTS.awsApi;
}

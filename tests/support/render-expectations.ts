import { AUTO_MODE_SYSTEM_NODE_LABELS, NODE_ROLE_LABEL, SYSTEM_NODE_LABELS, SYSTEM_TOLERATION } from "../../components/shared/placement";
import { StackGraph } from "../../tooling/offline/harness";
import { HygieneAllowance, OutsideTargets, Placement } from "./render-checks";

/** What the render checks expect of any stack's manifests: fixtures and the real stack files alike. */

const SYSTEM_NODE_LABEL = { key: NODE_ROLE_LABEL, value: SYSTEM_NODE_LABELS[NODE_ROLE_LABEL] };
export const PLACEMENT: Placement = { systemLabel: SYSTEM_NODE_LABEL, workloadLabel: { key: NODE_ROLE_LABEL, value: "workload" }, systemTaintKey: SYSTEM_TOLERATION.key! };
/** Under EKS Auto Mode the system controllers select its built-in `system` pool, tainted like the node group. */
export const AUTO_MODE_PLACEMENT: Placement = { ...PLACEMENT, systemLabel: { key: "karpenter.sh/nodepool", value: AUTO_MODE_SYSTEM_NODE_LABELS["karpenter.sh/nodepool"] } };
/** The placement a stack's manifests must follow, by its `computeMode` output. */
export const placementOf = (g: StackGraph): Placement => (g.outputs.computeMode === "auto" ? AUTO_MODE_PLACEMENT : PLACEMENT);

/** Releases whose pods run on the tainted system nodes: they must work before Karpenter has launched a node. */
export const SYSTEM_RELEASES = ["karpenter", "aws-load-balancer-controller", "external-secrets", "metrics-server", "external-dns", "velero"];

/** The only pods allowed host access, and why. */
export const HOST_ACCESS: HygieneAllowance[] = [
    {
        workload: "DaemonSet node-exporter/kube-prometheus-stack-prometheus-node-exporter",
        hostNetwork: true,
        reason: "node-exporter reports the node's own network interfaces and serves on the node IP",
    },
];

/** Controllers that call AWS APIs in every stack: each must run as a service account with a Pod Identity association. */
export const AWS_CALLERS = [
    { namespace: "kube-system", name: "karpenter" },
    { namespace: "kube-system", name: "aws-load-balancer-controller" },
    { namespace: "external-secrets", name: "external-secrets" },
];
/** Controllers that run in the cluster only in `computeMode: karpenter` (Auto Mode runs both outside it). */
export const KARPENTER_MODE_CONTROLLERS = ["karpenter", "aws-load-balancer-controller"];
/** AWS_CALLERS as a stack's compute mode has them. */
export const awsCallersOf = (g: StackGraph) => (g.outputs.computeMode === "auto" ? AWS_CALLERS.filter((c) => !KARPENTER_MODE_CONTROLLERS.includes(c.name)) : AWS_CALLERS);
/** Controllers that call AWS where their switch installs them (external-dns, Velero, Fluent Bit). */
export const OPTIONAL_AWS_CALLERS = [
    { namespace: "external-dns", name: "external-dns" },
    { namespace: "velero", name: "velero" },
    { namespace: "amazon-cloudwatch", name: "aws-for-fluent-bit" },
];
/** Associations whose service account an EKS managed add-on creates, not a chart (the VPC CNI's has one in an IPv6 cluster). */
export const ADDON_SERVICE_ACCOUNTS = ["kube-system/ebs-csi-controller-sa", "kube-system/aws-node"];

/** Scrape targets that exist on EKS without being rendered here. */
export const EKS_TARGETS: OutsideTargets = {
    pods: [
        { namespace: "kube-system", labels: { "k8s-app": "kube-dns" }, why: "CoreDNS managed add-on" },
        // The EKS kube-proxy add-on binds its metrics to 0.0.0.0:10249, so it is scrapeable.
        { namespace: "kube-system", labels: { "k8s-app": "kube-proxy" }, why: "kube-proxy managed add-on" },
    ],
    services: [
        { namespace: "default", labels: { component: "apiserver", provider: "kubernetes" }, ports: ["https"], why: "the API server's `kubernetes` Service" },
        { namespace: "kube-system", labels: { "app.kubernetes.io/name": "kubelet", "k8s-app": "kubelet" }, ports: ["https-metrics", "http-metrics", "cadvisor"], why: "kubelet Service the operator maintains" },
    ],
};
/** Scrape jobs of control-plane parts EKS does not expose. */
export const HIDDEN_CONTROL_PLANE_JOBS = ["kube-scheduler", "kube-controller-manager", "kube-etcd", "etcd"];

/** The stack's Pod Identity associations, less those of EKS managed add-ons. */
export const chartAssociations = (g: StackGraph) =>
    g.ofType("aws:eks/podIdentityAssociation:PodIdentityAssociation")
        .map((a) => ({ namespace: a.inputs.namespace as string, serviceAccount: a.inputs.serviceAccount as string }))
        .filter((a) => !ADDON_SERVICE_ACCOUNTS.includes(`${a.namespace}/${a.serviceAccount}`));

/**
 * Every pinned version in one place. Chart versions match the upstream files in
 * ../shared/reference (tests compare them); bump them together with those files. Tests refer to these
 * constants by name; tests/readme-versions.test.ts checks every version the README states against them.
 */

/** Kubernetes versions EKS supports (standard or extended support) as of this release. */
export const KUBERNETES_VERSIONS = {
    default: "1.35",
    oldestSupported: "1.32",
    newestSupported: "1.36",
} as const;

/**
 * EKS managed add-ons. Versions are resolved per cluster version with `aws.eks.getAddonVersion`
 * (the default build EKS recommends for that Kubernetes version), so they are not pinned here.
 */
export const MANAGED_ADDONS = ["vpc-cni", "kube-proxy", "eks-pod-identity-agent", "coredns", "aws-ebs-csi-driver", "snapshot-controller"] as const;
export type ManagedAddonName = (typeof MANAGED_ADDONS)[number];

/** A Helm chart pinned to one version. */
export interface ChartPin {
    /** Chart name, or the full `oci://` reference for OCI registries. */
    chart: string;
    /** Classic Helm repository URL; absent for OCI charts. */
    repo?: string;
    version: string;
}

/** Every Helm chart the platform installs. Versions equal ../shared/reference/<chart>/Chart.yaml. */
export const CHARTS = {
    karpenter: { chart: "oci://public.ecr.aws/karpenter/karpenter", version: "1.14.1" },
    /** Same release as the controller; upgrades the CRDs, which Helm never does for a chart's crds/ folder. */
    karpenterCrd: { chart: "oci://public.ecr.aws/karpenter/karpenter-crd", version: "1.14.1" },
    awsLoadBalancerController: { chart: "aws-load-balancer-controller", repo: "https://aws.github.io/eks-charts", version: "3.5.0" },
    externalSecrets: { chart: "external-secrets", repo: "https://charts.external-secrets.io", version: "2.9.0" },
    argoCd: { chart: "argo-cd", repo: "https://argoproj.github.io/argo-helm", version: "10.1.1" },
    velero: { chart: "velero", repo: "https://vmware-tanzu.github.io/helm-charts", version: "12.1.0" },
    kubePrometheusStack: { chart: "kube-prometheus-stack", repo: "https://prometheus-community.github.io/helm-charts", version: "88.5.3" },
    metricsServer: { chart: "metrics-server", repo: "https://kubernetes-sigs.github.io/metrics-server", version: "3.13.1" },
    externalDns: { chart: "external-dns", repo: "https://kubernetes-sigs.github.io/external-dns", version: "1.21.1" },
    awsForFluentBit: { chart: "aws-for-fluent-bit", repo: "https://aws.github.io/eks-charts", version: "0.2.0" },
} as const satisfies Record<string, ChartPin>;

/** Images pinned outside a chart's defaults. */
export const IMAGES = {
    /** Velero's AWS object-store plugin (Docker Hub); v1.14.x pairs with Velero 1.18 (chart 12.1.0). Multi-arch. */
    veleroPluginForAws: { repository: "velero/velero-plugin-for-aws", tag: "v1.14.2" },
} as const;

/**
 * EKS Auto Mode (`computeMode: auto`): where and on which Kubernetes versions AWS offers it. Source: the EKS
 * User Guide, "Automate cluster infrastructure with EKS Auto Mode" (docs.aws.amazon.com/eks/latest/userguide/
 * automode.html: Kubernetes 1.29 or later; every commercial Region where EKS is, the China Regions excepted),
 * checked 2026-12-06. The preflight refuses an auto stack outside them, naming `computeMode` and `aws:region`.
 */
export const AUTO_MODE = {
    minimumKubernetesVersion: "1.29",
    /** Regions (by name prefix) without Auto Mode. */
    unavailableRegionPrefixes: ["cn-"],
    source: "https://docs.aws.amazon.com/eks/latest/userguide/automode.html",
    checked: "2026-12-06",
} as const;

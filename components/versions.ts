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

/**
 * The Kubernetes versions upstream documents for a pinned chart's release (`npm run upgrade-check` holds the
 * target version to it). `supported`: upstream states the release works there, so a target outside it blocks
 * the upgrade; `tested`: upstream lists the versions it tested, so a target outside it is a warning (untested,
 * not known broken). Minor versions, inclusive; no `to` when upstream states no upper bound.
 */
export interface KubernetesCompatibility {
    basis: "supported" | "tested" | "undocumented";
    from?: string;
    to?: string;
    /** What upstream says, in short. */
    documented: string;
    /** Where it says it (a file at a commit), and that commit's date. */
    source: string;
    date: string;
}

/** One entry per chart of CHARTS (the type requires it); bump an entry with its chart, from the new release's upstream docs. */
export const CHART_COMPATIBILITY = {
    karpenter: {
        basis: "supported",
        from: "1.30",
        to: "1.36",
        documented: "compatibility matrix: Kubernetes 1.30 needs Karpenter >= 0.37, 1.31 >= 1.0.5, 1.32 >= 1.2, 1.33 >= 1.5, 1.34 >= 1.6, 1.35 >= 1.9, 1.36 >= 1.13; no later version listed",
        source: "https://github.com/aws/karpenter-provider-aws/blob/1d927085dd81a9df9301e613f371dac5b4d16bfe/website/content/en/v1.14/upgrading/compatibility.md",
        date: "2026-08-21",
    },
    karpenterCrd: {
        basis: "supported",
        from: "1.30",
        to: "1.36",
        documented: "the CRDs of the same Karpenter release: its compatibility matrix (see karpenter)",
        source: "https://github.com/aws/karpenter-provider-aws/blob/1d927085dd81a9df9301e613f371dac5b4d16bfe/website/content/en/v1.14/upgrading/compatibility.md",
        date: "2026-08-21",
    },
    awsLoadBalancerController: {
        basis: "supported",
        from: "1.22",
        documented: "chart README, Prerequisites: chart version v1.5.0+ requires Kubernetes 1.22+",
        source: "https://github.com/aws/eks-charts/blob/5239609242f3430be50fb0b714a24d3ef2b47983/stable/aws-load-balancer-controller/README.md",
        date: "2026-08-03",
    },
    externalSecrets: {
        basis: "supported",
        from: "1.36",
        to: "1.36",
        documented: "stability and support table: ESO 2.9 supports Kubernetes 1.36 (2.8: 1.35-1.36); only the versions its test suites run are guaranteed",
        source: "https://github.com/external-secrets/external-secrets/blob/cc5bfbc2234ace9cb0caff4ea89c435cf517b27b/docs/introduction/stability-support.md",
        date: "2026-08-08",
    },
    argoCd: {
        basis: "tested",
        from: "1.32",
        to: "1.35",
        documented: "tested versions: Argo CD 3.4 (chart 10.1.1 ships v3.4.4) is tested on Kubernetes v1.32-v1.35; the chart README aligns its kubeVersion (>=1.25.0-0) with the EKS calendar",
        source: "https://github.com/argoproj/argo-cd/blob/443415b5527ac55366e0760c93ef0e1abd0cf273/docs/operator-manual/tested-kubernetes-versions.md",
        date: "2026-06-18",
    },
    velero: {
        basis: "supported",
        from: "1.18",
        documented: "compatibility matrix: Velero 1.18 expects Kubernetes 1.18-latest (tested on 1.33.7, 1.34.1 and 1.35.0)",
        source: "https://github.com/vmware-tanzu/velero/blob/26ef8fa7df68dfa9ab8aa4669b8ac47340b0c510/README.md",
        date: "2026-05-12",
    },
    kubePrometheusStack: {
        basis: "supported",
        from: "1.25",
        documented: "Prometheus Operator compatibility (chart 88.5.3 ships v0.93.1): >= v0.84.0 requires Kubernetes >= v1.25.0 (CEL in its CRDs); no upper bound stated",
        source: "https://github.com/prometheus-operator/prometheus-operator/blob/f8fafd475f3d132e239432ae6172de60a6cb6516/Documentation/getting-started/compatibility.md",
        date: "2026-07-28",
    },
    metricsServer: {
        basis: "supported",
        from: "1.31",
        documented: "compatibility matrix: Metrics Server 0.8.x (chart 3.13.1 ships 0.8.1) supports Kubernetes 1.31+",
        source: "https://github.com/kubernetes-sigs/metrics-server/blob/842dcc8c42f22cc19f10c7d5f2d32a9f4b6013b0/README.md",
        date: "2026-06-11",
    },
    externalDns: {
        basis: "supported",
        from: "1.21",
        documented: "Kubernetes version compatibility: ExternalDNS >= 0.18.x (chart 1.21.1 ships 0.21.0) works with Kubernetes 1.21 and later",
        source: "https://github.com/kubernetes-sigs/external-dns/blob/066a11e2158f87689a01f0ff39493037da958171/README.md",
        date: "2026-04-06",
    },
    awsForFluentBit: {
        basis: "undocumented",
        documented: "no documented range; chart kubeVersion only",
        source: "https://github.com/aws/eks-charts/blob/5239609242f3430be50fb0b714a24d3ef2b47983/stable/aws-for-fluent-bit/README.md",
        date: "2026-08-03",
    },
} as const satisfies Record<keyof typeof CHARTS, KubernetesCompatibility>;

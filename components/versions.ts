/**
 * Every pinned version in one place. Chart versions match the upstream files in
 * ../shared/reference (tests compare them); bump them together with those files.
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
export const MANAGED_ADDONS = ["vpc-cni", "kube-proxy", "eks-pod-identity-agent", "coredns", "aws-ebs-csi-driver"] as const;
export type ManagedAddonName = (typeof MANAGED_ADDONS)[number];

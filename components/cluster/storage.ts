import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";

export const DEFAULT_STORAGE_CLASS = "gp3";

/** The EBS CSI driver's name: the managed add-on's, or Auto Mode's block storage's. */
export const EBS_PROVISIONERS = { karpenter: "ebs.csi.aws.com", auto: "ebs.csi.eks.amazonaws.com" } as const;

/**
 * Default StorageClass: encrypted gp3 through the mode's EBS CSI driver, bound where the pod lands. Only an API
 * object: it needs no driver to exist (a claim binds once a pod of it is scheduled, by then the driver runs). Auto
 * Mode's driver tags its volumes from the class (`tagSpecification_<n>`), the add-on from its own settings: either
 * way every volume carries the stack's owner tags, which CI's permissions boundary scopes volume changes by.
 */
export function createDefaultStorageClass(
    provider: k8s.Provider,
    cluster: pulumi.Resource,
    computeMode: keyof typeof EBS_PROVISIONERS,
    ownerTags: Record<string, string>,
    parent: pulumi.Resource,
): k8s.storage.v1.StorageClass {
    const tags = computeMode === "auto" ? Object.fromEntries(Object.entries(ownerTags).map(([k, v], i) => [`tagSpecification_${i + 1}`, `${k}=${v}`])) : {};
    return new k8s.storage.v1.StorageClass(
        "gp3",
        {
            metadata: { name: DEFAULT_STORAGE_CLASS, annotations: { "storageclass.kubernetes.io/is-default-class": "true" } },
            provisioner: EBS_PROVISIONERS[computeMode],
            parameters: { type: "gp3", encrypted: "true", "csi.storage.k8s.io/fstype": "ext4", ...tags },
            volumeBindingMode: "WaitForFirstConsumer",
            allowVolumeExpansion: true,
            reclaimPolicy: "Delete",
        },
        // Holds no AWS resources of its own, so destroying the cluster may simply take it along.
        { parent, provider, deletedWith: cluster },
    );
}

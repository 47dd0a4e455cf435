import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { onSystemNodes, placementFor } from "../shared/placement";
import { ComputeMode } from "./types";
import { ManagedAddonName } from "../versions";

/** The Pod Identity service accounts EKS managed add-ons run as. */
export const EBS_CSI_SERVICE_ACCOUNT = { namespace: "kube-system", name: "ebs-csi-controller-sa" } as const;

/**
 * `configurationValues` per EKS managed add-on, as typed data (each must match the add-on's schema:
 * `aws eks describe-addon-configuration --addon-name <name> --addon-version <version>`). `ownerTags` are
 * the stack's `project`/`environment` tags: the VPC CNI and EBS CSI driver put them on the interfaces,
 * volumes and snapshots they create, which CI's permissions boundary lets the platform change.
 */
export function managedAddonConfiguration(addon: ManagedAddonName, ownerTags: Record<string, string>, computeMode: ComputeMode = "karpenter"): Record<string, unknown> | undefined {
    const systemNodesConfiguration = () => systemNodes(computeMode);
    const configuration: Record<ManagedAddonName, Record<string, unknown> | undefined> = {
        // Prefix delegation: each ENI slot holds a /28, so small nodes run far more pods.
        // Network policy enforcement: the add-on's node agent applies the NetworkPolicies (off by default).
        "vpc-cni": {
            env: { ENABLE_PREFIX_DELEGATION: "true", WARM_PREFIX_TARGET: "1", ADDITIONAL_ENI_TAGS: JSON.stringify(ownerTags) },
            enableNetworkPolicy: "true",
        },
        "kube-proxy": undefined,
        "eks-pod-identity-agent": undefined,
        // CoreDNS runs on the tainted system nodes, which exist before any Karpenter node.
        coredns: systemNodesConfiguration(),
        "aws-ebs-csi-driver": { controller: { ...systemNodesConfiguration(), extraVolumeTags: ownerTags } },
        // VolumeSnapshot CRDs and their controller, for Velero's CSI snapshots; installed by the Velero add-on,
        // on the system nodes like the other controllers EKS manages.
        "snapshot-controller": systemNodesConfiguration(),
    };
    return configuration[addon];
}

/** Tolerations before nodeSelector: the JSON EKS stores keeps this order, so a reorder would show as a change. */
function systemNodes(computeMode: ComputeMode) {
    const placement = placementFor(onSystemNodes(), computeMode);
    return { tolerations: placement.tolerations, nodeSelector: placement.nodeSelector };
}

export interface ManagedAddonArgs {
    cluster: aws.eks.Cluster;
    kubernetesVersion: string;
    /** Pod Identity associations the add-on's service accounts use. */
    dependsOn?: pulumi.Resource[];
    /** Not deleted on its own but with this resource (the cluster): see `createManagedAddon`'s callers. */
    deletedWith?: pulumi.Resource;
    /** The stack's owner tags (`ClusterArgs.ownerTags`). */
    ownerTags: Record<string, string>;
    /** Where the add-on's controller runs: the system node group, or Auto Mode's system pool. */
    computeMode?: ComputeMode;
}

/**
 * An EKS managed add-on at the default version EKS recommends for the cluster's Kubernetes version.
 * OVERWRITE on create and update: the configuration here always wins, so re-runs converge.
 */
export function createManagedAddon(addonName: ManagedAddonName, args: ManagedAddonArgs, parent: pulumi.Resource): aws.eks.Addon {
    const version = aws.eks.getAddonVersionOutput({ addonName, kubernetesVersion: args.kubernetesVersion, mostRecent: false }, { parent });
    const configuration = managedAddonConfiguration(addonName, args.ownerTags, args.computeMode);
    return new aws.eks.Addon(
        addonName,
        {
            clusterName: args.cluster.name,
            addonName,
            addonVersion: version.version,
            configurationValues: configuration ? JSON.stringify(configuration) : undefined,
            resolveConflictsOnCreate: "OVERWRITE",
            resolveConflictsOnUpdate: "OVERWRITE",
        },
        { parent, dependsOn: args.dependsOn, deletedWith: args.deletedWith },
    );
}

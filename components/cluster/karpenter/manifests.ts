import * as pulumi from "@pulumi/pulumi";
import { WORKLOAD_NODE_LABELS } from "../../shared/placement";
import { IpFamily } from "../../network/types";
import { NODE_METADATA_OPTIONS, ROOT_VOLUME } from "../node-group";
import { familyArchitecture } from "../../shared/instance-types";

export const NODE_CLASS_NAME = "default";
export const NODE_POOL_NAME = "default";

export interface NodePoolSettings {
    /** EC2 families, e.g. `m6i`. */
    instanceFamilies: string[];
    /** `spot` and/or `on-demand`. */
    capacityTypes: string[];
    /** vCPUs the pool may hold in total. */
    cpuLimit: number;
    /** How long a node must be empty or underutilized before consolidation. */
    consolidateAfter: string;
    /** Maximum node lifetime; nodes are replaced (and re-patched) after it. */
    expireAfter: string;
}

export interface NodeClassSettings {
    clusterName: string;
    /** IAM role name Karpenter puts into instance profiles. */
    nodeRoleName: pulumi.Input<string>;
    /** AMI alias, `al2023@latest` or a pinned `al2023@vYYYYMMDD`. */
    amiAlias: string;
    /** Tags for everything Karpenter launches (provider default tags do not reach them). */
    tags: Record<string, string>;
    /** The cluster's IP family: IPv6 nodes answer metadata requests on the IPv6 endpoint too. */
    ipFamily: IpFamily;
}

/** Pods per node with VPC CNI prefix delegation (EKS's max-pods calculator for nodes under 30 vCPUs). */
export const PREFIX_DELEGATION_MAX_PODS = 110;

/** karpenter.k8s.aws/v1 EC2NodeClass: discovery by tag, IMDSv2 hop 1, encrypted gp3 root. */
export function ec2NodeClass(s: NodeClassSettings) {
    const discovery = [{ tags: { "karpenter.sh/discovery": s.clusterName } }];
    return {
        apiVersion: "karpenter.k8s.aws/v1",
        kind: "EC2NodeClass",
        metadata: { name: NODE_CLASS_NAME },
        spec: {
            role: s.nodeRoleName,
            amiSelectorTerms: [{ alias: s.amiAlias }],
            // Only the private subnets and the cluster security group carry the discovery tag.
            subnetSelectorTerms: discovery,
            securityGroupSelectorTerms: discovery,
            metadataOptions: {
                httpEndpoint: NODE_METADATA_OPTIONS.httpEndpoint,
                httpProtocolIPv6: s.ipFamily === "ipv6" ? "enabled" : "disabled",
                httpPutResponseHopLimit: NODE_METADATA_OPTIONS.httpPutResponseHopLimit,
                httpTokens: NODE_METADATA_OPTIONS.httpTokens,
            },
            blockDeviceMappings: [
                {
                    deviceName: ROOT_VOLUME.deviceName,
                    ebs: { volumeSize: `${ROOT_VOLUME.sizeGiB}Gi`, volumeType: "gp3", encrypted: true, deleteOnTermination: true },
                },
            ],
            // The VPC CNI runs with prefix delegation (managed-addons.ts): each ENI slot holds a /28, so a node
            // fits far more pods than Karpenter's ENI-based default assumes. 110 is what EKS itself sets for
            // prefix-delegation nodes under 30 vCPUs, and the Kubernetes per-node guidance.
            kubelet: { maxPods: PREFIX_DELEGATION_MAX_PODS },
            tags: s.tags,
        },
    };
}

/** The NodeClass a NodePool launches with, and the label its instance families go by. */
export interface NodeClassTarget {
    nodeClassRef: { group: string; kind: string; name: string };
    /** Karpenter's `karpenter.k8s.aws/instance-family`, Auto Mode's `eks.amazonaws.com/instance-family`. */
    instanceFamilyLabel: string;
}

/** Karpenter's own EC2NodeClass (above). */
export const EC2_NODE_CLASS_TARGET: NodeClassTarget = {
    nodeClassRef: { group: "karpenter.k8s.aws", kind: "EC2NodeClass", name: NODE_CLASS_NAME },
    instanceFamilyLabel: "karpenter.k8s.aws/instance-family",
};

/** karpenter.sh/v1 NodePool drawing from the given families and capacity types, launching with `target`'s NodeClass. */
export function nodePool(s: NodePoolSettings, target: NodeClassTarget = EC2_NODE_CLASS_TARGET) {
    const architectures = [...new Set(s.instanceFamilies.map(familyArchitecture))].sort();
    return {
        apiVersion: "karpenter.sh/v1",
        kind: "NodePool",
        metadata: { name: NODE_POOL_NAME },
        spec: {
            template: {
                metadata: { labels: { ...WORKLOAD_NODE_LABELS } },
                spec: {
                    nodeClassRef: target.nodeClassRef,
                    requirements: [
                        { key: target.instanceFamilyLabel, operator: "In", values: s.instanceFamilies },
                        { key: "karpenter.sh/capacity-type", operator: "In", values: s.capacityTypes },
                        { key: "kubernetes.io/arch", operator: "In", values: architectures },
                        { key: "kubernetes.io/os", operator: "In", values: ["linux"] },
                    ],
                    expireAfter: s.expireAfter,
                    // After a day of draining, pods that block eviction (a PDB, do-not-disrupt) are
                    // deleted anyway: an expired or drifted node must not live on indefinitely.
                    terminationGracePeriod: "24h",
                },
            },
            limits: { cpu: String(s.cpuLimit) },
            disruption: { consolidationPolicy: "WhenEmptyOrUnderutilized", consolidateAfter: s.consolidateAfter },
        },
    };
}

import * as pulumi from "@pulumi/pulumi";
import { NodeClassTarget } from "../karpenter/manifests";
import { platformIngressGroup } from "../load-balancer-controller/names";
import { INTERNAL_INGRESS_CLASS, INTERNET_FACING_INGRESS_CLASS, addressSpec } from "../load-balancer-controller/ingress-class";
import type { IpFamily } from "../../network/types";
import { ROOT_VOLUME } from "../node-group";

/** Auto Mode's API group: its NodeClass, IngressClassParams and the ALB controller name. */
export const AUTO_MODE_GROUP = "eks.amazonaws.com";
/** The IngressClass controller of Auto Mode's load balancing. */
export const AUTO_MODE_ALB_CONTROLLER = `${AUTO_MODE_GROUP}/alb`;

/** The workload NodePool's NodeClass; not `default`, which Auto Mode reserves for its built-in one. */
export const AUTO_MODE_NODE_CLASS_NAME = "workload";

/** The workload NodePool launches with the NodeClass below; families go by Auto Mode's own label. */
export const AUTO_MODE_NODE_CLASS_TARGET: NodeClassTarget = {
    nodeClassRef: { group: AUTO_MODE_GROUP, kind: "NodeClass", name: AUTO_MODE_NODE_CLASS_NAME },
    instanceFamilyLabel: `${AUTO_MODE_GROUP}/instance-family`,
};

/** The documented fields of an `eks.amazonaws.com/v1` NodeClass the program sets (EKS User Guide, "Create a Node Class"). */
export interface AutoModeNodeClassSpec {
    /** The node IAM role by name; it needs an `EC2` access entry. */
    role: pulumi.Input<string>;
    subnetSelectorTerms: { tags?: Record<string, string>; id?: string }[];
    securityGroupSelectorTerms: { tags?: Record<string, string>; id?: pulumi.Input<string> }[];
    /** The node's encrypted root volume: size as a quantity, gp3 IOPS (3000-16000) and throughput (125-1000 MiB/s). */
    ephemeralStorage: { size: string; iops: number; throughput: number };
    /** Without a NetworkPolicy selecting a pod: `DefaultAllow` or `DefaultDeny`. */
    networkPolicy: "DefaultAllow" | "DefaultDeny";
    networkPolicyEventLogs: "Enabled" | "Disabled";
    /** `Random` (pods reach outside the VPC through the node's address) or `Disabled`. */
    snatPolicy: "Random" | "Disabled";
    tags: Record<string, string>;
}

export interface AutoModeNodeClassSettings {
    clusterName: string;
    nodeRoleName: pulumi.Input<string>;
    /** The cluster security group (the control plane's and every node's). */
    securityGroupId: pulumi.Input<string>;
    /** Tags for the instances, volumes and interfaces Auto Mode launches. */
    tags: Record<string, string>;
}

/**
 * eks.amazonaws.com/v1 NodeClass of the workload NodePool: the private subnets (by the discovery tag only they
 * carry), the cluster security group, a root volume as the system node group's, and NetworkPolicies enforced
 * (default allow, as the VPC CNI's enforcement in `karpenter` mode: the program's namespaces deny by their own
 * policies). IMDSv2 with hop limit 1 and private nodes need no field: Auto Mode enforces both on every node.
 */
export function autoModeNodeClass(s: AutoModeNodeClassSettings): { apiVersion: string; kind: string; metadata: { name: string }; spec: AutoModeNodeClassSpec } {
    return {
        apiVersion: `${AUTO_MODE_GROUP}/v1`,
        kind: "NodeClass",
        metadata: { name: AUTO_MODE_NODE_CLASS_NAME },
        spec: {
            role: s.nodeRoleName,
            subnetSelectorTerms: [{ tags: { "karpenter.sh/discovery": s.clusterName } }],
            securityGroupSelectorTerms: [{ id: s.securityGroupId }],
            ephemeralStorage: { size: `${ROOT_VOLUME.sizeGiB}Gi`, iops: 3000, throughput: 125 },
            networkPolicy: "DefaultAllow",
            networkPolicyEventLogs: "Disabled",
            snatPolicy: "Random",
            tags: s.tags,
        },
    };
}

/**
 * Auto Mode's IngressClassParams: the scheme, the namespaces allowed (none: all) with the group their Ingresses
 * share (Auto Mode takes it from here, never from an annotation), the owner tags on every load balancer; in an
 * IPv6 cluster a dual-stack ALB, as its pods are IPv6 targets.
 */
function ingressClassParams(name: string, scheme: "internal" | "internet-facing", ownerTags: Record<string, string>, ipFamily: IpFamily, only?: { namespaces: string[]; group: string }) {
    return {
        apiVersion: `${AUTO_MODE_GROUP}/v1`,
        kind: "IngressClassParams",
        metadata: { name },
        spec: {
            scheme,
            ...addressSpec(ipFamily),
            ...(only ? { namespaceSelector: { matchExpressions: [{ key: "kubernetes.io/metadata.name", operator: "In", values: only.namespaces }] }, group: { name: only.group } } : {}),
            tags: Object.entries(ownerTags).map(([key, value]) => ({ key, value })),
        },
    };
}

function ingressClass(name: string, params: string, isDefault: boolean) {
    return {
        apiVersion: "networking.k8s.io/v1" as const,
        kind: "IngressClass" as const,
        metadata: { name, ...(isDefault ? { annotations: { "ingressclass.kubernetes.io/is-default-class": "true" } } : {}) },
        spec: { controller: AUTO_MODE_ALB_CONTROLLER, parameters: { apiGroup: AUTO_MODE_GROUP, kind: "IngressClassParams", name: params, scope: "Cluster" } },
    };
}

/** Names of the internal class's parameters, as the Load Balancer Controller's chart calls them. */
export const AUTO_MODE_INTERNAL_PARAMS = "alb-internal";

/**
 * The same two classes as in `karpenter` mode, on Auto Mode's load balancing: `alb` (default, internal,
 * whatever an Ingress asks) and, for `internetFacingNamespaces` only, `alb-internet-facing`, whose Ingresses
 * (the platform's) share the cluster's platform ALB.
 */
export function autoModeIngressClasses(clusterName: string, ownerTags: Record<string, string>, internetFacingNamespaces: string[], ipFamily: IpFamily) {
    return [
        { params: ingressClassParams(AUTO_MODE_INTERNAL_PARAMS, "internal", ownerTags, ipFamily), ingressClass: ingressClass(INTERNAL_INGRESS_CLASS, AUTO_MODE_INTERNAL_PARAMS, true) },
        ...(internetFacingNamespaces.length > 0
            ? [
                  {
                      params: ingressClassParams(INTERNET_FACING_INGRESS_CLASS, "internet-facing", ownerTags, ipFamily, { namespaces: internetFacingNamespaces, group: platformIngressGroup(clusterName) }),
                      ingressClass: ingressClass(INTERNET_FACING_INGRESS_CLASS, INTERNET_FACING_INGRESS_CLASS, false),
                  },
              ]
            : []),
    ];
}

/** Auto Mode enforces NetworkPolicies only with this ConfigMap (EKS User Guide, "Use Network Policies with EKS Auto Mode"). */
export const AUTO_MODE_NETWORK_POLICY_CONFIG = {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name: "amazon-vpc-cni", namespace: "kube-system" },
    data: { "enable-network-policy-controller": "true" },
} as const;

/**
 * EKS Auto Mode's two custom resources the program creates, as CustomResourceDefinitions for the offline schema
 * check. AWS publishes no CRD for them (and ../shared/reference holds none): this is a typed model of the fields
 * the EKS User Guide documents, on 2026-12-06, in "Create a Node Class for Amazon EKS" (NodeClass) and "Create an
 * IngressClass to configure an Application Load Balancer" (IngressClassParams). Unknown fields, bad enums and
 * out-of-range numbers fail as the API server would reject them; a field AWS adds must be added here to be used.
 */
import type { K8sObject } from "./render";

const GROUP = "eks.amazonaws.com";
const string = { type: "string" };
const stringMap = { type: "object", additionalProperties: { type: "string" } };
const enumOf = (...values: string[]) => ({ type: "string", enum: values });
const object = (properties: Record<string, unknown>, required: string[] = []) => ({ type: "object", properties, ...(required.length > 0 ? { required } : {}) });
const selectorTerms = (extra: Record<string, unknown> = {}) => ({ type: "array", minItems: 1, items: object({ tags: stringMap, id: string, ...extra }) });
const labelSelector = object({
    matchLabels: stringMap,
    matchExpressions: { type: "array", items: object({ key: string, operator: enumOf("In", "NotIn", "Exists", "DoesNotExist"), values: { type: "array", items: string } }, ["key", "operator"]) },
});

const crd = (kind: string, plural: string, spec: ReturnType<typeof object>): K8sObject => ({
    apiVersion: "apiextensions.k8s.io/v1",
    kind: "CustomResourceDefinition",
    metadata: { name: `${plural}.${GROUP}` },
    spec: {
        group: GROUP,
        scope: "Cluster",
        names: { kind, plural },
        versions: [{ name: "v1", served: true, storage: true, schema: { openAPIV3Schema: object({ apiVersion: string, kind: string, metadata: { type: "object" }, spec }, ["spec"]) } }],
    },
});

/** `eks.amazonaws.com/v1` NodeClass: what Auto Mode launches a NodePool's instances with. */
export const NODE_CLASS_CRD = crd(
    "NodeClass",
    "nodeclasses",
    object({
        role: string,
        instanceProfile: string,
        subnetSelectorTerms: selectorTerms(),
        securityGroupSelectorTerms: selectorTerms({ name: string }),
        podSubnetSelectorTerms: selectorTerms(),
        podSecurityGroupSelectorTerms: selectorTerms({ name: string }),
        ephemeralStorage: object({
            size: { type: ["string", "number"], pattern: "^[0-9]+(\\.[0-9]+)?(Ki|Mi|Gi|Ti|K|M|G|T)?$" },
            iops: { type: "integer", minimum: 3000, maximum: 16000 },
            throughput: { type: "integer", minimum: 125, maximum: 1000 },
            kmsKeyID: string,
        }),
        networkPolicy: enumOf("DefaultAllow", "DefaultDeny"),
        networkPolicyEventLogs: enumOf("Enabled", "Disabled"),
        snatPolicy: enumOf("Random", "Disabled"),
        tags: stringMap,
        advancedNetworking: object({ associatePublicIPAddress: { type: "boolean" }, httpsProxy: string, noProxy: { type: "array", maxItems: 50, items: string } }),
        advancedSecurity: object({ fips: { type: "boolean" }, kernelLockdown: enumOf("Integrity", "None") }),
        certificateBundles: { type: "array", items: object({ name: string, data: string }, ["name", "data"]) },
    }, ["role", "subnetSelectorTerms", "securityGroupSelectorTerms"]),
);

/** `eks.amazonaws.com/v1` IngressClassParams: the load balancer an IngressClass of Auto Mode's ALB controller builds. */
export const INGRESS_CLASS_PARAMS_CRD = crd(
    "IngressClassParams",
    "ingressclassparams",
    object({
        scheme: enumOf("internal", "internet-facing"),
        ipAddressType: enumOf("ipv4", "dualstack", "dualstack-without-public-ipv4"),
        namespaceSelector: labelSelector,
        group: object({ name: string }, ["name"]),
        // The guide's quick reference says `subnets.tags`, its migration table `subnets.matchTags`: both are admitted.
        subnets: object({ ids: { type: "array", items: string }, tags: stringMap, matchTags: stringMap }),
        certificateARNs: { type: "array", items: string },
        sslPolicy: string,
        tags: { type: "array", items: object({ key: string, value: string }, ["key", "value"]) },
        loadBalancerAttributes: { type: "array", items: object({ key: string, value: string }, ["key", "value"]) },
        minimumLoadBalancerCapacity: object({ capacityUnits: { type: "integer", minimum: 1 } }),
    }),
);

export const AUTO_MODE_CRDS: readonly K8sObject[] = [NODE_CLASS_CRD, INGRESS_CLASS_PARAMS_CRD];

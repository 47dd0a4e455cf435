import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";

/** The default class: every ALB it builds is internal, whatever an Ingress's annotations ask for. */
export const INTERNAL_INGRESS_CLASS = "alb";
/** The only way to an internet-facing ALB, and only from the namespaces its parameters name. */
export const INTERNET_FACING_INGRESS_CLASS = "alb-internet-facing";
const INTERNAL_PARAMS = "alb-internal";

/**
 * Chart values for the default class: the chart creates IngressClassParams forcing `scheme: internal`
 * and the `alb` IngressClass (marked default) pointing at them, before any other class exists.
 */
export function internalIngressClassValues() {
    return {
        createIngressClassResource: true,
        ingressClass: INTERNAL_INGRESS_CLASS,
        ingressClassParams: { create: true, name: INTERNAL_PARAMS, spec: { scheme: "internal" } },
        ingressClassConfig: { default: true },
    };
}

/** IngressClassParams + IngressClass for internet-facing ALBs, usable only from `namespaces`. */
export function internetFacingIngressClass(
    resourceName: string,
    namespaces: string[],
    opts: { parent: pulumi.Resource; provider: k8s.Provider; dependsOn: pulumi.Resource[] },
): pulumi.Resource[] {
    const params = new k8s.apiextensions.CustomResource(
        `${resourceName}-params`,
        {
            apiVersion: "elbv2.k8s.aws/v1beta1",
            kind: "IngressClassParams",
            metadata: { name: INTERNET_FACING_INGRESS_CLASS },
            spec: {
                scheme: "internet-facing",
                // The controller refuses an Ingress of this class from any other namespace.
                namespaceSelector: { matchExpressions: [{ key: "kubernetes.io/metadata.name", operator: "In", values: namespaces }] },
            },
        },
        opts,
    );
    const ingressClass = new k8s.networking.v1.IngressClass(
        resourceName,
        {
            metadata: { name: INTERNET_FACING_INGRESS_CLASS },
            spec: {
                controller: "ingress.k8s.aws/alb",
                parameters: { apiGroup: "elbv2.k8s.aws", kind: "IngressClassParams", name: INTERNET_FACING_INGRESS_CLASS },
            },
        },
        { ...opts, dependsOn: [...opts.dependsOn, params] },
    );
    return [params, ingressClass];
}

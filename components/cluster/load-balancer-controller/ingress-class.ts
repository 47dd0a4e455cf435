import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { IpFamily } from "../../network/types";

/** The default class: every ALB it builds is internal, whatever an Ingress's annotations ask for. */
export const INTERNAL_INGRESS_CLASS = "alb";
/** The only way to an internet-facing ALB, and only from the namespaces its parameters name. */
export const INTERNET_FACING_INGRESS_CLASS = "alb-internet-facing";
const INTERNAL_PARAMS = "alb-internal";

/** An ALB's address family: `dualstack` (IPv4 and IPv6 listeners) in an IPv6 cluster, whose pods are IPv6 targets. */
export type AlbIpAddressType = "ipv4" | "dualstack";

/** The ALBs of a cluster of `ipFamily`: IPv6 pods are reachable only from a dual-stack ALB (IPv6 target groups). */
export const albIpAddressType = (ipFamily: IpFamily): AlbIpAddressType => (ipFamily === "ipv6" ? "dualstack" : "ipv4");

/** IngressClassParams fields for the family: none for IPv4 (the controller's default), `ipAddressType: dualstack` for IPv6. */
export const addressSpec = (ipFamily: IpFamily) => (ipFamily === "ipv6" ? { ipAddressType: albIpAddressType(ipFamily) } : {});

/**
 * Chart values for the default class: the chart creates IngressClassParams forcing `scheme: internal`
 * and the `alb` IngressClass (marked default) pointing at them, before any other class exists.
 */
export function internalIngressClassValues(ipFamily: IpFamily) {
    return {
        createIngressClassResource: true,
        ingressClass: INTERNAL_INGRESS_CLASS,
        ingressClassParams: { create: true, name: INTERNAL_PARAMS, spec: { scheme: "internal", ...addressSpec(ipFamily) } },
        ingressClassConfig: { default: true },
    };
}

/** IngressClassParams + IngressClass for internet-facing ALBs, usable only from `namespaces`. */
export function internetFacingIngressClass(
    resourceName: string,
    namespaces: string[],
    ipFamily: IpFamily,
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
                ...addressSpec(ipFamily),
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

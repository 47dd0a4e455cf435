import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { AlbIpAddressType, INTERNAL_INGRESS_CLASS, INTERNET_FACING_INGRESS_CLASS } from "../cluster/load-balancer-controller/ingress-class";

export interface AlbIngressSettings {
    /** ACM certificate the ALB terminates TLS with. */
    certificateArn: string;
    /** `internal` or `internet-facing`. */
    scheme: "internal" | "internet-facing";
    /**
     * IngressGroup: every Ingress with the same group shares one ALB. Absent under EKS Auto Mode, which takes the
     * group from the IngressClassParams only (EKS User Guide, "Create an IngressClass to configure an ALB").
     */
    groupName?: string;
    /** WAFv2 web ACL the Load Balancer Controller attaches to the group's ALB; absent means none. */
    wafAclArn?: pulumi.Input<string>;
    /** `dualstack` in an IPv6 cluster (`albIpAddressType`); absent or `ipv4`: an IPv4 ALB. */
    ipAddressType?: AlbIpAddressType;
    /** The Load Balancer Controller (release, IngressClasses): the Ingress waits for its webhook and goes before it, which deletes the ALB. */
    controller: pulumi.Resource[];
}

export interface AlbIngressArgs extends AlbIngressSettings {
    namespace: pulumi.Input<string>;
    /** Ingress object name. */
    name: string;
    host: string;
    serviceName: string;
    servicePort: number;
    /** Protocol from the ALB to the pods. */
    backendProtocol: "HTTP" | "HTTPS";
    healthCheckPath: string;
}

/** An HTTPS-only Ingress on the shared ALB that the AWS Load Balancer Controller builds. */
export function albIngress(
    resourceName: string,
    args: AlbIngressArgs,
    opts: pulumi.CustomResourceOptions & { provider: k8s.Provider; dependsOn?: pulumi.Resource[] },
): k8s.networking.v1.Ingress {
    return new k8s.networking.v1.Ingress(
        resourceName,
        {
            metadata: {
                name: args.name,
                namespace: args.namespace,
                annotations: {
                    ...(args.groupName ? { "alb.ingress.kubernetes.io/group.name": args.groupName } : {}),
                    "alb.ingress.kubernetes.io/scheme": args.scheme,
                    "alb.ingress.kubernetes.io/target-type": "ip",
                    "alb.ingress.kubernetes.io/listen-ports": JSON.stringify([{ HTTPS: 443 }]),
                    "alb.ingress.kubernetes.io/certificate-arn": args.certificateArn,
                    "alb.ingress.kubernetes.io/ssl-policy": "ELBSecurityPolicy-TLS13-1-2-2021-06",
                    "alb.ingress.kubernetes.io/backend-protocol": args.backendProtocol,
                    "alb.ingress.kubernetes.io/healthcheck-protocol": args.backendProtocol,
                    "alb.ingress.kubernetes.io/healthcheck-path": args.healthCheckPath,
                    // The class's parameters make the ALB dual-stack already; external-dns reads this annotation (not the
                    // class) to publish AAAA alias records next to the A ones.
                    ...(args.ipAddressType === "dualstack" ? { "alb.ingress.kubernetes.io/ip-address-type": "dualstack" } : {}),
                    // Every Ingress of the group carries the same ACL: the controller rejects a group whose members disagree.
                    ...(args.wafAclArn ? { "alb.ingress.kubernetes.io/wafv2-acl-arn": args.wafAclArn } : {}),
                },
            },
            spec: {
                // The class decides the scheme (its IngressClassParams); the annotation only says the same.
                ingressClassName: args.scheme === "internet-facing" ? INTERNET_FACING_INGRESS_CLASS : INTERNAL_INGRESS_CLASS,
                rules: [
                    {
                        host: args.host,
                        http: {
                            paths: [
                                {
                                    path: "/",
                                    pathType: "Prefix",
                                    backend: { service: { name: args.serviceName, port: { number: args.servicePort } } },
                                },
                            ],
                        },
                    },
                ],
            },
        },
        { ...opts, dependsOn: [...(opts.dependsOn ?? []), ...args.controller] },
    );
}

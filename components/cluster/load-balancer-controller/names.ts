/** The platform's shared IngressGroup of a cluster: every platform Ingress (and any app joining it) shares its one ALB. */
export const platformIngressGroup = (clusterName: string): string => `${clusterName}-platform`;

/**
 * How the Load Balancer Controller names the ALB of an explicit IngressGroup (LOAD_BALANCER_CONTROLLER_VERSION,
 * pkg/ingress/model_build_load_balancer.go): `k8s-` + the group name's first 17 letters and digits +
 * `-` + a 10-character hash. This is the prefix before the hash.
 */
export function groupLoadBalancerNamePrefix(groupName: string): string {
    return `k8s-${groupName.replace(/[^A-Za-z0-9]/g, "").slice(0, 17)}-`;
}

import { groupLoadBalancerNamePrefix, platformIngressGroup } from "../../components/cluster/load-balancer-controller/names";
import { platformWebAclName } from "../../components/platform/waf";
import { PROJECT } from "../../tooling/offline/stack-files";

/** One environment of a stack as its resources show it: the owner tags' values, its cluster and region. */
export interface Environment {
    environment: string;
    cluster: string;
    region: string;
}

/**
 * The tags an environment's resources carry, the owner tags and every tag a platform policy or an AWS
 * policy conditions on, each with the value the platform's own resources have: what an IAM request about
 * one of them brings as `aws:ResourceTag/*`. A condition on a tag that every environment's resources
 * carry alike (`ebs.csi.aws.com/cluster: true`, `eks:eni:owner`) therefore never looks like a scope.
 */
export function platformTags(e: Environment): Record<string, string> {
    return {
        project: PROJECT,
        environment: e.environment,
        [`kubernetes.io/cluster/${e.cluster}`]: "owned",
        "aws:eks:cluster-name": e.cluster,
        "eks:eks-cluster-name": e.cluster,
        "karpenter.sh/discovery": e.cluster,
        "karpenter.sh/nodepool": "default",
        "karpenter.k8s.aws/ec2nodeclass": "default",
        "topology.kubernetes.io/region": e.region,
        "elbv2.k8s.aws/cluster": e.cluster,
        "ebs.csi.aws.com/cluster": "true",
        CSIVolumeName: "pvc-0a1b2c3d",
        CSIVolumeSnapshotName: "snapcontent-0a1b2c3d",
        "kubernetes.io/created-for/pvc/name": "data",
        "eks:eni:owner": "amazon-vpc-cni",
    };
}

/** Request context of a resource with these tags, asked with the same tags in the request (a create or a tagging call). */
export function taggedContext(tags: Record<string, string>): Record<string, string | string[]> {
    return {
        ...Object.fromEntries(Object.entries(tags).flatMap(([k, v]) => [[`aws:ResourceTag/${k}`, v], [`aws:RequestTag/${k}`, v]])),
        "aws:TagKeys": Object.keys(tags),
    };
}

/** Names an environment's platform resources have, for the name placeholders of ARNs (cluster, node role, bucket, web ACL, ALB). */
export function platformNames(e: Environment): string[] {
    return [
        e.cluster,
        `${e.cluster}-karpenter-nodes-1a2b3c4`,
        `${e.cluster}-backups-1a2b3c4`,
        `${platformWebAclName(e.cluster)}`,
        `${groupLoadBalancerNamePrefix(platformIngressGroup(e.cluster))}0a1b2c3d4e`,
    ];
}

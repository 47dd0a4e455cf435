import { AUTO_MODE_CLUSTER_POLICIES, AUTO_MODE_NODE_POLICIES } from "../cluster/auto-mode/iam";
import { KARPENTER_NODE_POLICIES } from "../cluster/karpenter";
import { NODE_POLICIES } from "../cluster/node-group";
import type { ComputeMode } from "../cluster/types";
import type { IpFamily } from "../network/types";
import { AwsManagedPolicyName } from "../shared/aws-managed-policies";

const list = (x: unknown): string[] => (x === undefined ? [] : Array.isArray(x) ? x.map(String) : [String(x)]);
const actionsOf = (docs: { Statement?: unknown }[]): string[] =>
    docs.flatMap((d) => (d.Statement as { Action?: unknown }[]).flatMap((s) => list(s.Action)));

/**
 * Granted by the platform's upstream or AWS-managed policies, never used by the platform, and kept out of
 * the boundary (the boundary tests accept these, and only these, as denied to the roles that hold them).
 */
export const BOUNDARY_WITHHELD: Record<string, string> = {
    "waf-regional:AssociateWebACL": "WAF Classic (the controller's `waf-acl-id` annotation); the platform's ALB gets a WAFv2 web ACL",
    "waf-regional:DisassociateWebACL": "WAF Classic, as waf-regional:AssociateWebACL",
    "waf-regional:GetWebACL": "WAF Classic, as waf-regional:AssociateWebACL",
    "waf-regional:GetWebACLForResource": "WAF Classic, as waf-regional:AssociateWebACL",
    "wafv2:DisassociateWebACL":
        "the controller disassociates only for an Ingress annotated `wafv2-acl-arn: none`, which the platform never writes; the call names a load balancer ARN alone, with no tag to keep it to this environment",
    "shield:CreateProtection": "Shield Advanced (the controller's `shield-advanced-protection` annotation), not used",
    "shield:DeleteProtection": "Shield Advanced, as shield:CreateProtection",
    "shield:DescribeProtection": "Shield Advanced, as shield:CreateProtection",
    "shield:GetSubscriptionState": "Shield Advanced, as shield:CreateProtection",
    "shield:TagResource": "Shield Advanced, as shield:CreateProtection (AmazonEKSLoadBalancingPolicy tags the protections it would create)",
    "cognito-idp:DescribeUserPoolClient": "Cognito authentication on an ALB (the controller's `auth-type: cognito`), not used",
    "iam:ListServerCertificates": "IAM server certificates for listeners: the platform's ALB terminates TLS with the ACM certificate it names",
    "iam:GetServerCertificate": "as iam:ListServerCertificates",
    "elasticloadbalancing:ModifyCapacityReservation": "load-balancer capacity reservations (the controller's `capacity-reservation` annotation), not used",
    "elasticloadbalancing:SetIpAddressType": "changing an existing load balancer between IPv4 and dual-stack: the platform's are created with their address type and never switched",
    "ec2:GetCoipPoolUsage": "customer-owned IP pools of an Outpost (the controller's `customer-owned-ipv4-pool` annotation), not used",
    "elasticloadbalancing:ModifyIpPools": "IPAM address pools for ALBs (the controller's `ipam-ipv4-pool-id` annotation), not used",
    "ec2:EnableFastSnapshotRestores": "fast snapshot restore (a VolumeSnapshotClass `fastSnapshotRestoreAvailabilityZones` parameter), not used",
    "ec2:LockSnapshot": "snapshot locks (VolumeSnapshotClass `lockMode` parameters), not used",
    ...Object.fromEntries(
        ["ec2:CreateRoute", "ec2:DeleteRoute", "ec2:ModifyInstanceAttribute", "autoscaling:UpdateAutoScalingGroup", "autoscaling:DescribeAutoScalingGroups"].map((a) => [
            a,
            "the legacy cloud provider's route controller and instance-group code (AmazonEKSClusterPolicy), which EKS does not run: the VPC CNI gives pods VPC addresses, nodes are never resized through their Auto Scaling group",
        ]),
    ),
    ...Object.fromEntries(
        ["ApplySecurityGroupsToLoadBalancer", "AttachLoadBalancerToSubnets", "ConfigureHealthCheck", "CreateLoadBalancerListeners", "CreateLoadBalancerPolicy",
            "DeleteLoadBalancerListeners", "DeregisterInstancesFromLoadBalancer", "DetachLoadBalancerFromSubnets", "RegisterInstancesWithLoadBalancer",
            "SetLoadBalancerPoliciesForBackendServer", "SetLoadBalancerPoliciesOfListener"].map((a) => [
            `elasticloadbalancing:${a}`,
            "Classic Load Balancers of the cloud provider's legacy service controller (AmazonEKSClusterPolicy): the platform's LoadBalancer Services get NLBs from the Load Balancer Controller, whose webhook gives them its class",
        ]),
    ),
    "ec2:CopyVolumes":
        "volume clones (a PVC with another PVC as data source), not used: source and copy are both `volume`, so a request tag cannot keep the source in this environment",
};

/**
 * Withheld from an IPv4 stack's boundary as well: AmazonEKSNetworkingPolicy grants Auto Mode IPv6 addresses in
 * either family, and an IPv4 cluster's interfaces never get one (an IPv6 stack's boundary allows them).
 */
const IPV4_WITHHELD = Object.fromEntries(
    ["ec2:AssignIpv6Addresses", "ec2:UnassignIpv6Addresses"].map((a) => [a, "IPv6 addresses on an IPv4 cluster's network interfaces (AmazonEKSNetworkingPolicy grants them in either family), never used"]),
);

/** What a stack's boundaries withhold: BOUNDARY_WITHHELD, and on an IPv4 stack the IPv6 address writes. */
export const boundaryWithheld = (ipFamily: IpFamily): Record<string, string> => (ipFamily === "ipv6" ? BOUNDARY_WITHHELD : { ...BOUNDARY_WITHHELD, ...IPV4_WITHHELD });

/**
 * In the boundary without an environment scope, because AWS offers none, and why that is safe enough to
 * keep; every other action it allows is scoped to this environment (the isolation test asks them all).
 */
export const BOUNDARY_UNSCOPABLE: Record<string, string> = {
    "elasticloadbalancing:SetWebAcl":
        "no resource ARN or condition key; AWS WAF checks it beside wafv2:AssociateWebACL, which the boundary allows only for this cluster's web ACL on this cluster's shared ALB",
    "iam:CreateServiceLinkedRole":
        "one account-wide role AWS owns and names; allowed only for elasticloadbalancing.amazonaws.com and, in auto mode (AmazonEKSComputePolicy launches Spot), spot.amazonaws.com (iam:AWSServiceName)",
    ...Object.fromEntries(
        ["ssm:PutInventory", "ssm:PutComplianceItems", "ssm:UpdateAssociationStatus", "ssm:UpdateInstanceAssociationStatus", "ssm:UpdateInstanceInformation",
            "ssmmessages:CreateControlChannel", "ssmmessages:CreateDataChannel", "ssmmessages:OpenControlChannel", "ssmmessages:OpenDataChannel",
            "ec2messages:AcknowledgeMessage", "ec2messages:DeleteMessage", "ec2messages:FailMessage", "ec2messages:SendReply"].map((a) => [
            a,
            "the Session Manager agent reporting on the instance it runs on (AmazonSSMManagedInstanceCore); no resource ARN or tag, allowed only with an instance's own credentials (ec2:SourceInstanceArn)",
        ]),
    ),
    "logs:CreateLogStream":
        "this cluster's container-log group by name; the VPC flow-log group is auto-named under the prefix /aws/vpc/flow-logs/ that every stack shares, so in a shared account a role under the boundary could add streams to the other environment's flow logs (append only: never read, change retention or delete)",
    "logs:PutLogEvents": "as logs:CreateLogStream",
};

/** The two kinds of role under CI's boundaries: EC2 instance roles (nodes), and every other role (cluster, controllers, flow logs). */
export type BoundaryKind = "nodes" | "workloads";

/**
 * The AWS-managed policies each mode attaches to each kind of role: the cluster role's (with the EBS CSI driver's
 * in `karpenter` mode, Auto Mode's four in `auto`), and the node roles'. A boundary caps what its mode's hold.
 */
export const MANAGED_POLICIES: Record<ComputeMode, Record<BoundaryKind, AwsManagedPolicyName[]>> = {
    karpenter: { nodes: [...new Set([...NODE_POLICIES, ...KARPENTER_NODE_POLICIES])], workloads: ["AmazonEKSClusterPolicy", "AmazonEBSCSIDriverPolicy"] },
    auto: { nodes: AUTO_MODE_NODE_POLICIES, workloads: ["AmazonEKSClusterPolicy", ...AUTO_MODE_CLUSTER_POLICIES] },
};

/** Reads the roles of each kind make on `*` (descriptions, lists, public data); no secret, parameter, key or object content. */
const READS: Record<BoundaryKind, string[]> = {
    nodes: ["ecr:GetAuthorizationToken", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
    workloads: [
        "ec2:Describe*", "ec2:GetSecurityGroupsForVpc", "elasticloadbalancing:Describe*", "acm:ListCertificates", "acm:DescribeCertificate",
        "wafv2:GetWebACL", "wafv2:GetWebACLForResource", "route53:ListHostedZones", "secretsmanager:ListSecrets",
    ],
};
/** Karpenter's own reads (instance profiles, prices, zonal shift) and its nodes' (the VPC CNI's and kubelet's descriptions). */
const KARPENTER_READS: Record<BoundaryKind, string[]> = {
    nodes: ["ec2:Describe*"],
    workloads: ["iam:ListInstanceProfiles", "iam:GetInstanceProfile", "pricing:GetProducts", "arc-zonal-shift:GetManagedResource"],
};
/** The reads of one kind of role in one mode: Auto Mode's nodes only pull images, its controllers run outside the account. */
export const boundaryReads = (kind: BoundaryKind, mode: ComputeMode): string[] => [...(mode === "karpenter" ? KARPENTER_READS[kind] : []), ...READS[kind]];

/** The Session Manager agent's reads (AmazonSSMManagedInstanceCore), with its writes allowed only to an instance's own credentials. */
const INSTANCE_AGENT_READS = [
    "ssm:DescribeAssociation", "ssm:GetDeployablePatchSnapshotForInstance", "ssm:GetDocument", "ssm:DescribeDocument", "ssm:GetManifest", "ssm:ListAssociations",
    "ssm:ListInstanceAssociations", "ssm:PutConfigurePackageResult", "ec2messages:GetEndpoint", "ec2messages:GetMessages",
];

/** The Session Manager agent's calls (AmazonSSMManagedInstanceCore): reports about, and sessions to, its own instance. */
export const INSTANCE_AGENT_ACTIONS = [...INSTANCE_AGENT_READS, ...Object.keys(BOUNDARY_UNSCOPABLE).filter((a) => /^(ssm|ssmmessages|ec2messages):/.test(a))];

/** KMS use of this environment's keys (the cluster's secrets key, External Secrets', Velero's), by the keys' owner tags. */
export const KEY_USE = ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey", "kms:DescribeKey", "kms:ListGrants"];

/** Creates whose new resources carry the request's tags: allowed only when those are this environment's. */
const TAGGED_CREATES = [
    "ec2:RunInstances", "ec2:CreateFleet", "ec2:CreateLaunchTemplate", "ec2:CreateVolume", "ec2:CreateNetworkInterface", "ec2:CreateSecurityGroup",
    "elasticloadbalancing:CreateLoadBalancer", "elasticloadbalancing:CreateTargetGroup",
];
/** What those creates make, by ARN type: a request tag scopes only these (never a subnet, snapshot or image the call also names). */
const CREATED_TYPES: Record<string, string[]> = {
    "ec2:RunInstances": ["ec2:instance", "ec2:volume", "ec2:network-interface", "ec2:launch-template", "ec2:fleet", "ec2:spot-instances-request"],
    "ec2:CreateFleet": ["ec2:instance", "ec2:volume", "ec2:network-interface", "ec2:launch-template", "ec2:fleet", "ec2:spot-instances-request"],
    "ec2:CreateLaunchTemplate": ["ec2:launch-template"],
    "ec2:CreateVolume": ["ec2:volume"],
    "ec2:CreateNetworkInterface": ["ec2:network-interface"],
    "ec2:CreateSecurityGroup": ["ec2:security-group"],
    "elasticloadbalancing:CreateLoadBalancer": ["elasticloadbalancing:loadbalancer"],
    "elasticloadbalancing:CreateTargetGroup": ["elasticloadbalancing:targetgroup"],
};
/** Creates that name no existing resource: only the request-tag statement allows them. */
const PURE_CREATES = ["ec2:CreateLaunchTemplate", "elasticloadbalancing:CreateLoadBalancer", "elasticloadbalancing:CreateTargetGroup"];

const EC2_ELB = /^(ec2|elasticloadbalancing|autoscaling):/;
const READ = /^[a-z0-9-]+:(Describe|Get|List)/;

/** How the boundary of one kind scopes the EC2, load-balancer and Auto Scaling writes its roles are granted. */
export interface TaggedActions {
    /** Writes on existing resources: only those tagged for this environment. */
    changes: string[];
    /** Creates: only with this environment's tags in the request, and only on what they create (`service:type`). */
    creates: string[];
    createdTypes: string[];
    /** `ec2:CreateAction` / `elasticloadbalancing:CreateAction` values whose new resources may be tagged in the same call. */
    ec2CreateActions: string[];
    elbCreateActions: string[];
}

/**
 * The EC2, load-balancer and Auto Scaling writes among `granted` (the documents of one kind of role),
 * minus the withheld and the unscopable, sorted by how the boundary scopes them. Derived from the
 * documents themselves, so an upstream policy's new action is scoped the same way.
 */
export function taggedActions(granted: string[], withheld: Record<string, string> = BOUNDARY_WITHHELD, createActions: string[] = []): TaggedActions {
    const writes = [...new Set(granted.filter((a) => EC2_ELB.test(a) && !READ.test(a) && !(a in withheld) && !(a in BOUNDARY_UNSCOPABLE)))].sort();
    const creates = TAGGED_CREATES.filter((a) => writes.includes(a));
    const createName = (a: string) => a.split(":")[1];
    return {
        changes: writes.filter((a) => !PURE_CREATES.includes(a)),
        creates,
        createdTypes: [...new Set(creates.flatMap((a) => CREATED_TYPES[a]))],
        // With the other writes the documents tag in the same call (`ec2:CreateAction`), e.g. Auto Mode's security-group rules.
        ec2CreateActions: writes.includes("ec2:CreateTags")
            ? [
                  ...new Set([
                      ...[...creates.filter((a) => a.startsWith("ec2:")), ...(writes.includes("ec2:CreateSnapshot") ? ["ec2:CreateSnapshot"] : [])].map(createName),
                      ...createActions.filter((c) => writes.includes(`ec2:${c}`)),
                  ]),
              ]
            : [],
        elbCreateActions: writes.includes("elasticloadbalancing:AddTags") ? ["CreateLoadBalancer", "CreateTargetGroup", "CreateListener", "CreateRule"] : [],
    };
}

/** Every action the documents allow. */
export const grantedIn = (docs: { Statement?: unknown }[]): string[] => actionsOf(docs);

/** The `ec2:CreateAction` values the documents tag with: creates whose new resources they tag in the same call. */
export const ec2CreateActionsIn = (docs: { Statement?: unknown }[]): string[] =>
    docs.flatMap((d) => (d.Statement as { Condition?: Record<string, Record<string, unknown>> }[]).flatMap((s) => Object.values(s.Condition ?? {}).flatMap((block) => list(block["ec2:CreateAction"]))));

/** Declarations of the network, registry and cluster keys (see keys.ts). */
import { KUBERNETES_VERSIONS } from "../../components/versions";
import { CI_ACCESS_FORMS } from "../../components/ci-access/types";
import * as checks from "./checks";
import { BOOLEAN, KeySpec, check, integer, list, oneOf, optional, pattern } from "./rules";

export const CLOUDWATCH_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];
const RETENTION = oneOf(CLOUDWATCH_RETENTION_DAYS, "a CloudWatch retention period");
const ECR_NAME = /^(?=.{2,256}$)(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/;

export const INFRA_KEYS = {
    environment: {
        type: "string",
        description: "Environment name; becomes the `environment` tag and names the GitOps environments.",
        rule: pattern(CI_ACCESS_FORMS.environment.pattern, CI_ACCESS_FORMS.environment.form),
        crossKey: "no other stack file's, unless both pin different accounts (aws:allowedAccountIds)",
    },
    vpcCidr: {
        type: "string",
        description: "IPv4 CIDR of the VPC; must not overlap any other stack's so VPCs can be peered.",
        rule: check("a private (RFC 1918) IPv4 CIDR from /16 to /20", checks.vpcCidr),
        crossKey: "overlapping no other stack's vpcCidr",
    },
    azCount: {
        type: "integer",
        // awsx splits the VPC into a power-of-two block per zone (4 for 3-4 zones, 8 for 5-6); a private subnet is
        // 1/8 of the VPC, so from 5 zones on it fills its block and leaves no room for the public one.
        description: "Number of availability zones (at most 4: each holds a private subnet of 1/8 of the VPC and a public one of 1/64).",
        default: 3,
        rule: integer(2, 4),
    },
    natStrategy: {
        type: "string",
        description: "NAT gateways: `single` (one shared, cheaper) or `onePerAz` (survives an AZ outage).",
        default: "onePerAz",
        rule: oneOf(["single", "onePerAz"]),
    },
    flowLogRetentionDays: {
        type: "integer",
        description: "Retention of the VPC flow-log group, in days.",
        default: 365,
        rule: RETENTION,
    },
    clusterName: {
        type: "string",
        description: "EKS cluster name; also the `karpenter.sh/discovery` tag value.",
        rule: pattern(/^[0-9A-Za-z][A-Za-z0-9_-]{0,23}$/, "letters, digits, '-' and '_', 1-24 characters, starting with a letter or digit (names derived from it must fit AWS's 64-character limits)"),
        crossKey: "no other stack file's, unless both pin different accounts (aws:allowedAccountIds)",
    },
    ecrRepositories: {
        type: "array",
        description: "ECR repositories to create, one per name.",
        default: [],
        rule: list(pattern(ECR_NAME, "an ECR repository name (lowercase; segments of [a-z0-9] joined by '.', '_', '-' or '/'; 2-256 characters)"), { unique: true }),
    },
    ecrPrefixWithEnvironment: {
        type: "boolean",
        description: "Name each repository `<environment>/<name>`, so stacks sharing an account and region never claim the same names.",
        default: false,
        rule: BOOLEAN,
    },
    ecrKeepTaggedImages: {
        type: "integer",
        description: "How many tagged images each ECR lifecycle policy keeps (untagged ones expire after 1 day).",
        default: 30,
        rule: integer(1, 10000),
    },
    ecrMutableTags: {
        type: "array",
        description: "Tag filters (wildcards allowed, e.g. `latest`) exempt from tag immutability; empty keeps every tag immutable.",
        default: [],
        rule: list(check("a tag filter of letters, digits, '.', '_', '-' and '*' that leaves some tag immutable (not * alone)", checks.mutableTagFilter), { maxItems: 5, unique: true }),
        crossKey: "empty in prod (the policy pack's ecr-immutable-tags allows no exclusion there)",
    },
    kubernetesVersion: {
        type: "string",
        description: "EKS Kubernetes version (`1.NN`); managed add-on versions follow it.",
        default: KUBERNETES_VERSIONS.default,
        rule: check(`a version of the form 1.NN from ${KUBERNETES_VERSIONS.oldestSupported} to ${KUBERNETES_VERSIONS.newestSupported}, quoted in YAML ("${KUBERNETES_VERSIONS.default}")`, checks.kubernetesVersion),
    },
    endpointPublicAccess: {
        type: "boolean",
        description: "Expose the Kubernetes API endpoint publicly (restricted to publicAccessCidrs); the private endpoint is always on.",
        default: true,
        rule: BOOLEAN,
    },
    publicAccessCidrs: {
        type: "array",
        description: "CIDRs allowed to reach the public API endpoint (CI runners, VPN egress).",
        default: [],
        rule: list(check("a public IPv4 CIDR such as 203.0.113.0/24, or 0.0.0.0/0", checks.publicCidr), { unique: true }),
        crossKey: "non-empty when endpointPublicAccess is true; 0.0.0.0/0 only outside prod and only with a `CKV_AWS_38` entry in policyWaivers",
    },
    privateAccessCidrs: {
        type: "array",
        description: "Networks outside the cluster (VPN clients, a CI runner subnet, a peered VPC) admitted to the private API endpoint on 443.",
        default: [],
        rule: list(check("an IPv4 CIDR such as 10.20.0.0/16 (not 0.0.0.0/0)", checks.networkCidr), { unique: true }),
    },
    clusterLogRetentionDays: {
        type: "integer",
        description: "Retention of the EKS control-plane log group, in days.",
        default: 365,
        rule: RETENTION,
    },
    clusterAdminArns: {
        type: "array",
        description: "IAM roles/users that get cluster-admin through an access entry (`role/<name>` means this account); include the role that runs `pulumi up`.",
        default: [],
        rule: list(pattern(checks.PRINCIPAL, "an IAM principal: an ARN (arn:aws:iam::<account>:role/<name> or :user/<name>), or role/<name> or user/<name> in this account"), { unique: true }),
        crossKey: "non-empty when bootstrapCreatorAdmin is false; never CI's deploy role (CiAccess makes it an admin)",
    },
    kmsBreakGlassArn: {
        type: "string",
        description: "IAM role ARN that alone may schedule deletion of, disable or re-policy the stack's KMS keys outside `pulumi up` (the deploying identity keeps PutKeyPolicy, and on unprotected stacks deletion); empty: nobody else.",
        default: "",
        rule: optional(pattern(/^arn:aws(-cn|-us-gov)?:iam::\d{12}:role\/([\w+=,.@-]+\/)*[\w+=,.@-]{1,64}$/, "an IAM role ARN, arn:aws:iam::<account>:role/<name> (aws:PrincipalArn compares the full ARN)")),
    },
    namespaceAccess: {
        type: "array",
        description: "Namespace-scoped access entries, each `<principal ARN> <view|edit> <namespace>[,<namespace>…]`.",
        default: [],
        rule: list(check("'<principal> <view|edit> <ns>[,<ns>…]' where the principal is as in clusterAdminArns and each ns a Kubernetes namespace name", (e) => checks.parseNamespaceAccess(e) !== undefined)),
        crossKey: "each principal once, and none that is in clusterAdminArns",
    },
    bootstrapCreatorAdmin: {
        type: "boolean",
        description: "Give the identity that creates the cluster silent cluster-admin. Fixed at creation: changing it replaces the cluster.",
        default: false,
        rule: BOOLEAN,
        crossKey: "false in prod",
    },
    systemNodeInstanceTypes: {
        type: "array",
        description: "Instance types of the tainted system node group (one CPU architecture).",
        default: ["t3.medium"],
        rule: list(check("an EC2 instance type <family>.<size> such as t3.medium or m7g.xlarge", checks.instanceType), { minItems: 1, unique: true }),
        crossKey: "all x86_64 or all arm64 (Graviton)",
    },
    systemNodeCapacityType: {
        type: "string",
        description: "Capacity type of the system node group: `on-demand`, or `spot` (cheaper, interruptible; for dev).",
        default: "on-demand",
        rule: oneOf(["on-demand", "spot"]),
        crossKey: "on-demand in prod",
    },
    systemNodeMinSize: {
        type: "integer",
        description: "Minimum size of the system node group.",
        default: 2,
        rule: integer(1, 10),
        crossKey: "at most systemNodeDesiredSize",
    },
    systemNodeDesiredSize: {
        type: "integer",
        description: "Desired size of the system node group.",
        default: 2,
        rule: integer(1, 20),
        crossKey: "between systemNodeMinSize and systemNodeMaxSize",
    },
    systemNodeMaxSize: {
        type: "integer",
        description: "Maximum size of the system node group.",
        default: 3,
        rule: integer(1, 20),
        crossKey: "at least systemNodeDesiredSize",
    },
} as const satisfies Record<string, KeySpec>;

/**
 * Every project config key (`eks-platform:<key>`), its type, default and allowed form.
 * `Pulumi.yaml` declares the same keys; a test keeps the two in step, and the README's
 * config table is checked against this list too.
 */
export type ConfigType = "string" | "integer" | "boolean" | "array";
export type ConfigValue = string | number | boolean | string[];

export interface KeySpec {
    type: ConfigType;
    /** One line for Pulumi.yaml and the README. */
    description: string;
    /** Absent means the stack file must set the key. */
    default?: ConfigValue;
    /** Human text naming what is accepted; quoted in every validation error for the key. */
    allowed: string;
}

export const CONFIG_KEYS = {
    environment: {
        type: "string",
        description: "Environment name; becomes the `environment` tag and names the GitOps environments.",
        allowed: "lowercase letters, digits and '-', 2-16 characters, starting with a letter",
    },
    vpcCidr: {
        type: "string",
        description: "IPv4 CIDR of the VPC; must not overlap any other stack's so VPCs can be peered.",
        allowed: "a private (RFC 1918) IPv4 CIDR from /16 to /20 that overlaps no other stack's vpcCidr",
    },
    azCount: {
        type: "integer",
        description: "Number of availability zones, each with one public and one private subnet.",
        default: 3,
        allowed: "an integer from 2 to 6",
    },
    natStrategy: {
        type: "string",
        description: "NAT gateways: `single` (one shared, cheaper) or `onePerAz` (survives an AZ outage).",
        default: "onePerAz",
        allowed: "one of single, onePerAz",
    },
    flowLogRetentionDays: {
        type: "integer",
        description: "Retention of the VPC flow-log group, in days.",
        default: 365,
        allowed: "a CloudWatch retention period: 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288 or 3653",
    },
    clusterName: {
        type: "string",
        description: "EKS cluster name; also the `karpenter.sh/discovery` tag value.",
        allowed: "letters, digits, '-' and '_', 1-100 characters, starting with a letter or digit",
    },
    ecrRepositories: {
        type: "array",
        description: "ECR repositories to create, one per name.",
        default: [],
        allowed: "a list of unique ECR repository names (lowercase; segments of [a-z0-9] joined by '.', '_', '-' or '/'; 2-256 characters)",
    },
    ecrKeepTaggedImages: {
        type: "integer",
        description: "How many tagged images each ECR lifecycle policy keeps (untagged ones expire after 1 day).",
        default: 30,
        allowed: "an integer from 1 to 10000",
    },
    ecrMutableTags: {
        type: "array",
        description: "Tag filters (wildcards allowed, e.g. `latest`) exempt from tag immutability; empty keeps every tag immutable.",
        default: [],
        allowed: "a list of up to 5 tag filters of letters, digits, '.', '_', '-' and '*'",
    },
    protectResources: {
        type: "boolean",
        description: "Protect stateful resources (cluster, keys, repositories, log groups) from deletion and refuse to force-delete repositories.",
        default: true,
        allowed: "true or false",
    },
    extraTags: {
        type: "array",
        description: "Extra `key=value` tags for every AWS resource, on top of environment, project and managed-by.",
        default: [],
        allowed: "a list of key=value strings; keys of 1-128 characters not starting with 'aws:', values up to 256 characters",
    },
} as const satisfies Record<string, KeySpec>;

export type ConfigKey = keyof typeof CONFIG_KEYS;

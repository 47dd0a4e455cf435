import * as pulumi from "@pulumi/pulumi";
import { arn } from "../shared/aws-context";
import { PolicyStatement } from "../shared/iam";
import { DeployScope } from "./deploy-policy";
import { ACCESS_ENTRY_ACTIONS, nodeAccessPolicies, nodeAccessStatements } from "./node-roles";
import { AccessGrant } from "./types";

/** The tags that say whose a resource is: the provider's default tags put both on everything the stack creates. */
export const ownerTags = (prefix: "aws:RequestTag" | "aws:ResourceTag", s: Pick<DeployScope, "project" | "environment">) => ({
    [`${prefix}/project`]: s.project,
    [`${prefix}/environment`]: s.environment,
});

/** VPC writes on existing resources (awsx's VPC or the dual-stack one, the cluster's security groups, endpoints, flow logs). */
const NETWORK_CHANGE_ACTIONS = [
    "ec2:DeleteVpc", "ec2:ModifyVpcAttribute",
    "ec2:CreateSubnet", "ec2:DeleteSubnet", "ec2:ModifySubnetAttribute",
    "ec2:CreateRouteTable", "ec2:DeleteRouteTable", "ec2:CreateRoute", "ec2:DeleteRoute", "ec2:ReplaceRoute",
    "ec2:AssociateRouteTable", "ec2:DisassociateRouteTable", "ec2:ReplaceRouteTableAssociation",
    "ec2:DeleteInternetGateway", "ec2:AttachInternetGateway", "ec2:DetachInternetGateway",
    "ec2:CreateNatGateway", "ec2:DeleteNatGateway", "ec2:ReleaseAddress", "ec2:DisassociateAddress",
    "ec2:CreateSecurityGroup", "ec2:DeleteSecurityGroup", "ec2:AuthorizeSecurityGroupIngress", "ec2:AuthorizeSecurityGroupEgress",
    "ec2:RevokeSecurityGroupIngress", "ec2:RevokeSecurityGroupEgress", "ec2:ModifySecurityGroupRules",
    "ec2:UpdateSecurityGroupRuleDescriptionsIngress", "ec2:UpdateSecurityGroupRuleDescriptionsEgress",
    "ec2:CreateNetworkAclEntry", "ec2:DeleteNetworkAclEntry", "ec2:ReplaceNetworkAclEntry", "ec2:ReplaceNetworkAclAssociation",
    "ec2:CreateVpcEndpoint", "ec2:DeleteVpcEndpoints", "ec2:ModifyVpcEndpoint", "ec2:CreateFlowLogs", "ec2:DeleteFlowLogs",
    "ec2:DeleteTags",
];
/** What only the dual-stack VPC (ipFamily ipv6) does: IPv6 ranges of the VPC and subnets, the egress-only gateway. */
export const IPV6_NETWORK_CHANGE_ACTIONS = [
    "ec2:AssociateVpcCidrBlock", "ec2:DisassociateVpcCidrBlock", "ec2:AssociateSubnetCidrBlock", "ec2:DisassociateSubnetCidrBlock",
    "ec2:CreateEgressOnlyInternetGateway", "ec2:DeleteEgressOnlyInternetGateway",
];
const IPV6_NETWORK_CREATES: Record<string, string> = { "ec2:CreateEgressOnlyInternetGateway": "egress-only-internet-gateway" };

/** Each create and the resource type it makes: allowed only on that type, and only tagged for this environment. */
const NETWORK_CREATES: Record<string, string> = {
    "ec2:CreateVpc": "vpc",
    "ec2:CreateSubnet": "subnet",
    "ec2:CreateRouteTable": "route-table",
    "ec2:CreateInternetGateway": "internet-gateway",
    "ec2:CreateNatGateway": "natgateway",
    "ec2:AllocateAddress": "elastic-ip",
    "ec2:CreateSecurityGroup": "security-group",
    "ec2:CreateVpcEndpoint": "vpc-endpoint",
    "ec2:CreateFlowLogs": "vpc-flow-log",
};
/** Security-group rules carry no tags unless created with them; the security group itself is what authorizes the change. */
const RULE_ACTIONS = [
    "ec2:AuthorizeSecurityGroupIngress", "ec2:AuthorizeSecurityGroupEgress", "ec2:RevokeSecurityGroupIngress", "ec2:RevokeSecurityGroupEgress",
    "ec2:ModifySecurityGroupRules", "ec2:UpdateSecurityGroupRuleDescriptionsIngress", "ec2:UpdateSecurityGroupRuleDescriptionsEgress",
];

/** The EKS writes on this stack's cluster and its children (node groups, add-ons, Pod Identity); access entries are separate. */
const EKS_ACTIONS = [
    "eks:DeleteCluster", "eks:UpdateClusterConfig", "eks:UpdateClusterVersion", "eks:AssociateEncryptionConfig",
    "eks:CreateNodegroup", "eks:DeleteNodegroup", "eks:UpdateNodegroupConfig", "eks:UpdateNodegroupVersion",
    "eks:CreateAddon", "eks:DeleteAddon", "eks:UpdateAddon", "eks:CreatePodIdentityAssociation",
    "eks:DeletePodIdentityAssociation", "eks:UpdatePodIdentityAssociation", "eks:TagResource", "eks:UntagResource",
];
const ACCESS_POLICY_ACTIONS = ["eks:AssociateAccessPolicy", "eks:DisassociateAccessPolicy"];
/** The access policies this program associates (cluster/access.ts). */
export const EKS_ACCESS_POLICIES = ["AmazonEKSClusterAdminPolicy", "AmazonEKSEditPolicy", "AmazonEKSViewPolicy"];

/** Writes on logs, rules, queues, repositories and keys that exist: only this environment's (owner tags). */
const TAGGED_CHANGE_ACTIONS = [
    "logs:DeleteLogGroup", "logs:PutRetentionPolicy", "logs:DeleteRetentionPolicy", "logs:AssociateKmsKey", "logs:DisassociateKmsKey",
    "logs:UntagResource", "logs:UntagLogGroup",
    "events:DeleteRule", "events:PutTargets", "events:RemoveTargets", "events:UntagResource",
    "sqs:DeleteQueue", "sqs:SetQueueAttributes", "sqs:UntagQueue",
    "ecr:DeleteRepository", "ecr:PutLifecyclePolicy", "ecr:DeleteLifecyclePolicy", "ecr:SetRepositoryPolicy", "ecr:DeleteRepositoryPolicy",
    "ecr:PutImageScanningConfiguration", "ecr:PutImageTagMutability", "ecr:UntagResource",
    "kms:EnableKeyRotation", "kms:UpdateKeyDescription", "kms:UntagResource", "kms:CreateGrant",
];
/** Creates whose new resource must carry this environment's owner tags. */
const TAGGED_CREATE_ACTIONS = ["logs:CreateLogGroup", "events:PutRule", "sqs:CreateQueue", "ecr:CreateRepository"];
/** Tagging: the resource must already be this environment's and keep its values (create-time tags included). */
const TAG_ACTIONS = ["logs:TagResource", "logs:TagLogGroup", "events:TagResource", "sqs:TagQueue", "ecr:TagResource", "kms:TagResource"];

const regional = (s: DeployScope, service: string, types: string[]) => types.map((t) => arn(s.aws, service, t));

/**
 * The deploy role's writes outside IAM, each pinned to this environment: existing resources by their owner
 * tags (`aws:ResourceTag`), new ones by the tags they are created with (`aws:RequestTag`), the cluster by its
 * ARN (`cluster/<clusterName>` and its children), access entries by principal and access policy, aliases by
 * the cluster's prefix. One environment's deploy role can neither change, tag nor create into another's.
 */
export function scopedServiceStatements(s: DeployScope): PolicyStatement[] {
    const ec2 = (types: string[]) => regional(s, "ec2", types.map((t) => `${t}/*`));
    const ipv6 = s.ipFamily === "ipv6";
    const creates = ipv6 ? { ...NETWORK_CREATES, ...IPV6_NETWORK_CREATES } : NETWORK_CREATES;
    const eks = regional(s, "eks", [
        `cluster/${s.clusterName}`, `nodegroup/${s.clusterName}/*`, `addon/${s.clusterName}/*`, `podidentityassociation/${s.clusterName}/*`,
    ]);
    const accessEntries = regional(s, "eks", [`cluster/${s.clusterName}`, `access-entry/${s.clusterName}/*`]);
    const accessPolicies = [...EKS_ACCESS_POLICIES, ...nodeAccessPolicies(s)].map((p) => pulumi.interpolate`arn:${s.aws.partition}:eks::aws:cluster-access-policy/${p}`);
    const tagged = regional(s, "logs", ["log-group:*"]).concat(
        regional(s, "events", ["rule/*"]), regional(s, "sqs", ["*"]), regional(s, "ecr", ["repository/*"]), regional(s, "kms", ["key/*"]),
    );
    return [
        {
            Sid: "NetworkOfThisEnvironment",
            Effect: "Allow",
            Action: ipv6 ? [...NETWORK_CHANGE_ACTIONS, ...IPV6_NETWORK_CHANGE_ACTIONS] : NETWORK_CHANGE_ACTIONS,
            Resource: ec2(["vpc", "subnet", "route-table", "internet-gateway", ...(ipv6 ? ["egress-only-internet-gateway"] : []), "natgateway", "elastic-ip", "security-group", "network-acl", "vpc-endpoint", "vpc-flow-log", "dhcp-options"]),
            Condition: { StringEquals: ownerTags("aws:ResourceTag", s) },
        },
        ...Object.entries(creates).map(([action, type]) => ({
            Sid: `Create${type.replace(/(^|-)(\w)/g, (_m, _d, c: string) => c.toUpperCase())}ForThisEnvironment`,
            Effect: "Allow" as const,
            Action: action,
            Resource: ec2([type]),
            Condition: { StringEquals: ownerTags("aws:RequestTag", s) },
        })),
        { Sid: "SecurityGroupRulesOfItsGroups", Effect: "Allow", Action: RULE_ACTIONS, Resource: ec2(["security-group-rule"]) },
        {
            // EKS creates the cluster security group tagged only with the cluster's name; the program adds rules and a discovery tag.
            Sid: "ThisClustersSecurityGroup",
            Effect: "Allow",
            Action: [...RULE_ACTIONS, "ec2:CreateTags"],
            Resource: ec2(["security-group"]),
            Condition: { StringEquals: { "aws:ResourceTag/aws:eks:cluster-name": s.clusterName } },
        },
        {
            // Tags sent with a create (ec2:CreateAction) or on a resource that is already this environment's, keeping its values.
            Sid: "TagNewNetworkResources",
            Effect: "Allow",
            Action: "ec2:CreateTags",
            Resource: ec2(Object.values(creates)),
            Condition: { StringEquals: { ...ownerTags("aws:RequestTag", s), "ec2:CreateAction": Object.keys(creates).map((a) => a.slice(4)) } },
        },
        {
            Sid: "RetagOnlyWhatIsAlreadyThisEnvironments",
            Effect: "Allow",
            Action: "ec2:CreateTags",
            Resource: ec2([...Object.values(creates), "network-acl"]),
            Condition: { StringEquals: { ...ownerTags("aws:RequestTag", s), ...ownerTags("aws:ResourceTag", s) } },
        },
        {
            // The system node group's launch template, created tagged for this environment and cluster (as Karpenter's are).
            Sid: "CreateClusterLaunchTemplates",
            Effect: "Allow",
            Action: "ec2:CreateLaunchTemplate",
            Resource: ec2(["launch-template"]),
            Condition: { StringEquals: { ...ownerTags("aws:RequestTag", s), [`aws:RequestTag/kubernetes.io/cluster/${s.clusterName}`]: "owned" } },
        },
        {
            // Tags only with the create itself (ec2:CreateAction), or on a template already this cluster's: never another's.
            Sid: "TagClusterLaunchTemplates",
            Effect: "Allow",
            Action: "ec2:CreateTags",
            Resource: ec2(["launch-template"]),
            Condition: {
                StringEquals: { ...ownerTags("aws:RequestTag", s), [`aws:RequestTag/kubernetes.io/cluster/${s.clusterName}`]: "owned", "ec2:CreateAction": "CreateLaunchTemplate" },
            },
        },
        {
            Sid: "RetagClusterLaunchTemplates",
            Effect: "Allow",
            Action: "ec2:CreateTags",
            Resource: ec2(["launch-template"]),
            Condition: { StringEquals: { ...ownerTags("aws:RequestTag", s), ...ownerTags("aws:ResourceTag", s), [`aws:ResourceTag/kubernetes.io/cluster/${s.clusterName}`]: "owned" } },
        },
        {
            Sid: "ChangeClusterLaunchTemplates",
            Effect: "Allow",
            Action: ["ec2:DeleteLaunchTemplate", "ec2:ModifyLaunchTemplate", "ec2:CreateLaunchTemplateVersion", "ec2:DeleteLaunchTemplateVersions"],
            Resource: ec2(["launch-template"]),
            Condition: { StringEquals: { ...ownerTags("aws:ResourceTag", s), [`aws:ResourceTag/kubernetes.io/cluster/${s.clusterName}`]: "owned" } },
        },
        { Sid: "ThisEnvironmentsCluster", Effect: "Allow", Action: EKS_ACTIONS, Resource: eks },
        // CreateCluster takes no resource ARN: the owner tags it is created with are what scope it.
        { Sid: "CreateClusterForThisEnvironment", Effect: "Allow", Action: "eks:CreateCluster", Resource: "*", Condition: { StringEquals: ownerTags("aws:RequestTag", s) } },
        {
            // Only the principals the stack config names and CI's own roles (this cluster's node role: nodeAccessStatements).
            Sid: "AccessEntriesForConfiguredPrincipals",
            Effect: "Allow",
            Action: ACCESS_ENTRY_ACTIONS,
            Resource: accessEntries,
            Condition: { ArnEquals: { "eks:principalArn": s.accessGrants.map((g) => g.principalArn) } },
        },
        ...accessPolicyStatements(s),
        ...nodeAccessStatements(s),
        {
            Sid: "OnlyThePlatformsAccessPolicies",
            Effect: "Deny",
            Action: "eks:AssociateAccessPolicy",
            Resource: "*",
            Condition: { ArnNotEquals: { "eks:policyArn": accessPolicies } },
        },
        { Sid: "ChangeThisEnvironmentsResources", Effect: "Allow", Action: TAGGED_CHANGE_ACTIONS, Resource: tagged, Condition: { StringEquals: ownerTags("aws:ResourceTag", s) } },
        { Sid: "CreateTaggedForThisEnvironment", Effect: "Allow", Action: TAGGED_CREATE_ACTIONS, Resource: tagged, Condition: { StringEquals: ownerTags("aws:RequestTag", s) } },
        // CreateKey takes no resource ARN: the tags it is created with are what scope it.
        { Sid: "CreateKeysForThisEnvironment", Effect: "Allow", Action: "kms:CreateKey", Resource: "*", Condition: { StringEquals: ownerTags("aws:RequestTag", s) } },
        {
            Sid: "TagOnlyThisEnvironmentsResources",
            Effect: "Allow",
            Action: TAG_ACTIONS,
            Resource: tagged,
            Condition: { StringEquals: { ...ownerTags("aws:RequestTag", s), ...ownerTags("aws:ResourceTag", s) } },
        },
        {
            // Aliases are named after the cluster (`alias/<cluster>/...`) and point at this environment's keys only.
            Sid: "AliasesOfThisEnvironmentsKeys",
            Effect: "Allow",
            Action: ["kms:CreateAlias", "kms:DeleteAlias", "kms:UpdateAlias"],
            Resource: regional(s, "kms", [`alias/${s.clusterName}/*`]),
        },
        {
            // The key side of an alias call takes no tag condition; what is named is pinned above (`alias/<cluster>/*`).
            Sid: "AliasTargets",
            Effect: "Allow",
            Action: ["kms:CreateAlias", "kms:DeleteAlias", "kms:UpdateAlias"],
            Resource: regional(s, "kms", ["key/*"]),
        },
        {
            // Key policy updates apply only with IAM's lockout-safety check kept, on this environment's keys.
            Sid: "KeyPoliciesOfThisEnvironmentWithLockoutCheck",
            Effect: "Allow",
            Action: "kms:PutKeyPolicy",
            Resource: regional(s, "kms", ["key/*"]),
            Condition: { StringEquals: ownerTags("aws:ResourceTag", s), Bool: { "kms:BypassPolicyLockoutSafetyCheck": "false" } },
        },
        {
            Sid: "NeverBypassKeyLockoutCheck",
            Effect: "Deny",
            Action: ["kms:PutKeyPolicy", "kms:CreateKey"],
            Resource: "*",
            Condition: { Bool: { "kms:BypassPolicyLockoutSafetyCheck": "true" } },
        },
    ];
}

/**
 * Each configured principal's access policy, only with the scope the config gives it: cluster-wide, or its
 * namespaces and no others (grants with the same policy and scope share a statement).
 */
function accessPolicyStatements(s: Pick<DeployScope, "aws" | "clusterName" | "accessGrants">): PolicyStatement[] {
    const groups = new Map<string, AccessGrant[]>();
    for (const g of s.accessGrants) {
        const key = `${g.policy}|${(g.namespaces ?? []).slice().sort().join(",")}`;
        groups.set(key, [...(groups.get(key) ?? []), g]);
    }
    return [...groups.values()].map((grants, i) => {
        const { policy, namespaces } = grants[0];
        const scope: Record<string, Record<string, unknown>> = {
            ArnEquals: {
                "eks:principalArn": grants.map((g) => g.principalArn),
                "eks:policyArn": pulumi.interpolate`arn:${s.aws.partition}:eks::aws:cluster-access-policy/${policy}`,
            },
            StringEquals: { "eks:accessScope": namespaces ? "namespace" : "cluster" },
        };
        if (namespaces) scope["ForAllValues:StringEquals"] = { "eks:namespaces": namespaces };
        return {
            Sid: `${policy.replace(/^AmazonEKS|Policy$/g, "")}Access${namespaces ? "InNamespaces" : "ToCluster"}${i + 1}`,
            Effect: "Allow" as const,
            Action: ACCESS_POLICY_ACTIONS,
            Resource: arn(s.aws, "eks", `access-entry/${s.clusterName}/*`),
            Condition: scope,
        };
    });
}

/**
 * The VPC's default security group is created with the VPC, untagged; the program adopts it (revokes its
 * rules, tags it). Allowed only inside this stack's VPC (`ec2:Vpc`), known once the network exists.
 */
export function defaultSecurityGroupStatements(s: Pick<DeployScope, "aws" | "project" | "environment">, vpcId: pulumi.Input<string>): PolicyStatement[] {
    const vpc = pulumi.interpolate`arn:${s.aws.partition}:ec2:${s.aws.region}:${s.aws.accountId}:vpc/${vpcId}`;
    return [
        {
            Sid: "AdoptThisVpcsDefaultSecurityGroup",
            Effect: "Allow",
            Action: ["ec2:RevokeSecurityGroupIngress", "ec2:RevokeSecurityGroupEgress", "ec2:AuthorizeSecurityGroupIngress", "ec2:AuthorizeSecurityGroupEgress"],
            Resource: arn(s.aws, "ec2", "security-group/*"),
            Condition: { ArnEquals: { "ec2:Vpc": vpc } },
        },
        {
            Sid: "TagThisVpcsDefaultSecurityGroup",
            Effect: "Allow",
            Action: "ec2:CreateTags",
            Resource: arn(s.aws, "ec2", "security-group/*"),
            Condition: { ArnEquals: { "ec2:Vpc": vpc }, StringEquals: ownerTags("aws:RequestTag", s) },
        },
    ];
}

/**
 * Writes of the deploy role that AWS offers no resource ARN or tag condition for, and why the platform keeps
 * them; everything else it may do is scoped to its environment (the README lists these, a test asks the rest).
 */
export const UNSCOPABLE_ACTIONS: Record<string, string> = {
    "iam:CreateServiceLinkedRole": "account-wide roles AWS names and owns; pinned to the Spot and EKS services by iam:AWSServiceName",
    "logs:PutResourcePolicy": "CloudWatch Logs resource policies are account-level documents without an ARN; WAF log delivery writes one",
    "logs:DeleteResourcePolicy": "as logs:PutResourcePolicy",
    "logs:CreateLogDelivery": "log deliveries take no resource ARN; WAF logging creates one",
    "logs:DeleteLogDelivery": "as logs:CreateLogDelivery",
    "ecr:CreatePullThroughCacheRule": "a registry setting of the account and region, without ARN or tags; the cache's prefix names the environment (docker-hub-<environment>)",
    "ecr:DeletePullThroughCacheRule": "as ecr:CreatePullThroughCacheRule",
    "ecr:UpdatePullThroughCacheRule": "as ecr:CreatePullThroughCacheRule",
};


import { expect } from "chai";
import { AUTO_MODE_NODE_ROLES } from "../components/cluster/auto-mode/iam";
import { decide, tagContext } from "./support/iam-engine";
import { StackGraph } from "../tooling/offline/harness";
import { ACCOUNT_ID } from "../tooling/offline/mocks";
import { useStacks } from "./support/use-stacks";
import { devWithOptionalFeatures } from "./support/variants";
import { deployPolicyDocuments } from "./support/deploy-documents";

interface Call {
    action: string;
    /** ARN of what the call acts on, from the resource as the graph has it. */
    resource: string;
    context?: Record<string, string | string[]>;
    /** The resource's own policy where AWS requires one to allow too (a KMS key's key policy). */
    resourcePolicy?: unknown;
}
type Scope = { region: string; account: string; cluster: string; tags: Record<string, string>; vpcId: string };
const arn = (s: Scope, service: string, resource: string, global = false) => `arn:aws:${service}:${global ? "" : s.region}:${s.account}:${resource}`;
const name = (r: { name: string; inputs: Record<string, any> }) => String(r.inputs.name ?? r.inputs.bucket ?? r.name);
const passTo = (s: Scope, role: string, service: string): Call => ({
    action: "iam:PassRole",
    resource: arn(s, "iam", `role/${role}`, true),
    context: { "iam:PassedToService": service, ...tagContext(s.tags) },
});

/**
 * What `pulumi up` calls to create each AWS resource type the program registers (the first create;
 * updates and deletes follow the same statements). A type missing here fails the test, so a new
 * resource type cannot ship without the deploy role being able to create it.
 */
const CREATE_CALLS: Record<string, (s: Scope, r: { name: string; inputs: Record<string, any> }, g: StackGraph) => Call[]> = {
    "aws:cloudwatch/eventRule:EventRule": (s, r) => [{ action: "events:PutRule", resource: arn(s, "events", `rule/${name(r)}`) }],
    "aws:cloudwatch/eventTarget:EventTarget": (s) => [{ action: "events:PutTargets", resource: arn(s, "events", "rule/x"), context: existing(s) }],
    "aws:cloudwatch/logGroup:LogGroup": (s, r) => [
        { action: "logs:CreateLogGroup", resource: arn(s, "logs", `log-group:${name(r)}`) },
        { action: "logs:PutRetentionPolicy", resource: arn(s, "logs", `log-group:${name(r)}`), context: existing(s) },
    ],
    // Created untagged with the VPC: adopted only inside this stack's VPC.
    "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": (s) => [
        { action: "ec2:RevokeSecurityGroupIngress", resource: arn(s, "ec2", "security-group/sg-1"), context: { "ec2:Vpc": arn(s, "ec2", `vpc/${s.vpcId}`) } },
        { action: "ec2:CreateTags", resource: arn(s, "ec2", "security-group/sg-1"), context: { "ec2:Vpc": arn(s, "ec2", `vpc/${s.vpcId}`) } },
    ],
    "aws:ec2/flowLog:FlowLog": (s) => [{ action: "ec2:CreateFlowLogs", resource: arn(s, "ec2", "vpc-flow-log/*") }],
    // NAT beside awsx's VPC: an address and a gateway tagged for this environment, in its subnets and route tables.
    "aws:ec2/eip:Eip": (s) => [
        { action: "ec2:AllocateAddress", resource: arn(s, "ec2", "elastic-ip/*"), context: tagContext({}, s.tags) },
        { action: "ec2:CreateTags", resource: arn(s, "ec2", "elastic-ip/eipalloc-1"), context: { ...tagContext({}, s.tags), "ec2:CreateAction": "AllocateAddress" } },
    ],
    "aws:ec2/natGateway:NatGateway": (s) => [
        { action: "ec2:CreateNatGateway", resource: arn(s, "ec2", "natgateway/*"), context: tagContext({}, s.tags) },
        { action: "ec2:CreateNatGateway", resource: arn(s, "ec2", "subnet/subnet-1"), context: existing(s) },
        { action: "ec2:CreateNatGateway", resource: arn(s, "ec2", "elastic-ip/eipalloc-1"), context: existing(s) },
        { action: "ec2:CreateTags", resource: arn(s, "ec2", "natgateway/nat-1"), context: { ...tagContext({}, s.tags), "ec2:CreateAction": "CreateNatGateway" } },
    ],
    "aws:ec2/route:Route": (s) => [{ action: "ec2:CreateRoute", resource: arn(s, "ec2", "route-table/rtb-1"), context: existing(s) }],
    "aws:ec2/launchTemplate:LaunchTemplate": (s) => [
        { action: "ec2:CreateLaunchTemplate", resource: arn(s, "ec2", "launch-template/*"), context: { [`aws:RequestTag/kubernetes.io/cluster/${s.cluster}`]: "owned" } },
        // Its tags, sent with the create (TagSpecifications), are authorized as CreateTags with ec2:CreateAction.
        { action: "ec2:CreateTags", resource: arn(s, "ec2", "launch-template/lt-1"), context: { ...tagContext({}, { ...s.tags, [`kubernetes.io/cluster/${s.cluster}`]: "owned" }), "ec2:CreateAction": "CreateLaunchTemplate" } },
    ],
    // The discovery tag on the cluster security group EKS created (tagged with the cluster's name only).
    "aws:ec2/tag:Tag": (s) => [{ action: "ec2:CreateTags", resource: arn(s, "ec2", "security-group/sg-1"), context: { "aws:ResourceTag/aws:eks:cluster-name": s.cluster } }],
    "aws:ec2/vpcEndpoint:VpcEndpoint": (s) => [{ action: "ec2:CreateVpcEndpoint", resource: arn(s, "ec2", "vpc-endpoint/*") }],
    // The dual-stack VPC (ipFamily ipv6) is plain EC2 resources: each create on what it makes (request tags) and on the VPC, subnet or
    // address it names (already this environment's), its tags with the create, its attributes afterwards.
    "aws:ec2/vpc:Vpc": (s) => [...createTagged(s, "CreateVpc", "vpc"), { action: "ec2:ModifyVpcAttribute", resource: ec2(s, "vpc", s.vpcId), context: existing(s) }],
    "aws:ec2/subnet:Subnet": (s) => [
        ...createTagged(s, "CreateSubnet", "subnet"),
        { action: "ec2:CreateSubnet", resource: ec2(s, "vpc", s.vpcId), context: existing(s) },
        { action: "ec2:ModifySubnetAttribute", resource: ec2(s, "subnet", "subnet-1"), context: existing(s) },
    ],
    "aws:ec2/internetGateway:InternetGateway": (s) => [
        ...createTagged(s, "CreateInternetGateway", "internet-gateway"),
        { action: "ec2:AttachInternetGateway", resource: ec2(s, "internet-gateway", "igw-1"), context: existing(s) },
        { action: "ec2:AttachInternetGateway", resource: ec2(s, "vpc", s.vpcId), context: existing(s) },
    ],
    "aws:ec2/egressOnlyInternetGateway:EgressOnlyInternetGateway": (s) => [
        ...createTagged(s, "CreateEgressOnlyInternetGateway", "egress-only-internet-gateway"),
        { action: "ec2:CreateEgressOnlyInternetGateway", resource: ec2(s, "vpc", s.vpcId), context: existing(s) },
    ],
    "aws:ec2/routeTable:RouteTable": (s) => [...createTagged(s, "CreateRouteTable", "route-table"), { action: "ec2:CreateRouteTable", resource: ec2(s, "vpc", s.vpcId), context: existing(s) }],
    "aws:ec2/routeTableAssociation:RouteTableAssociation": (s) => [
        { action: "ec2:AssociateRouteTable", resource: ec2(s, "route-table", "rtb-1"), context: existing(s) },
        { action: "ec2:AssociateRouteTable", resource: ec2(s, "subnet", "subnet-1"), context: existing(s) },
    ],
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": (s) => [
        { action: "ec2:AuthorizeSecurityGroupIngress", resource: arn(s, "ec2", "security-group/sg-1"), context: { "aws:ResourceTag/aws:eks:cluster-name": s.cluster } },
    ],
    "aws:ecr/repository:Repository": (s, r) => [{ action: "ecr:CreateRepository", resource: arn(s, "ecr", `repository/${name(r)}`) }],
    "aws:ecr/pullThroughCacheRule:PullThroughCacheRule": () => [{ action: "ecr:CreatePullThroughCacheRule", resource: "*" }],
    "aws:ecr/lifecyclePolicy:LifecyclePolicy": (s) => [{ action: "ecr:PutLifecyclePolicy", resource: arn(s, "ecr", "repository/x"), context: existing(s) }],
    // Auto Mode's cluster names its system pool's node role (computeConfig.nodeRoleArn): EKS is handed that role as well.
    "aws:eks/cluster:Cluster": (s, r) => [
        { action: "eks:CreateCluster", resource: "*" },
        passTo(s, `${s.cluster}-cluster`, "eks.amazonaws.com"),
        ...(r.inputs.computeConfig?.enabled ? [passTo(s, `${AUTO_MODE_NODE_ROLES.system(s.cluster)}-1a2b3c4`, "eks.amazonaws.com")] : []),
    ],
    "aws:eks/nodeGroup:NodeGroup": (s) => [{ action: "eks:CreateNodegroup", resource: arn(s, "eks", `cluster/${s.cluster}`) }, passTo(s, `${s.cluster}-system-nodes`, "eks.amazonaws.com")],
    "aws:eks/addon:Addon": (s) => [{ action: "eks:CreateAddon", resource: arn(s, "eks", `cluster/${s.cluster}`) }],
    "aws:eks/accessEntry:AccessEntry": (s, r) => [
        { action: "eks:CreateAccessEntry", resource: arn(s, "eks", `cluster/${s.cluster}`), context: { "eks:principalArn": principal(s, r.inputs.principalArn) } },
    ],
    "aws:eks/accessPolicyAssociation:AccessPolicyAssociation": (s, r) => [
        {
            action: "eks:AssociateAccessPolicy",
            resource: arn(s, "eks", `access-entry/${s.cluster}/role/${s.account}/x/1`),
            context: { "eks:principalArn": principal(s, r.inputs.principalArn), "eks:policyArn": r.inputs.policyArn, "eks:accessScope": r.inputs.accessScope?.type ?? "cluster",
                ...(r.inputs.accessScope?.namespaces ? { "eks:namespaces": r.inputs.accessScope.namespaces } : {}),
            },
        },
    ],
    "aws:eks/podIdentityAssociation:PodIdentityAssociation": (s) => [
        { action: "eks:CreatePodIdentityAssociation", resource: arn(s, "eks", `cluster/${s.cluster}`) },
        passTo(s, `${s.cluster}-karpenter`, "pods.eks.amazonaws.com"),
    ],
    // CI authenticates through this provider and its roles, so the first `up` (an admin's) creates them;
    // the deploy role may not change them afterwards (tests/ci-access-escalation.test.ts).
    "aws:iam/openIdConnectProvider:OpenIdConnectProvider": () => [],
    "aws:iam/serviceLinkedRole:ServiceLinkedRole": (s) => [
        { action: "iam:CreateServiceLinkedRole", resource: arn(s, "iam", "role/aws-service-role/spot.amazonaws.com/AWSServiceRoleForEC2Spot", true), context: { "iam:AWSServiceName": "spot.amazonaws.com" } },
    ],
    "aws:kms/key:Key": (s) => [{ action: "kms:CreateKey", resource: "*", context: tagContext({}, s.tags) }],
    "aws:kms/alias:Alias": (s, r, g) => [
        { action: "kms:CreateAlias", resource: arn(s, "kms", String(r.inputs.name)) },
        // KMS asks the key's own policy as well: the stack's key policies leave key administration to IAM.
        { action: "kms:CreateAlias", resource: arn(s, "kms", "key/1234"), context: existing(s), resourcePolicy: keyPolicy(g) },
    ],
    "aws:s3/bucket:Bucket": (s) => [{ action: "s3:CreateBucket", resource: bucketOf(s), context: tagContext({}, s.tags) }],
    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": (s) => [{ action: "s3:PutLifecycleConfiguration", resource: bucketOf(s) }],
    "aws:s3/bucketOwnershipControls:BucketOwnershipControls": (s) => [{ action: "s3:PutBucketOwnershipControls", resource: bucketOf(s) }],
    "aws:s3/bucketPolicy:BucketPolicy": (s) => [{ action: "s3:PutBucketPolicy", resource: bucketOf(s) }],
    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": (s) => [{ action: "s3:PutBucketPublicAccessBlock", resource: bucketOf(s) }],
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": (s) => [{ action: "s3:PutEncryptionConfiguration", resource: bucketOf(s) }],
    "aws:s3/bucketVersioning:BucketVersioning": (s) => [{ action: "s3:PutBucketVersioning", resource: bucketOf(s) }],
    "aws:sqs/queue:Queue": (s, r) => [{ action: "sqs:CreateQueue", resource: arn(s, "sqs", name(r)) }],
    "aws:sqs/queuePolicy:QueuePolicy": (s) => [{ action: "sqs:SetQueueAttributes", resource: arn(s, "sqs", s.cluster), context: existing(s) }],
    "aws:wafv2/webAcl:WebAcl": (s) => [
        { action: "wafv2:CreateWebACL", resource: arn(s, "wafv2", `regional/webacl/${s.cluster}-platform-alb/1234`) },
        { action: "wafv2:CreateWebACL", resource: arn(s, "wafv2", "regional/managedruleset/AWS/AWSManagedRulesCommonRuleSet") },
    ],
    "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration": (s) => [
        { action: "wafv2:PutLoggingConfiguration", resource: arn(s, "wafv2", `regional/webacl/${s.cluster}-platform-alb/1234`) },
        // WAF writes the log group's resource policy as the caller (CloudWatch Logs vended delivery).
        { action: "logs:CreateLogDelivery", resource: "*" },
        { action: "logs:PutResourcePolicy", resource: "*" },
        { action: "logs:DescribeResourcePolicies", resource: "*" },
    ],
    "aws:iam/role:Role": (s, r) => [
        {
            action: "iam:CreateRole",
            resource: arn(s, "iam", `role/${name(r)}`, true),
            context: { ...tagContext({}, s.tags), "iam:PermissionsBoundary": arn(s, "iam", `policy/eks-platform-deploy-${s.tags.environment}-boundary`, true) },
        },
    ],
    "aws:iam/policy:Policy": (s, r) => [{ action: "iam:CreatePolicy", resource: arn(s, "iam", `policy/${name(r)}`, true), context: tagContext({}, s.tags) }],
    "aws:iam/rolePolicy:RolePolicy": (s) => [{ action: "iam:PutRolePolicy", resource: arn(s, "iam", `role/${s.cluster}-x`, true), context: ownRole(s) }],
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment": (s) => [{ action: "iam:AttachRolePolicy", resource: arn(s, "iam", `role/${s.cluster}-x`, true), context: ownRole(s) }],
};
const ec2 = (s: Scope, type: string, id: string) => arn(s, "ec2", `${type}/${id}`);
/** An EC2 create tagged for this environment in the request, and its tags, sent with it (authorized as CreateTags with ec2:CreateAction). */
const createTagged = (s: Scope, action: string, type: string): Call[] => [
    { action: `ec2:${action}`, resource: ec2(s, type, "*") },
    { action: "ec2:CreateTags", resource: ec2(s, type, `${type}-1`), context: { "ec2:CreateAction": action } },
];
const keyPolicy = (g: StackGraph) => {
    const policy = g.ofType("aws:kms/key:Key")[0].inputs.policy;
    return typeof policy === "string" ? JSON.parse(policy) : policy;
};
/** A call on a resource the stack already created: it carries the provider's default tags. */
const existing = (s: Scope) => tagContext(s.tags);
/** An access entry's principal; an auto-named role (the mocks leave out Pulumi's random suffix) gets one, as in AWS. */
const principal = (s: Scope, value: unknown) => (/(karpenter-nodes|auto-nodes|auto-system)$/.test(String(value)) ? `${value}-1a2b3c4` : String(value));
/** Pulumi auto-names the bucket: the logical name plus a random suffix. */
const bucketOf = (s: Scope) => `arn:aws:s3:::${s.cluster}-backups-1a2b3c4`;
const ownRole = (s: Scope) => ({
    ...tagContext(s.tags),
    "iam:PermissionsBoundary": arn(s, "iam", `policy/eks-platform-deploy-${s.tags.environment}-boundary`, true),
    "iam:PolicyARN": arn(s, "iam", `policy/${s.cluster}-x`, true),
});

/** The CI deploy role's own policies, as the stack builds them. */
export const deployDocuments = (g: StackGraph) => [
    ...deployPolicyDocuments(g),
    JSON.parse(g.one("aws:iam/rolePolicy:RolePolicy", "ci-access-deploy-default-sg").inputs.policy),
];

const EACH_INSTANCE = new Set(["aws:eks/accessEntry:AccessEntry", "aws:eks/accessPolicyAssociation:AccessPolicyAssociation"]);

describe("CI's deploy role can create everything its stack declares", () => {
    const stacks = useStacks();

    it("every AWS resource type of every fixture stack (and the optional WAF/Ingress variant) has its create calls allowed", async () => {
        const graphs = [...stacks.withCi, await devWithOptionalFeatures()];
        const problems: string[] = [];
        for (const g of graphs) {
            const provider = g.one("pulumi:providers:aws").inputs;
            const tags = (typeof provider.defaultTags === "string" ? JSON.parse(provider.defaultTags) : provider.defaultTags).tags;
            const vpcId = String(g.one("aws:iam/rolePolicy:RolePolicy", "ci-access-deploy-default-sg").inputs.policy.match(/vpc\/([^"]+)"/)[1]);
            const scope: Scope = { region: provider.region, account: ACCOUNT_ID, cluster: g.one("aws:eks/cluster:Cluster").inputs.name, tags, vpcId };
            const documents = deployDocuments(g);
            const seen = new Set<string>();
            // CI's own roles, policies and provider are an administrator's first `up` (the deploy role may never change them).
            for (const r of g.resources.filter((x) => x.custom && x.type.startsWith("aws:") && !x.name.startsWith("ci-access"))) {
                // One of each type, but every access entry and association: each is allowed by its own grant.
                if (seen.has(r.type) && !EACH_INSTANCE.has(r.type)) continue;
                seen.add(r.type);
                const calls = CREATE_CALLS[r.type];
                if (!calls) {
                    problems.push(`${g.stack}: ${r.type} has no entry in CREATE_CALLS; add the calls that create it`);
                    continue;
                }
                for (const call of calls(scope, r, g)) {
                    const context = { "aws:RequestedRegion": scope.region, ...tagContext({}, tags), ...call.context };
                    const decision = await decide({ identity: documents, resourcePolicy: call.resourcePolicy }, { action: call.action, resource: call.resource, context });
                    if (decision !== "allow") problems.push(`${g.stack}: ${r.type}: ${call.action} on ${call.resource} is ${decision}`);
                }
            }
        }
        expect(problems).to.deep.equal([]);
    });

    it("lets only an IPv6 stack's deploy role create and change IPv6 network pieces (egress-only gateway, IPv6 ranges), and only its boundary the CNI's IPv6 writes", async () => {
        const ipv6Calls = ["ec2:CreateEgressOnlyInternetGateway", "ec2:AssociateVpcCidrBlock", "ec2:AssociateSubnetCidrBlock", "ec2:DeleteEgressOnlyInternetGateway"];
        const families = new Set<string>();
        for (const g of stacks.withCi) {
            const provider = g.one("pulumi:providers:aws").inputs;
            const tags = (typeof provider.defaultTags === "string" ? JSON.parse(provider.defaultTags) : provider.defaultTags).tags;
            const vpcId = String(g.one("aws:iam/rolePolicy:RolePolicy", "ci-access-deploy-default-sg").inputs.policy.match(/vpc\/([^"]+)"/)[1]);
            const s: Scope = { region: provider.region, account: ACCOUNT_ID, cluster: g.one("aws:eks/cluster:Cluster").inputs.name, tags, vpcId };
            families.add(g.outputs.ipFamily);
            for (const action of ipv6Calls) {
                const type = action.includes("EgressOnly") ? "egress-only-internet-gateway" : action.includes("Subnet") ? "subnet" : "vpc";
                const context = { "aws:RequestedRegion": s.region, ...tagContext(tags, tags) };
                const decision = await decide({ identity: deployDocuments(g) }, { action, resource: ec2(s, type, action.startsWith("ec2:Create") ? "*" : `${type}-1`), context });
                expect(decision, `${g.stack} (${g.outputs.ipFamily}): ${action}`).to.equal(g.outputs.ipFamily === "ipv6" ? "allow" : "implicit");
            }
            // And the roles it creates: only an IPv6 stack's boundary lets one (the VPC CNI's) assign IPv6 addresses.
            const boundary = JSON.parse(g.one("aws:iam/policy:Policy", "ci-access-boundary").inputs.policy);
            const assign = await decide({ identity: [boundary] }, { action: "ec2:AssignIpv6Addresses", resource: ec2(s, "network-interface", "eni-1"), context: tagContext(tags) });
            expect(assign, `${g.stack} boundary: ec2:AssignIpv6Addresses`).to.equal(g.outputs.ipFamily === "ipv6" ? "allow" : "implicit");
        }
        expect([...families].sort()).to.deep.equal(["ipv4", "ipv6"]);
    });

    it("would notice a missing permission", async () => {
        const allowOnly = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:CreateBucket", Resource: "*" }] };
        expect(await decide({ identity: [allowOnly] }, { action: "wafv2:CreateWebACL", resource: "*", context: {} })).to.equal("implicit");
    });
});

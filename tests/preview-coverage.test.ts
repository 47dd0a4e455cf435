import { expect } from "chai";
import { StackGraph } from "../tooling/offline/harness";
import { ACCOUNT_ID } from "../tooling/offline/mocks";
import { mutatingActions } from "./support/ci-access-corpus";
import { decide } from "./support/iam-engine";
import { useStacks } from "./support/use-stacks";
import { devWithOptionalFeatures } from "./support/variants";

type Scope = { region: string; cluster: string };
/** One read call: the action and the ARN it is asked on (a pattern's `*` filled in as AWS would name the resource). */
type Read = [action: string, resource: string];
const at = (s: Scope, service: string, resource: string, global = false) => `arn:aws:${service}:${global ? "" : s.region}:${ACCOUNT_ID}:${resource}`;

/**
 * What `pulumi refresh` (and so the drift check's `preview --refresh`) calls to read each AWS resource type the
 * program registers: the provider's Read of that type. A type missing here fails the test, so a new resource type
 * cannot ship without the preview role being able to read it.
 */
const READ_CALLS: Record<string, (s: Scope, name: string) => Read[]> = {
    "aws:cloudwatch/eventRule:EventRule": (s, n) => [["events:DescribeRule", at(s, "events", `rule/${n}`)], ["events:ListTagsForResource", at(s, "events", `rule/${n}`)]],
    "aws:cloudwatch/eventTarget:EventTarget": (s) => [["events:ListTargetsByRule", at(s, "events", "rule/x")]],
    "aws:cloudwatch/logGroup:LogGroup": (s, n) => [["logs:DescribeLogGroups", "*"], ["logs:ListTagsForResource", at(s, "logs", `log-group:${n}`)]],
    "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": () => [["ec2:DescribeSecurityGroups", "*"]],
    "aws:ec2/flowLog:FlowLog": () => [["ec2:DescribeFlowLogs", "*"]],
    "aws:ec2/launchTemplate:LaunchTemplate": () => [["ec2:DescribeLaunchTemplates", "*"], ["ec2:DescribeLaunchTemplateVersions", "*"]],
    "aws:ec2/tag:Tag": () => [["ec2:DescribeTags", "*"]],
    "aws:ec2/vpcEndpoint:VpcEndpoint": () => [["ec2:DescribeVpcEndpoints", "*"], ["ec2:DescribePrefixLists", "*"]],
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": () => [["ec2:DescribeSecurityGroupRules", "*"]],
    "aws:ecr/repository:Repository": (s, n) => [["ecr:DescribeRepositories", at(s, "ecr", `repository/${n}`)], ["ecr:ListTagsForResource", at(s, "ecr", `repository/${n}`)]],
    "aws:ecr/pullThroughCacheRule:PullThroughCacheRule": () => [["ecr:DescribePullThroughCacheRules", "*"]],
    "aws:ecr/lifecyclePolicy:LifecyclePolicy": (s) => [["ecr:GetLifecyclePolicy", at(s, "ecr", "repository/x")]],
    "aws:eks/cluster:Cluster": (s) => [["eks:DescribeCluster", at(s, "eks", `cluster/${s.cluster}`)]],
    "aws:eks/nodeGroup:NodeGroup": (s) => [["eks:DescribeNodegroup", at(s, "eks", `nodegroup/${s.cluster}/system/1`)]],
    "aws:eks/addon:Addon": (s) => [["eks:DescribeAddon", at(s, "eks", `addon/${s.cluster}/coredns/1`)]],
    "aws:eks/accessEntry:AccessEntry": (s) => [["eks:DescribeAccessEntry", at(s, "eks", `access-entry/${s.cluster}/role/${ACCOUNT_ID}/x/1`)]],
    "aws:eks/accessPolicyAssociation:AccessPolicyAssociation": (s) => [["eks:ListAssociatedAccessPolicies", at(s, "eks", `access-entry/${s.cluster}/role/${ACCOUNT_ID}/x/1`)]],
    "aws:eks/podIdentityAssociation:PodIdentityAssociation": (s) => [["eks:DescribePodIdentityAssociation", at(s, "eks", `podidentityassociation/${s.cluster}/a-1`)]],
    "aws:iam/openIdConnectProvider:OpenIdConnectProvider": (s) => [["iam:GetOpenIDConnectProvider", at(s, "iam", "oidc-provider/token.actions.githubusercontent.com", true)]],
    "aws:iam/serviceLinkedRole:ServiceLinkedRole": (s) => [["iam:GetRole", at(s, "iam", "role/aws-service-role/spot.amazonaws.com/AWSServiceRoleForEC2Spot", true)]],
    "aws:iam/role:Role": (s, n) => [
        ["iam:GetRole", at(s, "iam", `role/${n}`, true)],
        ["iam:ListRolePolicies", at(s, "iam", `role/${n}`, true)],
        ["iam:ListAttachedRolePolicies", at(s, "iam", `role/${n}`, true)],
    ],
    "aws:iam/policy:Policy": (s, n) => [["iam:GetPolicy", at(s, "iam", `policy/${n}`, true)], ["iam:GetPolicyVersion", at(s, "iam", `policy/${n}`, true)]],
    "aws:iam/rolePolicy:RolePolicy": (s) => [["iam:GetRolePolicy", at(s, "iam", "role/x", true)]],
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment": (s) => [["iam:ListAttachedRolePolicies", at(s, "iam", "role/x", true)]],
    "aws:kms/key:Key": (s) => ["kms:DescribeKey", "kms:GetKeyPolicy", "kms:GetKeyRotationStatus", "kms:ListResourceTags"].map((a): Read => [a, at(s, "kms", "key/1234")]),
    "aws:kms/alias:Alias": () => [["kms:ListAliases", "*"]],
    "aws:s3/bucket:Bucket": (s) =>
        [
            "s3:ListBucket", "s3:GetBucketLocation", "s3:GetBucketTagging", "s3:GetBucketPolicy", "s3:GetBucketVersioning", "s3:GetBucketAcl", "s3:GetBucketCORS",
            "s3:GetBucketWebsite", "s3:GetBucketLogging", "s3:GetAccelerateConfiguration", "s3:GetBucketRequestPayment", "s3:GetReplicationConfiguration",
            "s3:GetLifecycleConfiguration", "s3:GetEncryptionConfiguration", "s3:GetBucketObjectLockConfiguration",
        ].map((a): Read => [a, bucket(s)]),
    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": (s) => [["s3:GetLifecycleConfiguration", bucket(s)]],
    "aws:s3/bucketOwnershipControls:BucketOwnershipControls": (s) => [["s3:GetBucketOwnershipControls", bucket(s)]],
    "aws:s3/bucketPolicy:BucketPolicy": (s) => [["s3:GetBucketPolicy", bucket(s)]],
    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": (s) => [["s3:GetBucketPublicAccessBlock", bucket(s)]],
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": (s) => [["s3:GetEncryptionConfiguration", bucket(s)]],
    "aws:s3/bucketVersioning:BucketVersioning": (s) => [["s3:GetBucketVersioning", bucket(s)]],
    "aws:sqs/queue:Queue": (s, n) => [["sqs:GetQueueAttributes", at(s, "sqs", n)], ["sqs:ListQueueTags", at(s, "sqs", n)]],
    "aws:sqs/queuePolicy:QueuePolicy": (s) => [["sqs:GetQueueAttributes", at(s, "sqs", s.cluster)]],
    "aws:wafv2/webAcl:WebAcl": (s) => [["wafv2:GetWebACL", webAcl(s)], ["wafv2:ListTagsForResource", webAcl(s)]],
    "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration": (s) => [["wafv2:GetLoggingConfiguration", webAcl(s)]],
};
/** Pulumi auto-names the backup bucket: the logical name plus a random suffix. */
const bucket = (s: Scope) => `arn:aws:s3:::${s.cluster}-backups-1a2b3c4`;
const webAcl = (s: Scope) => at(s, "wafv2", `regional/webacl/${s.cluster}-platform-alb/1234`);

/** The preview role's policy, as the stack builds it. */
const previewPolicy = (g: StackGraph) => JSON.parse(g.one("aws:iam/rolePolicy:RolePolicy", "ci-access-preview-read").inputs.policy);
/** A KMS key's own policy, which KMS asks as well: the stack's key policies leave key use to IAM. */
const keyPolicies = (g: StackGraph) => g.ofType("aws:kms/key:Key").map((k) => (typeof k.inputs.policy === "string" ? JSON.parse(k.inputs.policy) : k.inputs.policy));

describe("CI's preview role can read everything its stack declares (the drift check's refresh), and write nothing", () => {
    const stacks = useStacks();
    let graphs: StackGraph[];
    before(async () => {
        graphs = [...stacks.all, await devWithOptionalFeatures()];
    });

    it("every AWS resource type of every fixture stack (and the optional WAF/Ingress variant) has its read calls allowed", async () => {
        const problems: string[] = [];
        for (const g of graphs) {
            const provider = g.one("pulumi:providers:aws").inputs;
            const scope: Scope = { region: provider.region, cluster: g.one("aws:eks/cluster:Cluster").inputs.name };
            const identity = [previewPolicy(g)];
            const seen = new Set<string>();
            for (const r of g.resources.filter((x) => x.custom && x.type.startsWith("aws:"))) {
                if (seen.has(r.type)) continue;
                seen.add(r.type);
                const reads = READ_CALLS[r.type];
                if (!reads) {
                    problems.push(`${g.stack}: ${r.type} has no entry in READ_CALLS; add the calls that read it`);
                    continue;
                }
                const policies = r.type === "aws:kms/key:Key" ? keyPolicies(g) : [undefined];
                for (const [action, resource] of reads(scope, String(r.inputs.name ?? r.name))) {
                    for (const resourcePolicy of policies) {
                        const decision = await decide({ identity, resourcePolicy }, { action, resource, context: { "aws:RequestedRegion": scope.region } });
                        if (decision !== "allow") problems.push(`${g.stack}: ${r.type}: ${action} on ${resource} is ${decision}`);
                    }
                }
            }
        }
        expect(problems).to.deep.equal([]);
    });

    it("allows no action above Read and List, wildcards expanded with AWS's reference data", async () => {
        for (const g of graphs) expect(await mutatingActions([previewPolicy(g)]), g.stack).to.deep.equal([]);
        // The check sees a write hidden in a wildcard.
        expect(await mutatingActions([{ Statement: [{ Effect: "Allow", Action: "s3:Put*Policy", Resource: "*" }] }])).to.include("s3:PutBucketPolicy");
    });

    it("reads no other bucket or web ACL than the stack's own, and writes neither", async () => {
        const g = stacks.prod;
        const identity = [previewPolicy(g)];
        const cluster = g.one("aws:eks/cluster:Cluster").inputs.name;
        const region = g.one("pulumi:providers:aws").inputs.region;
        const ask = (action: string, resource: string) => decide({ identity }, { action, resource, context: { "aws:RequestedRegion": region } });
        expect(await ask("s3:GetBucketPolicy", `arn:aws:s3:::${cluster}-backups-1a2b3c4`)).to.equal("allow");
        expect(await ask("s3:GetBucketPolicy", "arn:aws:s3:::someone-elses-bucket")).to.equal("implicit");
        expect(await ask("s3:GetObject", `arn:aws:s3:::${cluster}-backups-1a2b3c4/backups/x.tar.gz`)).to.equal("implicit");
        expect(await ask("s3:PutBucketPolicy", `arn:aws:s3:::${cluster}-backups-1a2b3c4`)).to.equal("implicit");
        expect(await ask("wafv2:GetWebACL", `arn:aws:wafv2:${region}:${ACCOUNT_ID}:regional/webacl/other/1`)).to.equal("implicit");
        expect(await ask("wafv2:UpdateWebACL", `arn:aws:wafv2:${region}:${ACCOUNT_ID}:regional/webacl/${cluster}-platform-alb/1`)).to.equal("implicit");
    });
});

import { expect } from "chai";
import { StackGraph } from "../tooling/offline/harness";
import { ACCOUNT_ID } from "../tooling/offline/mocks";
import { mutatingActions } from "./support/ci-access-corpus";
import { decide } from "./support/iam-engine";
import { beforeBuilding } from "./support/build-hook";
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
    // The VPC the program builds itself (ipFamily ipv6, and the NAT pieces beside awsx's VPC).
    "aws:ec2/vpc:Vpc": () => [["ec2:DescribeVpcs", "*"], ["ec2:DescribeVpcAttribute", "*"]],
    "aws:ec2/subnet:Subnet": () => [["ec2:DescribeSubnets", "*"]],
    "aws:ec2/internetGateway:InternetGateway": () => [["ec2:DescribeInternetGateways", "*"]],
    "aws:ec2/egressOnlyInternetGateway:EgressOnlyInternetGateway": () => [["ec2:DescribeEgressOnlyInternetGateways", "*"]],
    "aws:ec2/natGateway:NatGateway": () => [["ec2:DescribeNatGateways", "*"]],
    "aws:ec2/eip:Eip": () => [["ec2:DescribeAddresses", "*"], ["ec2:DescribeAddressesAttribute", "*"]],
    "aws:ec2/routeTable:RouteTable": () => [["ec2:DescribeRouteTables", "*"]],
    "aws:ec2/route:Route": () => [["ec2:DescribeRouteTables", "*"]],
    "aws:ec2/routeTableAssociation:RouteTableAssociation": () => [["ec2:DescribeRouteTables", "*"]],
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
    beforeBuilding(async () => {
        graphs = [...stacks.withCi, await devWithOptionalFeatures()];
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

/** An RBAC rule as the program declares it. */
type Rule = { apiGroups?: string[]; resources?: string[]; verbs?: string[]; resourceNames?: string[] };
/**
 * AmazonEKSViewPolicy, as AWS documents it (Kubernetes' `view`): get/list/watch on these resources and no
 * others; no Secrets, no RBAC, no cluster-scoped settings, no custom resources. Only the groups the program uses.
 */
const EKS_VIEW: Rule[] = [
    { apiGroups: [""], resources: ["configmaps", "endpoints", "persistentvolumeclaims", "pods", "replicationcontrollers", "serviceaccounts", "services", "bindings", "events", "limitranges", "resourcequotas", "namespaces"] },
    { apiGroups: ["apps"], resources: ["controllerrevisions", "daemonsets", "deployments", "replicasets", "statefulsets"] },
    { apiGroups: ["autoscaling"], resources: ["horizontalpodautoscalers"] },
    { apiGroups: ["batch"], resources: ["cronjobs", "jobs"] },
    { apiGroups: ["policy"], resources: ["poddisruptionbudgets"] },
    { apiGroups: ["networking.k8s.io"], resources: ["ingresses", "networkpolicies"] },
    { apiGroups: ["discovery.k8s.io"], resources: ["endpointslices"] },
].map((r) => ({ ...r, verbs: ["get", "list", "watch"] }));

/** Whether `rules` let `verb` on `resource` of `group` (named `name`): RBAC's union of rules, `resourceNames` narrowing. */
const permits = (rules: Rule[], group: string, resource: string, verb: string, name?: string) =>
    rules.some(
        (r) =>
            (r.apiGroups ?? []).some((g) => g === group || g === "*") &&
            (r.resources ?? []).some((x) => x === resource || x === "*") &&
            (r.verbs ?? []).some((v) => v === verb || v === "*") &&
            (!r.resourceNames?.length || (name !== undefined && r.resourceNames.includes(name))),
    );

/** `kubernetes:<group>/<version>:<Kind>` → API group and plural resource (`StorageClass` → storageclasses, `IngressClassParams` stays). */
function resourceOf(type: string): { group: string; resource: string } {
    const [, apiVersion, kind] = /^kubernetes:(.+):(\w+)$/.exec(type)!;
    const group = apiVersion.includes("/") ? apiVersion.split("/")[0] : "";
    const lower = kind.toLowerCase();
    return { group: group === "core" ? "" : group, resource: /(ss|ch)$/.test(lower) ? `${lower}es` : lower.endsWith("s") ? lower : lower.endsWith("y") ? `${lower.slice(0, -1)}ies` : `${lower}s` };
}

/** Helm release records are Secrets Helm lists by label; RBAC cannot narrow a list, so refresh leaves releases out (drift.yml --exclude). */
const EXCLUDED_FROM_REFRESH = new Set(["kubernetes:helm.sh/v3:Release"]);

describe("CI's preview identity can read every Kubernetes object its stack declares, and Secrets only by name", () => {
    const stacks = useStacks();
    let graphs: StackGraph[];
    beforeBuilding(async () => {
        graphs = [...stacks.withCi, await devWithOptionalFeatures()];
    });
    /** The rules the program binds to the preview role's group, from the graph: its ClusterRole and its Roles. */
    const groupRules = (g: StackGraph) => {
        const bound = (b: any) => (b.inputs.subjects ?? []).some((s: any) => s.kind === "Group" && s.name === "eks-platform:ci-refresh-readers");
        const roleNames = (type: string) => new Set(g.ofType(type).filter(bound).map((b) => `${b.inputs.metadata.namespace ?? ""}/${b.inputs.roleRef.name}`));
        const clusterRoles = roleNames("kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding");
        const roles = roleNames("kubernetes:rbac.authorization.k8s.io/v1:RoleBinding");
        const rules = (type: string, names: Set<string>) => g.ofType(type).filter((r) => names.has(`${r.inputs.metadata.namespace ?? ""}/${r.inputs.metadata.name}`));
        return {
            cluster: rules("kubernetes:rbac.authorization.k8s.io/v1:ClusterRole", clusterRoles).flatMap((r) => r.inputs.rules as Rule[]),
            byNamespace: (ns: string) => rules("kubernetes:rbac.authorization.k8s.io/v1:Role", roles).filter((r) => r.inputs.metadata.namespace === ns).flatMap((r) => r.inputs.rules as Rule[]),
        };
    };

    it("gives the preview role's access entry the view policy and the refresh readers' group", () => {
        for (const g of stacks.withCi) {
            const entry = g.ofType("aws:eks/accessEntry:AccessEntry").find((e) => String(e.inputs.principalArn).endsWith(`role/eks-platform-preview-${g.stack}`));
            expect(entry?.inputs.kubernetesGroups, g.stack).to.deep.equal(["eks-platform:ci-refresh-readers"]);
            // No other principal carries the group.
            expect(g.ofType("aws:eks/accessEntry:AccessEntry").filter((e) => (e.inputs.kubernetesGroups ?? []).length > 0), g.stack).to.have.length(1);
        }
    });

    it("every Kubernetes object of every fixture stack (and the variant) is readable, by the view or the group's rules, but Helm's records", () => {
        const problems: string[] = [];
        for (const g of graphs) {
            const rules = groupRules(g);
            for (const r of g.resources.filter((x) => x.custom && x.type.startsWith("kubernetes:") && !EXCLUDED_FROM_REFRESH.has(x.type))) {
                const { group, resource } = resourceOf(r.type);
                const ns = r.inputs.metadata?.namespace;
                const name = r.inputs.metadata?.name;
                const may = (verb: string) => permits(EKS_VIEW, group, resource, verb, name) || permits(rules.cluster, group, resource, verb, name) || (ns !== undefined && permits(rules.byNamespace(ns), group, resource, verb, name));
                if (!may("get")) problems.push(`${g.stack}: ${r.type} ${ns ?? ""}/${name} cannot be read`);
            }
        }
        expect(problems).to.deep.equal([]);
    });

    it("reads each Secret the program declares by its exact name, and can neither list Secrets nor read any other", () => {
        for (const g of graphs) {
            const rules = groupRules(g);
            const secrets = g.ofType("kubernetes:core/v1:Secret");
            expect(secrets.length, g.stack).to.be.greaterThan(0);
            for (const s of secrets) {
                const { namespace, name } = s.inputs.metadata;
                const all = [...EKS_VIEW, ...rules.cluster, ...rules.byNamespace(namespace)];
                expect(permits(all, "", "secrets", "get", name), `${g.stack} ${namespace}/${name}`).to.equal(true);
                expect(permits(all, "", "secrets", "get", "sh.helm.release.v1.kube-prometheus-stack.v1"), `${g.stack} ${namespace}`).to.equal(false);
                for (const verb of ["list", "watch", "create", "update", "patch", "delete"]) expect(permits(all, "", "secrets", verb, name), `${g.stack} ${verb}`).to.equal(false);
            }
            expect(permits(rules.cluster, "", "secrets", "get", "anything")).to.equal(false);
            // Nothing the group gets writes.
            const verbs = [...rules.cluster, ...secrets.flatMap((s) => rules.byNamespace(s.inputs.metadata.namespace))].flatMap((r) => r.verbs ?? []);
            expect([...new Set(verbs)].sort(), g.stack).to.deep.equal(["get", "list", "watch"]);
        }
        // The checker itself: a rule without resourceNames would let any Secret be read.
        expect(permits([{ apiGroups: [""], resources: ["secrets"], verbs: ["get"] }], "", "secrets", "get", "x")).to.equal(true);
    });
});

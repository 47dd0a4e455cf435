import * as pulumi from "@pulumi/pulumi";
import { applicationLogGroupName, containerLogsPolicy } from "../cluster/container-logs";
import { externalDnsPolicy } from "../cluster/external-dns/iam";
import { externalSecretsPolicy } from "../cluster/external-secrets/iam";
import { karpenterControllerPolicies } from "../cluster/karpenter/iam";
import { LOAD_BALANCER_CONTROLLER_POLICY } from "../cluster/load-balancer-controller/iam-policy";
import { groupLoadBalancerNamePrefix, platformIngressGroup } from "../cluster/load-balancer-controller/names";
import { veleroPolicy } from "../cluster/velero/iam";
import { vpcCniIpv6Policy } from "../cluster/vpc-cni";
import { FLOW_LOG_GROUP_PREFIX, flowLogWritePolicy } from "../network/flow-logs";
import { platformWebAclName } from "../platform/waf";
import { dockerHubCachePrefix, pullThroughPolicy } from "../registry/pull-through-cache";
import { autoModeTagPropagationPolicy } from "../cluster/auto-mode/iam";
import { arn } from "../shared/aws-context";
import { AWS_MANAGED_POLICIES } from "../shared/aws-managed-policies";
import { MANAGED_POLICY_MAX_CHARS, PolicyDocument, PolicyStatement, policyJson } from "../shared/iam";
import {
    BoundaryKind, INSTANCE_AGENT_ACTIONS, KEY_USE, MANAGED_POLICIES, TaggedActions, boundaryReads, boundaryWithheld, ec2CreateActionsIn, grantedIn, taggedActions,
} from "./boundary-actions";
import { DeployScope } from "./deploy-policy";
import { autoModeNodeRolePatterns, nodeRolePattern } from "./node-roles";
import { ownerTags } from "./scoped-statements";

/** What the boundary is scoped to: the stack's identity and account, and the platform's named resources. */
export interface BoundaryScope extends Pick<DeployScope, "aws" | "project" | "environment" | "clusterName" | "secretPrefixes" | "ipFamily" | "computeMode"> {
    /** Route 53 hosted zones external-dns manages (`externalDnsZoneIds`): the only zones whose records may change. */
    hostedZoneIds: string[];
}

const statementsOf = (doc: PolicyDocument): PolicyStatement[] => doc.Statement as PolicyStatement[];
/** A component's statement without its Sid: the boundary must fit IAM's 6,144 characters, so it names none. */
const bare = ({ Sid: _sid, ...statement }: PolicyStatement): PolicyStatement => statement;
const actionsIn = (st: PolicyStatement): string[] => [st.Action ?? []].flat() as string[];
const servicesOf = (st: PolicyStatement): Set<string> => new Set(actionsIn(st).map((a) => a.split(":")[0]));

/**
 * Unconditioned statements of different services, each on its own service's resources, as one: a request
 * of one service never names another's ARN, so the union allows exactly what they allow apart, in less space.
 */
export function unionOfServices(statements: PolicyStatement[]): PolicyStatement {
    const seen = new Set<string>();
    for (const st of statements) {
        if (st.Effect !== "Allow" || st.Condition || st.NotAction || st.NotResource) throw new Error(`only plain Allow statements merge (${actionsIn(st).join(", ")})`);
        for (const service of servicesOf(st)) {
            if (seen.has(service)) throw new Error(`two statements of ${service} would merge into each other's resources`);
            seen.add(service);
        }
    }
    const resources = statements.flatMap((st) => [st.Resource ?? []].flat()) as pulumi.Input<string>[];
    return { Effect: "Allow", Action: [...new Set(statements.flatMap(actionsIn))], Resource: pulumi.all(resources).apply((rs) => [...new Set(rs)]) };
}

/**
 * Fluent Bit's streams in this cluster's container-log group, and VPC Flow Logs' under the flow-log prefix
 * (the group is auto-named): the same actions as their policies, one pattern per group and its streams.
 */
function logStreams(s: BoundaryScope): PolicyStatement {
    const containerLogs = statementsOf(containerLogsPolicy(s.aws, applicationLogGroupName(s.clusterName)))[0];
    const flowLogs = statementsOf(flowLogWritePolicy(""))[0];
    if (actionsIn(flowLogs).some((a) => !actionsIn(containerLogs).includes(a))) throw new Error("flow logs and container logs no longer write the same way");
    const group = (name: string) => arn(s.aws, "logs", `log-group:${name}*`);
    return { ...bare(containerLogs), Resource: [group(applicationLogGroupName(s.clusterName)), group(FLOW_LOG_GROUP_PREFIX)] };
}

/**
 * The workloads' own statements on this environment's named resources, built by the functions the
 * components use: this cluster's API, the secrets under this environment's prefixes, its backup bucket,
 * Karpenter's interruption queue, its log streams, the configured DNS zones, the platform's web ACL on
 * the platform's ALB, and the public AMI parameters.
 */
/**
 * Route 53's two tag reads as the one pattern that matches exactly them among IAM's route53 actions (a test
 * expands it): the same ceiling in fewer of the boundary's 6,144 characters.
 */
export const ROUTE53_TAG_READS = { actions: ["route53:ListTagsForResource", "route53:ListTagsForResources"], pattern: "route53:ListTagsForResource*" };

/** `st` with `actions` written as `pattern` (which must match exactly them), when it holds them all. */
function withPattern(st: PolicyStatement, p: { actions: string[]; pattern: string }): PolicyStatement {
    const actions = actionsIn(st);
    if (!p.actions.every((a) => actions.includes(a))) return st;
    return { ...st, Action: [...actions.filter((a) => !p.actions.includes(a)), p.pattern] };
}

function namedResourceStatements(s: BoundaryScope, karpenter?: Record<string, PolicyDocument>): PolicyStatement[] {
    // One pattern covers the bucket and its objects (`*` spans the `/`).
    const [listBackups, readWriteBackups] = statementsOf(veleroPolicy(pulumi.interpolate`arn:${s.aws.partition}:s3:::${s.clusterName}-backups-*`, "", s.aws.region));
    const secrets = statementsOf(externalSecretsPolicy({ ...s.aws, prefixes: s.secretPrefixes, secretsKeyArn: "" }))[0];
    return [
        ...(karpenter ? [bare(statementsOf(karpenter["eks-integration"])[0])] : []),
        ...(s.secretPrefixes.length > 0 ? [bare(secrets)] : []),
        { Effect: "Allow", Action: [...actionsIn(listBackups), ...actionsIn(readWriteBackups)], Resource: listBackups.Resource },
        ...(karpenter ? [bare(statementsOf(karpenter.interruption)[0])] : []),
        logStreams(s),
        ...(s.hostedZoneIds.length > 0 ? [withPattern(bare(statementsOf(externalDnsPolicy(s.aws.partition, s.hostedZoneIds))[0]), ROUTE53_TAG_READS)] : []),
        {
            // The platform's web ACL, on the platform's shared ALB only (named after its IngressGroup).
            Effect: "Allow",
            Action: "wafv2:AssociateWebACL",
            Resource: [
                arn(s.aws, "wafv2", `regional/webacl/${platformWebAclName(s.clusterName)}/*`),
                arn(s.aws, "elasticloadbalancing", `loadbalancer/app/${groupLoadBalancerNamePrefix(platformIngressGroup(s.clusterName))}*`),
            ],
        },
        ...(karpenter ? [amiParameters(s)] : []),
    ];
}

/**
 * Public parameters only: no one can create a parameter under /aws (AWS reserves it); the AMI ids live
 * there. Their ARNs carry no account (as Karpenter's upstream policy writes them); `*` matches both forms.
 */
const amiParameters = (s: BoundaryScope): PolicyStatement => ({
    Effect: "Allow",
    Action: ["ssm:GetParameter", "ssm:GetParameters"],
    Resource: pulumi.interpolate`arn:${s.aws.partition}:ssm:${s.aws.region}:*:parameter/aws/service/*`,
});

/**
 * The EC2, load-balancer and Auto Scaling writes of one kind of role, scoped to this environment by its
 * owner tags: changes only on resources carrying them, creates only with its `environment` tag and only on
 * what they create, tags only at creation (a tag request alone never claims another environment's resource).
 */
function taggedStatements(s: BoundaryScope, t: TaggedActions, extraChanges: string[] = []): PolicyStatement[] {
    // Tags scope these; an ARN's partition, region and account add nothing but length.
    const typeArn = (t: string) => {
        const [service, type] = t.split(":");
        return `arn:*:${service}:*:*:${type}/*`;
    };
    // What exists is changed only with both owner tags; a create needs only the environment's (a new resource is no
    // one else's, and without the project tag this boundary could never change it), which keeps the document small.
    // Auto Mode: EKS puts `eks:eks-cluster-name` on everything it creates for the cluster, while the owner tags reach
    // only what the NodeClass, IngressClassParams and StorageClass tag; so its creates are scoped by this cluster's
    // name, which no other environment's cluster has.
    const requestTags = s.computeMode === "auto" ? { "aws:RequestTag/eks:eks-cluster-name": s.clusterName } : { "aws:RequestTag/environment": s.environment };
    const changes = [...t.changes, ...extraChanges];
    return [
        ...(changes.length > 0 ? [{ Effect: "Allow" as const, Action: changes, Resource: "*", Condition: { StringEquals: ownerTags("aws:ResourceTag", s) } }] : []),
        ...(t.creates.length > 0 ? [{ Effect: "Allow" as const, Action: t.creates, Resource: t.createdTypes.map(typeArn), Condition: { StringEquals: requestTags } }] : []),
        // Apart from RunInstances: a request tag must never let a launch read another environment's snapshot.
        ...(t.changes.includes("ec2:CreateSnapshot")
            ? [{ Effect: "Allow" as const, Action: "ec2:CreateSnapshot", Resource: published("snapshot"), Condition: { StringEquals: requestTags } }]
            : []),
        ...(t.ec2CreateActions.length > 0
            ? [{ Effect: "Allow" as const, Action: "ec2:CreateTags", Resource: "*", Condition: { StringEquals: { ...requestTags, "ec2:CreateAction": t.ec2CreateActions } } }]
            : []),
        ...(t.elbCreateActions.length > 0
            ? [
                  {
                      Effect: "Allow" as const,
                      Action: "elasticloadbalancing:AddTags",
                      Resource: "*",
                      Condition: { StringEquals: { ...requestTags, "elasticloadbalancing:CreateAction": t.elbCreateActions } },
                  },
              ]
            : []),
    ];
}

const published = (type: string) => `arn:*:ec2:*::${type}/*`;
const NO_KEY_DESTRUCTION: PolicyStatement = { Effect: "Deny", Action: ["kms:ScheduleKeyDeletion", "kms:DisableKey", "kms:PutKeyPolicy"], Resource: "*" };

/** Karpenter's controller policies for this cluster, as the component builds them (the node role by its auto-name's pattern). */
const karpenterOf = (s: BoundaryScope) =>
    karpenterControllerPolicies({
        partition: s.aws.partition, region: s.aws.region, accountId: s.aws.accountId, clusterName: s.clusterName, nodeRoleArn: nodeRolePattern(s),
        queueArn: arn(s.aws, "sqs", s.clusterName),
    });

/**
 * The permissions boundary of every role but EC2 instance roles that the deploy role creates (cluster,
 * controllers, flow logs), built from the policies those roles hold in the stack's `computeMode`, so that it
 * is no wider than they are, and never wider than this environment:
 * - their statements on named resources come from the functions the components use (Karpenter's,
 *   external-dns', External Secrets', Velero's, Fluent Bit's, flow logs'), with this environment's
 *   resources (`<cluster>-*` names, its prefixes and zones);
 * - the EC2, load-balancer and Auto Scaling writes of AmazonEKSClusterPolicy, AmazonEBSCSIDriverPolicy,
 *   Karpenter's and the Load Balancer Controller's policies (and KMS use) only on resources tagged for
 *   this environment: the platform puts its owner tags on everything it or its controllers create;
 * - in `auto` mode, Auto Mode's four cluster policies and its tag-propagation grant in place of Karpenter's
 *   and the Load Balancer Controller's: creates only with this cluster's `eks:eks-cluster-name` tag (Auto Mode
 *   sends its own tags alone), changes only on resources tagged for this environment;
 * - IAM: passing this cluster's node role(s) to EC2 and instance profiles of this cluster only (Karpenter's
 *   upstream scoping, Auto Mode's `eks*` profiles); no role or policy write, no key deletion, no key policy.
 * It is a ceiling, not a grant, so it is tagged `permissions-boundary` and the pack's grant checks skip it.
 * What AWS offers no scope for (BOUNDARY_UNSCOPABLE) and the upstream grants the platform does not use
 * (BOUNDARY_WITHHELD) are listed with the reason. IAM caps the document at 6,144 characters: no Sids.
 */
export function boundaryPolicy(s: BoundaryScope): PolicyDocument {
    const auto = s.computeMode === "auto";
    const karpenter = karpenterOf(s);
    // Named resources are pinned by their names (cluster, prefixes, zones) in any region and account: the document must fit IAM's 6,144 characters.
    const byName: BoundaryScope = { ...s, aws: { ...s.aws, partition: "*", region: "*", accountId: "*" } };
    // Karpenter mode: Karpenter's and the Load Balancer Controller's roles, and on IPv6 the VPC CNI's (IPv6 addresses on this
    // environment's interfaces). Auto Mode runs those outside the account, as the cluster role with its tag-propagation grant.
    const own = auto
        ? [autoModeTagPropagationPolicy()]
        : [LOAD_BALANCER_CONTROLLER_POLICY, ...Object.values(karpenter), ...(s.ipFamily === "ipv6" ? [vpcCniIpv6Policy(s.aws, s.clusterName, {})] : [])];
    const docs = [...managedDocuments(s, "workloads"), ...own];
    const statements: PolicyStatement[] = [
        // Reads, and SetWebAcl (unscopable: BOUNDARY_UNSCOPABLE), in one statement: both are plain `*` grants.
        { Effect: "Allow", Action: [...boundaryReads("workloads", s.computeMode), "elasticloadbalancing:SetWebAcl"], Resource: "*" },
        ...taggedStatements(s, taggedActions(grantedIn(docs), boundaryWithheld(s.ipFamily), ec2CreateActionsIn(docs)), KEY_USE),
        // AMIs (and their snapshots) of AWS and other publishers; this account's own only when tagged for this environment.
        { Effect: "Allow", Action: ["ec2:RunInstances", "ec2:CreateFleet"], Resource: [published("image"), published("snapshot")], Condition: { StringNotEquals: { "ec2:Owner": s.aws.accountId } } },
        ...(auto ? autoModeIamStatements(s) : karpenterIamStatements(s, karpenter)),
        unionOfServices(namedResourceStatements(byName, auto ? undefined : karpenterOf(byName))),
        NO_KEY_DESTRUCTION,
    ];
    return { Version: "2012-10-17", Statement: statements };
}

/** The documents of the AWS-managed policies one kind of role holds in this stack's mode. */
const managedDocuments = (s: BoundaryScope, kind: BoundaryKind): PolicyDocument[] => MANAGED_POLICIES[s.computeMode][kind].map((p) => AWS_MANAGED_POLICIES[p].document);

/** Karpenter's IAM: its node role passed to EC2, instance profiles of this cluster (Karpenter's upstream scoping), the ELB service-linked role. */
function karpenterIamStatements(s: BoundaryScope, karpenter: Record<string, PolicyDocument>): PolicyStatement[] {
    const clusterTag = (prefix: string) => ({ [`${prefix}/kubernetes.io/cluster/${s.clusterName}`]: "owned" });
    // Instance profiles by this cluster's tag, as Karpenter's policy scopes them; the ARN itself says nothing more.
    const profiles = "arn:*:iam::*:instance-profile/*";
    return [
        bare(statementsOf(karpenter["iam-integration"])[0]),
        { Effect: "Allow", Action: "iam:CreateInstanceProfile", Resource: profiles, Condition: { StringEquals: clusterTag("aws:RequestTag") } },
        {
            Effect: "Allow",
            Action: ["iam:TagInstanceProfile", "iam:AddRoleToInstanceProfile", "iam:RemoveRoleFromInstanceProfile", "iam:DeleteInstanceProfile"],
            Resource: profiles,
            Condition: { StringEquals: clusterTag("aws:ResourceTag") },
        },
        bare(statementsOf(LOAD_BALANCER_CONTROLLER_POLICY)[0]),
    ];
}

/**
 * Auto Mode's IAM (AmazonEKSComputePolicy, AmazonEKSLoadBalancingPolicy): this cluster's Auto Mode node roles passed
 * to EC2, added to the instance profiles EKS makes for this cluster (`eks*`, tagged with its name), and the load
 * balancers' and Spot's service-linked roles.
 */
function autoModeIamStatements(s: BoundaryScope): PolicyStatement[] {
    const passToEc2 = statementsOf(AWS_MANAGED_POLICIES.AmazonEKSComputePolicy.document).find((st) => actionsIn(st).includes("iam:PassRole"))!;
    // The services the policies create service-linked roles for (iam:AWSServiceName), and only those.
    const linked = managedDocuments(s, "workloads").flatMap(statementsOf).filter((st) => actionsIn(st).includes("iam:CreateServiceLinkedRole"));
    const linkedServices = [...new Set(linked.flatMap((st) => [(st.Condition as Record<string, Record<string, string | string[]>>).StringEquals["iam:AWSServiceName"]].flat()))].sort();
    return [
        { ...bare(passToEc2), Resource: autoModeNodeRolePatterns({ ...s, aws: { ...s.aws, partition: "*", accountId: "*" } }) },
        {
            Effect: "Allow",
            Action: "iam:AddRoleToInstanceProfile",
            Resource: "arn:*:iam::*:instance-profile/eks*",
            Condition: { StringEquals: { "aws:ResourceTag/eks:eks-cluster-name": s.clusterName } },
        },
        { Effect: "Allow", Action: "iam:CreateServiceLinkedRole", Resource: "*", Condition: { StringEquals: { "iam:AWSServiceName": linkedServices } } },
    ];
}

/**
 * The permissions boundary of the EC2 instance roles the deploy role creates. `karpenter`: the system node group's
 * and Karpenter's nodes', AmazonEKSWorkerNodePolicy, AmazonEKS_CNI_Policy, AmazonEC2ContainerRegistryPullOnly and
 * AmazonSSMManagedInstanceCore kept to this environment (network interfaces by their owner tags, which the VPC CNI
 * and the launch templates put on them), this cluster's API and Pod Identity, the public AMI parameters, and the
 * Session Manager agent on its own instance only. `auto`: Auto Mode's nodes, AmazonEKSWorkerNodeMinimalPolicy and
 * AmazonEC2ContainerRegistryPullOnly: Pod Identity on this cluster and image pulls. Both pull through this
 * environment's cache. A node runs in its own IAM boundary because one document for every role would exceed
 * IAM's 6,144 characters.
 */
export function nodeBoundaryPolicy(s: BoundaryScope): PolicyDocument {
    const auto = s.computeMode === "auto";
    const cache = pullThroughPolicy(s.aws, dockerHubCachePrefix(s.environment));
    const granted = grantedIn([...managedDocuments(s, "nodes"), cache]);
    const cluster = arn(s.aws, "eks", `cluster/${s.clusterName}`);
    const statements: PolicyStatement[] = [
        { Effect: "Allow", Action: boundaryReads("nodes", s.computeMode), Resource: "*" },
        ...taggedStatements(s, taggedActions(granted, boundaryWithheld(s.ipFamily))),
        // The Pod Identity agent on this cluster's nodes, and (karpenter) kubelet's cluster look-up: the policies ask both of `*`.
        { Effect: "Allow", Action: [...(auto ? [] : ["eks:DescribeCluster"]), "eks-auth:AssumeRoleForPodIdentity"], Resource: cluster },
        unionOfServices([bare(statementsOf(cache)[0]), ...(auto ? [] : [amiParameters(s)])]),
        ...(auto ? [] : [{ Effect: "Allow" as const, Action: INSTANCE_AGENT_ACTIONS, Resource: "*", Condition: { Null: { "ec2:SourceInstanceArn": "false" } } }]),
        NO_KEY_DESTRUCTION,
    ];
    return { Version: "2012-10-17", Statement: statements };
}

/**
 * A boundary's JSON, refused (before anything is created) when it would exceed IAM's limit for a managed
 * policy: what grows it is the stack's configuration, so the error names the keys to shorten.
 */
export function boundaryJson(policyName: string, doc: PolicyDocument): pulumi.Output<string> {
    return policyJson(doc).apply((json) => checkBoundarySize(policyName, json));
}

/** `json` (compact, as IAM counts it) when it fits a managed policy; otherwise an error naming the keys that grow it. */
export function checkBoundarySize(policyName: string, json: string): string {
    if (json.length > MANAGED_POLICY_MAX_CHARS) {
        throw new Error(
            `${policyName} would be ${json.length} characters, over IAM's ${MANAGED_POLICY_MAX_CHARS} for a permissions boundary: ` +
                "list fewer eks-platform:externalDnsZoneIds or eks-platform:externalSecretsPrefixes, or choose a shorter eks-platform:clusterName",
        );
    }
    return json;
}

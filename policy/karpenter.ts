import { Issue, SecurityCheck, ofTypes } from "./check";
import { IDENTITY_POLICY_HOLDERS, Statement, conditionTests, globMatches, grants, identityDocumentsOf, restricts, statementLabel } from "./documents";
import { EKS_CLUSTER, EksClusterProps } from "./eks";
import { knownSubnets, matchesTags } from "./subnets";
import { orWhenUnknown } from "./unknowns";
import { isTrue, list, nonEmptyString, stringMap } from "./values";

const EC2_NODE_CLASS = "kubernetes:karpenter.k8s.aws/v1:EC2NodeClass";

/** What the check reads of a Karpenter `EC2NodeClass` (karpenter.k8s.aws/v1). */
interface NodeClassProps {
    spec?: {
        metadataOptions?: { httpTokens?: string; httpPutResponseHopLimit?: number | string };
        blockDeviceMappings?: { deviceName?: string; ebs?: { encrypted?: boolean | string } }[];
        subnetSelectorTerms?: { tags?: Record<string, string>; id?: string }[];
    };
}

const issue = (message: string): Issue => ({ check: "Karpenter", message });

/**
 * Nodes Karpenter launches never appear as launch templates in the graph, so their node class must
 * say the same as CKV_AWS_79/341 and the encrypted-volume rule, explicitly, and its subnet selector
 * may match only subnets the graph shows private (tags of Subnet resources or of the awsx VPC's
 * subnet specs; ids of known private subnets).
 */
export const karpenterNodeClass: SecurityCheck = {
    name: "karpenter-node-class",
    checks: ["Karpenter"],
    description:
        "Karpenter EC2NodeClasses set IMDSv2 required with hop limit 1, encrypt every block device, and select only subnets the graph shows private.",
    appliesTo: ofTypes(EC2_NODE_CLASS),
    inspect: (r, ctx) => {
        const spec = (r.props as NodeClassProps).spec;
        const issues: Issue[] = [];
        const metadata = spec?.metadataOptions;
        if (metadata?.httpTokens !== "required") issues.push(issue(`EC2NodeClass ${r.name} does not set metadataOptions.httpTokens "required"`));
        if (Number(metadata?.httpPutResponseHopLimit) !== 1) issues.push(issue(`EC2NodeClass ${r.name} does not set metadataOptions.httpPutResponseHopLimit 1`));
        const mappings = list(spec?.blockDeviceMappings);
        if (mappings.length === 0 || mappings.some((m) => !isTrue(m?.ebs?.encrypted))) {
            issues.push(issue(`EC2NodeClass ${r.name} does not encrypt every block device (blockDeviceMappings[].ebs.encrypted true)`));
        }
        const subnets = knownSubnets(ctx.resources);
        const terms = list(spec?.subnetSelectorTerms);
        if (terms.length === 0) issues.push(issue(`EC2NodeClass ${r.name} has no subnetSelectorTerms`));
        for (const term of terms) {
            const tags = stringMap(term?.tags);
            const matched = nonEmptyString(term?.id) ? subnets.filter((s) => s.id === term.id) : subnets.filter((s) => matchesTags(tags, s.tags));
            const selector = nonEmptyString(term?.id) ? `id ${term.id}` : `tags ${JSON.stringify(tags)}`;
            const publicOnes = matched.filter((s) => s.public);
            if (publicOnes.length > 0) issues.push(issue(`EC2NodeClass ${r.name} subnet selector ${selector} matches public subnets: ${publicOnes.map((s) => s.source).join(", ")}`));
            else if (matched.length === 0) issues.push(issue(`EC2NodeClass ${r.name} subnet selector ${selector} matches no subnet the stack shows private`));
        }
        return issues;
    },
};

/** EC2 writes Karpenter makes on the instances and launch templates it owns. */
const NODE_WRITE_ACTIONS = ["ec2:RunInstances", "ec2:CreateFleet", "ec2:CreateLaunchTemplate", "ec2:TerminateInstances", "ec2:DeleteLaunchTemplate", "ec2:CreateTags"];
/**
 * Resource types those writes create or change: instances and launch templates, and what a launch
 * creates with them (fleets, volumes, network interfaces, spot requests), as upstream's tagged
 * statements list them. RunInstances/CreateFleet also name images, snapshots, security groups,
 * subnets, capacity reservations and placement groups, which they only use; upstream leaves that
 * statement unscoped, and those types are not in this list.
 */
const NODE_RESOURCE_TYPES = ["instance", "launch-template", "fleet", "volume", "network-interface", "spot-instances-request"];
const CLUSTER_TAG_KEY = /^aws:(requesttag|resourcetag)\/kubernetes\.io\/cluster\/(.+)$/;
/**
 * EKS Auto Mode's scoping (its managed policies and AWS's documented tag-propagation grant): a create must carry
 * the `eks:eks-cluster-name` tag of the cluster whose role makes it. EKS sets that principal tag when it assumes
 * the cluster role (sts:TagSession), so `${aws:PrincipalTag/eks:eks-cluster-name}` is the role's own cluster.
 */
const EKS_CLUSTER_NAME_TAG = "aws:requesttag/eks:eks-cluster-name";
const OWN_CLUSTER = "${aws:principaltag/eks:eks-cluster-name}";

/** The resource types of `NODE_RESOURCE_TYPES` an ARN pattern covers (`*` covers all). */
function nodeResourcesCovered(resource: string): string[] {
    if (resource === "*") return NODE_RESOURCE_TYPES;
    const parts = resource.split(":");
    if (parts.length < 6 || !globMatches(parts[2], "ec2")) return [];
    const rest = parts.slice(5).join(":");
    return NODE_RESOURCE_TYPES.filter((t) => globMatches(rest, `${t}/example`));
}

/**
 * The clusters whose `kubernetes.io/cluster/<name>` tag a statement's Condition requires, or whose
 * `eks:eks-cluster-name` tag (Auto Mode: `own` stands for the role's own cluster, `clusters` of the stack).
 */
function clusterTagScopes(s: Statement, clusters: string[] = []): string[] {
    return conditionTests(s).flatMap((t) => {
        const m = CLUSTER_TAG_KEY.exec(t.key);
        if (m) return restricts(t, true) ? [m[2]] : [];
        if (t.key !== EKS_CLUSTER_NAME_TAG || !restricts(t) || t.operator !== "stringequals") return [];
        return t.values.flatMap((v) => (v.toLowerCase() === OWN_CLUSTER ? clusters : [v]));
    });
}

function karpenterStatementIssues(s: Statement, label: string, clusters: string[]): Issue[] {
    const issues: Issue[] = [];
    const actions = NODE_WRITE_ACTIONS.filter((a) => grants(s, a));
    const covered = [...new Set(list(s.Resource).flatMap((res) => nodeResourcesCovered(String(res))))];
    const onNodes = s.NotResource !== undefined ? NODE_RESOURCE_TYPES : covered;
    if (actions.length > 0 && onNodes.length > 0) {
        const scopes = clusterTagScopes(s, clusters);
        const stackScopes = clusters.length === 0 ? scopes : scopes.filter((name) => clusters.includes(name.toLowerCase()));
        if (stackScopes.length === 0) {
            const which = clusters.length === 0 ? "<name>" : clusters.length === 1 ? clusters[0] : `{${clusters.join(",")}}`;
            const found = scopes.length > 0 ? ` (it names ${scopes.map((n) => `kubernetes.io/cluster/${n}`).join(", ")}, not this stack's cluster)` : "";
            issues.push({
                check: "Karpenter",
                message: `${label} allows ${actions.join(", ")} on ${onNodes.join(", ")} resources without an aws:RequestTag or aws:ResourceTag condition on kubernetes.io/cluster/${which}${found}`,
            });
        }
    }
    if (grants(s, "iam:PassRole")) {
        const passedTo = conditionTests(s).filter((t) => t.key === "iam:passedtoservice" && restricts(t));
        if (passedTo.length === 0) issues.push({ check: "Karpenter", message: `${label} allows iam:PassRole without an iam:PassedToService condition naming the services` });
        if (list(s.Resource).includes("*") || s.NotResource !== undefined) issues.push({ check: "Karpenter", message: `${label} allows iam:PassRole on every role; name the role(s) it may pass` });
    }
    return issues;
}

/**
 * Karpenter's controller launches and deletes EC2 capacity; upstream's policy confines every such
 * write to resources tagged for this cluster, and passes only the node role, only to EC2. Any
 * identity policy in the stack that grants those writes is held to the same rule, so a policy
 * copied without its conditions is caught wherever it lands; a policy may hand roles to other
 * services (CI's deploy role passes roles to EKS, Pod Identity and Flow Logs) but always names them.
 */
export const karpenterControllerScoping: SecurityCheck = {
    name: "karpenter-controller-scoping",
    checks: ["Karpenter"],
    description:
        "Identity policies that allow ec2:RunInstances, CreateFleet, CreateLaunchTemplate, TerminateInstances, DeleteLaunchTemplate or CreateTags on instances, launch templates and what launches create require an aws:RequestTag/aws:ResourceTag kubernetes.io/cluster/<this cluster> condition, or EKS Auto Mode's aws:RequestTag/eks:eks-cluster-name equal to this cluster or to the cluster role's own ${aws:PrincipalTag/eks:eks-cluster-name} (RunInstances/CreateFleet on images, snapshots, security groups, subnets, capacity reservations and placement groups excepted, as upstream); iam:PassRole names its roles and carries an iam:PassedToService condition.",
    appliesTo: ofTypes(...IDENTITY_POLICY_HOLDERS),
    inspect: (r, ctx) => {
        const clusters = ctx.resources
            .filter((c) => c.type === EKS_CLUSTER)
            .map((c) => orWhenUnknown(() => (c.props as EksClusterProps).name, undefined))
            .filter(nonEmptyString)
            .map((n) => n.toLowerCase());
        const issues: Issue[] = [];
        for (const { field, document } of identityDocumentsOf(r.type, r.props)) {
            if (!document.ok) continue; // iam-no-admin-actions reports documents it cannot read
            document.statements.forEach((s, i) => issues.push(...karpenterStatementIssues(s, `${r.type.split(":").pop()} ${r.name}.${field} ${statementLabel(s, i)}`, clusters)));
        }
        return issues;
    },
};

import { SecurityCheck } from "./check";
import { defaultTags } from "./stack";
import { nonEmptyString, stringMap } from "./values";

export const REQUIRED_TAGS = ["environment", "project", "managed-by"];

/** AWS resource types that cannot carry tags (provider default tags skip them too), so they are exempt. */
const UNTAGGABLE = new Set([
    "aws:iam/rolePolicy:RolePolicy",
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
    "aws:iam/policyAttachment:PolicyAttachment",
    "aws:kms/alias:Alias",
    "aws:ecr/lifecyclePolicy:LifecyclePolicy",
    "aws:ecr/repositoryPolicy:RepositoryPolicy",
    "aws:eks/accessPolicyAssociation:AccessPolicyAssociation",
    "aws:sqs/queuePolicy:QueuePolicy",
    "aws:cloudwatch/eventTarget:EventTarget",
    "aws:ec2/securityGroupRule:SecurityGroupRule",
    "aws:ec2/tag:Tag",
    "aws:ec2/route:Route",
    "aws:ec2/routeTableAssociation:RouteTableAssociation",
]);

/**
 * In this program tags come from the explicit AWS provider's `defaultTags`, which also reach what
 * the awsx and eks components create; a resource passes when its provider's default tags and its
 * own `tags` together carry the three.
 */
export const awsRequiredTags: SecurityCheck = {
    name: "aws-required-tags",
    checks: ["BP tags"],
    description: `Every taggable AWS resource carries ${REQUIRED_TAGS.join(", ")}, from its provider's defaultTags or its own tags.`,
    appliesTo: (type) => type.startsWith("aws:") && !UNTAGGABLE.has(type),
    inspect: (r) => {
        const tags = { ...defaultTags(r.provider?.props), ...stringMap(r.props.tags) };
        const missing = REQUIRED_TAGS.filter((t) => !nonEmptyString(tags[t]));
        const via = r.provider ? `provider ${r.provider.name}` : "no explicit provider";
        return missing.length === 0 ? [] : [{ check: "BP tags", message: `${r.type} ${r.name} lacks tags ${missing.join(", ")} (${via}, own tags included)` }];
    },
};

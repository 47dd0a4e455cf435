import { PolicyResource } from "@pulumi/policy";
import { Issue, SecurityCheck, ofTypes } from "./check";
import { isAllow, parseDocument, principalsOf } from "./documents";
import { orWhenUnknown } from "./unknowns";
import { list, nonEmptyString } from "./values";

const ROLE = "aws:iam/role:Role";
const ROLE_POLICY_ATTACHMENT = "aws:iam/rolePolicyAttachment:RolePolicyAttachment";
const POLICY_ATTACHMENT = "aws:iam/policyAttachment:PolicyAttachment";
const ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy";
const EC2_SERVICE = "ec2.amazonaws.com";

/**
 * AWS-managed policies a node role may hold (CIS 5.1.3): join the cluster (AmazonEKSWorkerNodeMinimalPolicy is
 * EKS Auto Mode's narrower form), run the VPC CNI, pull images (AmazonEC2ContainerRegistryReadOnly is the
 * older, broader name of the pull-only policy), and SSM for shell access without SSH.
 */
export const NODE_ROLE_POLICIES = [
    "AmazonEKSWorkerNodePolicy",
    "AmazonEKSWorkerNodeMinimalPolicy",
    "AmazonEKS_CNI_Policy",
    "AmazonEC2ContainerRegistryPullOnly",
    "AmazonEC2ContainerRegistryReadOnly",
    "AmazonSSMManagedInstanceCore",
];

/** An AWS-managed policy (`arn:<partition>:iam::aws:policy/<name>`, no path) from the list; a customer policy of the same name is not. */
const isNodePolicy = (arn: unknown) => {
    const m = typeof arn === "string" ? /^arn:aws[a-z-]*:iam::aws:policy\/([A-Za-z0-9_+=,.@-]+)$/.exec(arn) : null;
    return m !== null && NODE_ROLE_POLICIES.includes(m[1]);
};

/** A role EC2 instances assume: the only service its trust allows is ec2.amazonaws.com. */
function isNodeRole(r: PolicyResource): boolean {
    const document = parseDocument(r.props.assumeRolePolicy);
    if (!document?.ok) return false;
    const services = new Set(document.statements.filter(isAllow).flatMap((s) => principalsOf(s.Principal).service));
    return services.size === 1 && services.has(EC2_SERVICE);
}

/**
 * The role's name as attachments refer to it: the `name` the engine reports (an explicit or
 * auto-generated name), else the logical name, which is what the mock engine reports as the name
 * of a role created without one.
 */
export function roleName(r: PolicyResource): string {
    return orWhenUnknown(() => (nonEmptyString(r.props.name) ? r.props.name : r.name), r.name);
}

/**
 * Whether `field` of `other` refers to `role`: by the engine's record that the field was computed
 * from the role's outputs, or by value (the role's name; AWS reports a role's name as its id too,
 * which inline policies often use). A value unknown during preview relates by dependency only.
 */
function refersTo(other: PolicyResource, field: string, role: PolicyResource): boolean {
    if ((other.propertyDependencies?.[field] ?? []).some((d) => d.urn === role.urn)) return true;
    const id = orWhenUnknown(() => (nonEmptyString(role.props.id) ? [role.props.id] : []), []);
    const names = [roleName(role), ...id];
    return orWhenUnknown(() => list(other.props[field] as string | string[] | undefined).some((v) => names.includes(v)), false);
}

/** ECR pull-through cache actions a node needs beyond the managed policies: the first pull of an image creates its repository. */
const PULL_THROUGH_ACTIONS = ["ecr:BatchImportUpstreamImage", "ecr:CreateRepository"];

/** The one inline node policy allowed: only those actions, only on repositories under a named prefix (`repository/<prefix>/*`). */
export function isPullThroughCacheGrant(policy: unknown): boolean {
    if (typeof policy !== "string") return false;
    let doc: { Statement?: unknown };
    try {
        doc = JSON.parse(policy);
    } catch {
        return false;
    }
    const statements = list(doc.Statement as object | object[] | undefined) as { Effect?: string; Action?: string | string[]; Resource?: string | string[]; NotAction?: unknown; NotResource?: unknown }[];
    return (
        statements.length > 0 &&
        statements.every(
            (s) =>
                s.Effect === "Allow" &&
                !s.NotAction &&
                !s.NotResource &&
                list(s.Action).every((a) => PULL_THROUGH_ACTIONS.includes(a)) &&
                list(s.Resource).length > 0 &&
                list(s.Resource).every((res) => /^arn:aws[a-z-]*:ecr:[a-z0-9-]+:\d{12}:repository\/[a-z0-9][a-z0-9._-]*\/\*$/.test(res)),
        )
    );
}

export const nodeRolePolicies: SecurityCheck = {
    name: "node-role-policies",
    checks: ["CIS 5.1.3"],
    description: `Node roles (trusting only ${EC2_SERVICE}) hold only the AWS-managed ${NODE_ROLE_POLICIES.join(", ")} policies and no inline policy but the ECR pull-through cache grant (${PULL_THROUGH_ACTIONS.join(", ")} under one repository prefix).`,
    appliesTo: ofTypes(ROLE),
    inspect: (r, ctx) => {
        if (!isNodeRole(r)) return [];
        const attached: { arn: unknown; via: string }[] = list(r.props.managedPolicyArns as string[] | undefined).map((arn) => ({ arn, via: "managedPolicyArns" }));
        for (const other of ctx.resources) {
            if (other.type === ROLE_POLICY_ATTACHMENT && refersTo(other, "role", r)) attached.push({ arn: other.props.policyArn, via: `RolePolicyAttachment ${other.name}` });
            if (other.type === POLICY_ATTACHMENT && refersTo(other, "roles", r)) attached.push({ arn: other.props.policyArn, via: `PolicyAttachment ${other.name}` });
        }
        const issues: Issue[] = attached
            .filter(({ arn }) => !isNodePolicy(arn))
            .map(({ arn, via }) => ({ check: "CIS 5.1.3", message: `node role ${r.name} has ${String(arn ?? "an unset policy")} attached (${via}); a node role may hold only ${NODE_ROLE_POLICIES.join(", ")}` }));
        const inline = [
            ...list(r.props.inlinePolicies as { name?: string; policy?: unknown }[] | undefined)
                .filter((p) => nonEmptyString(p?.policy))
                .map((p, i) => `inlinePolicies[${p.name ?? i}]`),
            ...ctx.resources
                .filter((other) => other.type === ROLE_POLICY && refersTo(other, "role", r) && !isPullThroughCacheGrant(other.props.policy))
                .map((other) => `RolePolicy ${other.name}`),
        ];
        for (const where of inline) issues.push({ check: "CIS 5.1.3", message: `node role ${r.name} has an inline policy (${where}); node permissions come only from the AWS-managed node policies` });
        return issues;
    },
};

export const nodeRoleChecks: SecurityCheck[] = [nodeRolePolicies];

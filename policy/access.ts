import { PolicyResource } from "@pulumi/policy";
import { SecurityCheck, ofTypes } from "./check";
import { isRecord, nonEmptyString } from "./values";

const ACCESS_POLICY_ASSOCIATION = "aws:eks/accessPolicyAssociation:AccessPolicyAssociation";
const ACCESS_ENTRY = "aws:eks/accessEntry:AccessEntry";
/**
 * EKS Auto Mode's node policy: what kubelet on an Auto Mode node needs, cluster-wide by nature. It is no
 * person's access: the rule admits it only for a principal whose access entry is of type `EC2` (an instance role).
 */
const AUTO_MODE_NODE_POLICY = "AmazonEKSAutoNodePolicy";
/** The one EKS access policy that may apply cluster-wide: full admin, for the named platform admins. */
const CLUSTER_ADMIN_POLICY = "AmazonEKSClusterAdminPolicy";

interface AccessPolicyAssociationProps {
    clusterName?: string;
    principalArn?: string;
    policyArn?: string;
    accessScope?: { type?: string; namespaces?: string[] };
}

/** `AmazonEKSViewPolicy` from `arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy`. */
const policyName = (arn: unknown) => (nonEmptyString(arn) ? arn.slice(arn.lastIndexOf("/") + 1) : "no policy");

/**
 * CIS 4.1.1: cluster-wide access is cluster-admin for the platform's named admins and nothing
 * else; everyone else gets view/edit/admin in named namespaces. A cluster-scoped view, edit or
 * admin grant needs a waiver with its reason (the program gives CI's preview role cluster-wide
 * view on purpose, to read NodePools and other cluster-scoped objects, and waives this for it).
 */
export const eksAccessScope: SecurityCheck = {
    name: "eks-access-scope",
    checks: ["CIS 4.1.1"],
    description: `Only ${CLUSTER_ADMIN_POLICY} (the named platform admins) and, for EC2 access entries (Auto Mode node roles), ${AUTO_MODE_NODE_POLICY} are associated cluster-wide; every other access policy is namespace-scoped.`,
    appliesTo: ofTypes(ACCESS_POLICY_ASSOCIATION),
    inspect: (r, ctx) => {
        const props = r.props as AccessPolicyAssociationProps;
        const scope = isRecord(props.accessScope) ? props.accessScope.type : undefined;
        if (scope === "namespace") return [];
        const policy = policyName(props.policyArn);
        if (scope === "cluster" && policy === CLUSTER_ADMIN_POLICY) return [];
        if (scope === "cluster" && policy === AUTO_MODE_NODE_POLICY && nodeEntryOf(r, ctx.resources)) return [];
        const who = nonEmptyString(props.principalArn) ? props.principalArn : "an unnamed principal";
        const where = scope === "cluster" ? "cluster-wide" : `with access scope ${scope ?? "unset"}`;
        return [{ check: "CIS 4.1.1", message: `access policy association ${r.name} grants ${policy} ${where} to ${who}; only ${CLUSTER_ADMIN_POLICY} may be cluster-scoped, other access must be limited to namespaces` }];
    },
};

/** Whether the association's principal has an `EC2` access entry: by the engine's dependency record, or by the same principal ARN. */
function nodeEntryOf(association: PolicyResource, resources: readonly PolicyResource[]): boolean {
    const dependsOn = new Set((association.propertyDependencies?.principalArn ?? []).map((d) => d.urn));
    const principal = association.props.principalArn;
    return resources.some((e) => e.type === ACCESS_ENTRY && e.props.type === "EC2" && (dependsOn.has(e.urn) || (nonEmptyString(principal) && e.props.principalArn === principal)));
}

export const accessChecks: SecurityCheck[] = [eksAccessScope];

import { SecurityCheck, ofTypes } from "./check";
import { isRecord, nonEmptyString } from "./values";

const ACCESS_POLICY_ASSOCIATION = "aws:eks/accessPolicyAssociation:AccessPolicyAssociation";
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
    description: `Only ${CLUSTER_ADMIN_POLICY} (the named platform admins) is associated cluster-wide; every other access policy is namespace-scoped.`,
    appliesTo: ofTypes(ACCESS_POLICY_ASSOCIATION),
    inspect: (r) => {
        const props = r.props as AccessPolicyAssociationProps;
        const scope = isRecord(props.accessScope) ? props.accessScope.type : undefined;
        if (scope === "namespace") return [];
        const policy = policyName(props.policyArn);
        if (scope === "cluster" && policy === CLUSTER_ADMIN_POLICY) return [];
        const who = nonEmptyString(props.principalArn) ? props.principalArn : "an unnamed principal";
        const where = scope === "cluster" ? "cluster-wide" : `with access scope ${scope ?? "unset"}`;
        return [{ check: "CIS 4.1.1", message: `access policy association ${r.name} grants ${policy} ${where} to ${who}; only ${CLUSTER_ADMIN_POLICY} may be cluster-scoped, other access must be limited to namespaces` }];
    },
};

export const accessChecks: SecurityCheck[] = [eksAccessScope];

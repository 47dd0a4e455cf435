import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AwsContext } from "../shared/aws-context";
import { AccessLevel, NamespaceAccess } from "./types";

export const ACCESS_POLICIES: Record<AccessLevel | "admin", string> = {
    admin: "AmazonEKSClusterAdminPolicy",
    edit: "AmazonEKSEditPolicy",
    view: "AmazonEKSViewPolicy",
};

/** `role/<name>` / `user/<name>` shorthand → full ARN in the deploying account; full ARNs pass through. */
export function principalArn(ctx: AwsContext, principal: string): pulumi.Output<string> {
    return principal.startsWith("arn:")
        ? pulumi.output(principal)
        : pulumi.interpolate`arn:${ctx.partition}:iam::${ctx.accountId}:${principal}`;
}

/** A stable, readable logical name for a principal: its last path segment. */
function principalLabel(principal: string): string {
    return principal.split("/").pop()!.replace(/[^A-Za-z0-9-]/g, "-").toLowerCase();
}

/** The access policy and scope each configured principal gets: what CI's deploy role may associate, and nothing else. */
export function configuredAccessGrants(ctx: AwsContext, adminPrincipals: string[], namespaceAccess: NamespaceAccess[]) {
    return [
        ...adminPrincipals.map((p) => ({ principalArn: principalArn(ctx, p), policy: ACCESS_POLICIES.admin })),
        ...namespaceAccess.map((a) => ({ principalArn: principalArn(ctx, a.principal), policy: ACCESS_POLICIES[a.level], namespaces: a.namespaces })),
    ];
}

/** A role this program creates itself (e.g. CI's), granted access by ARN. */
export interface RoleGrant {
    /** Logical-name label, e.g. `ci-deploy`. */
    label: string;
    roleArn: pulumi.Input<string>;
    /** Kubernetes groups the role's access entry also carries (in-cluster RBAC binds them), e.g. CI's refresh readers. */
    kubernetesGroups?: string[];
}

export interface AccessEntriesArgs {
    clusterName: pulumi.Input<string>;
    adminPrincipals: string[];
    namespaceAccess: NamespaceAccess[];
    /** Further cluster-admins, by ARN. */
    adminRoles?: RoleGrant[];
    /** Cluster-wide read-only (AmazonEKSViewPolicy: no Secrets), by ARN. */
    viewerRoles?: RoleGrant[];
    aws: AwsContext;
}

/**
 * One access entry per principal: cluster-admin for the platform admins, view/edit limited to
 * named namespaces for everyone else (CIS 4.1.1). Returns the admin entries' associations, which
 * in-cluster resources wait for.
 */
export function createAccessEntries(args: AccessEntriesArgs, parent: pulumi.Resource): aws.eks.AccessPolicyAssociation[] {
    const grants: { label: string; arn: pulumi.Input<string>; level: AccessLevel | "admin"; namespaces?: string[]; kubernetesGroups?: string[] }[] = [
        ...args.adminPrincipals.map((p) => ({ label: principalLabel(p), arn: principalArn(args.aws, p), level: "admin" as const })),
        ...args.namespaceAccess.map((a) => ({ ...a, label: principalLabel(a.principal), arn: principalArn(args.aws, a.principal) })),
        ...(args.adminRoles ?? []).map((r) => ({ label: r.label, arn: r.roleArn, level: "admin" as const })),
        ...(args.viewerRoles ?? []).map((r) => ({ label: r.label, arn: r.roleArn, level: "view" as const, kubernetesGroups: r.kubernetesGroups })),
    ];
    const admin: aws.eks.AccessPolicyAssociation[] = [];
    for (const grant of grants) {
        const label = `${grant.level}-${grant.label}`;
        const arn = grant.arn;
        const groups = grant.kubernetesGroups?.length ? { kubernetesGroups: grant.kubernetesGroups } : {};
        const entry = new aws.eks.AccessEntry(label, { clusterName: args.clusterName, principalArn: arn, type: "STANDARD", ...groups }, { parent });
        const association = new aws.eks.AccessPolicyAssociation(
            label,
            {
                clusterName: args.clusterName,
                principalArn: entry.principalArn,
                policyArn: pulumi.interpolate`arn:${args.aws.partition}:eks::aws:cluster-access-policy/${ACCESS_POLICIES[grant.level]}`,
                accessScope: grant.namespaces ? { type: "namespace", namespaces: grant.namespaces } : { type: "cluster" },
            },
            { parent },
        );
        if (grant.level === "admin") admin.push(association);
    }
    return admin;
}

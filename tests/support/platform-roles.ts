import { AWS_MANAGED_POLICIES, AwsManagedPolicyName } from "../../components/shared/aws-managed-policies";
import { StackGraph } from "../../tooling/offline/harness";

/** A role the platform creates under a boundary, with every policy document it holds. */
export interface PlatformRole {
    name: string;
    trust: any;
    boundaryArn: string;
    /** Inline, attached customer-managed and attached AWS-managed documents, each with where it comes from. */
    documents: { where: string; doc: any }[];
}

const ROLE = "aws:iam/role:Role";
/** The mocks give a role the id `<name>-<8 hex>`; policies name their role by name or by id. */
const isRole = (value: unknown, role: string) => value === role || new RegExp(`^${role.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}-[0-9a-f]{8}$`).test(String(value));

/**
 * A document as AWS would hold it: the mocks name an auto-named role by its logical name; AWS appends a
 * suffix (`<name>-<7 characters>`), which the boundaries' patterns (Karpenter's node role) count on.
 */
export const asDeployed = (doc: any): any => JSON.parse(JSON.stringify(doc).replace(/(:role\/[\w+=,.@-]*karpenter-nodes)"/g, '$1-1a2b3c4"'));

/**
 * Every role of the graph that carries a permissions boundary, with its documents. An attached AWS-managed
 * policy must be one of shared/aws-managed-policies.ts (the program attaches none other): its document
 * is the one AWS publishes, which the boundary must leave usable.
 */
export function platformRoles(g: StackGraph): PlatformRole[] {
    const policies = new Map(g.ofType("aws:iam/policy:Policy").map((p) => [String(p.inputs.name ?? p.name), JSON.parse(p.inputs.policy)]));
    return g
        .ofType(ROLE)
        .filter((r) => r.inputs.permissionsBoundary)
        .map((r) => {
            const inline = g.ofType("aws:iam/rolePolicy:RolePolicy").filter((p) => isRole(p.inputs.role, r.name)).map((p) => ({ where: p.name, doc: JSON.parse(p.inputs.policy) }));
            const attached = g
                .ofType("aws:iam/rolePolicyAttachment:RolePolicyAttachment")
                .filter((a) => isRole(a.inputs.role, r.name))
                .map((a) => {
                    const arn = String(a.inputs.policyArn);
                    const name = arn.split("/").pop()!;
                    if (arn.includes(":iam::aws:policy/")) {
                        const managed = AWS_MANAGED_POLICIES[name as AwsManagedPolicyName];
                        if (!managed) throw new Error(`${r.name} has ${arn} attached, which shared/aws-managed-policies.ts does not hold`);
                        return { where: `${name} ${managed.version}`, doc: managed.document };
                    }
                    if (!policies.has(name)) throw new Error(`${r.name} has ${arn} attached, which the graph does not create`);
                    return { where: a.name, doc: policies.get(name) };
                });
            const documents = [...inline, ...attached].map((d) => ({ ...d, doc: asDeployed(d.doc) }));
            return { name: r.name, trust: JSON.parse(r.inputs.assumeRolePolicy), boundaryArn: String(r.inputs.permissionsBoundary), documents };
        });
}

import { StackGraph } from "../../tooling/offline/harness";

/** Logical names of the deploy role's managed policies: `<component>-deploy-iam`, `-services`, `-services-2`, … */
export const deployPolicyName = (component: string) => new RegExp(`^${component}-deploy-(iam|services)(-\\d+)?$`);

/** Every managed policy the CiAccess component attaches to the deploy role, parsed, in registration order. */
export function deployPolicyDocuments(g: Pick<StackGraph, "ofType">, component = "ci-access"): any[] {
    const docs = g.ofType("aws:iam/policy:Policy").filter((r) => deployPolicyName(component).test(r.name)).map((r) => JSON.parse(r.inputs.policy));
    if (docs.length < 2) throw new Error(`deployPolicyDocuments: expected the ${component} deploy role's IAM and services policies, found ${docs.length}`);
    return docs;
}

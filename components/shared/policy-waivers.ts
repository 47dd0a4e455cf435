import * as pulumi from "@pulumi/pulumi";

export const POLICY_WAIVERS_TYPE = "eks-platform:policy:Waivers";

/**
 * Carries the stack's waived security checks (`policyWaivers` config: check id → reason) into the
 * resource graph, where the policy pack's stack policies read them: a waiver lives in stack config,
 * with its reason, and shows up in every preview.
 */
export class PolicyWaivers extends pulumi.ComponentResource {
    constructor(name: string, waivers: Record<string, string>, opts?: pulumi.ComponentResourceOptions) {
        super(POLICY_WAIVERS_TYPE, name, { waivers }, opts);
        this.registerOutputs({ waivers });
    }
}

import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { PreflightInput, PreflightResult, evaluate, lookupRequest } from "./checks";
import { lookUpAccount } from "./lookups";

export { PreflightInput, PreflightResult };

/** Stops `pulumi preview`/`up` cleanly (no stack trace) with every account problem found, before anything is created. */
export class PreflightError extends pulumi.RunError {
    constructor(readonly problems: string[]) {
        super(`Preflight found ${problems.length} problem(s) in the target account; nothing was created:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
        this.name = "PreflightError";
    }
}

/**
 * Reads the account through the stack's provider (read-only look-ups, run during preview too) and checks
 * what would otherwise fail only after the cluster exists: region, principals, instance offerings,
 * Kubernetes version, the Spot service-linked role, an existing GitHub OIDC provider, taken ECR names.
 */
export async function preflight(input: PreflightInput, provider: aws.Provider): Promise<PreflightResult> {
    const facts = await lookUpAccount(lookupRequest(input), provider);
    const result = evaluate(input, facts);
    for (const warning of result.warnings) pulumi.log.warn(warning);
    if (result.problems.length > 0) throw new PreflightError(result.problems);
    return result;
}

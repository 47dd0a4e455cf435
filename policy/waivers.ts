import { PolicyResource } from "@pulumi/policy";
import { orWhenUnknown } from "./unknowns";
import { isRecord, nonEmptyString } from "./values";

/** Type of the component the program registers with the stack's `policyWaivers` (components/shared/policy-waivers.ts). */
export const WAIVERS_TYPE = "eks-platform:policy:Waivers";

/**
 * Key a waiver uses for a checklist id. Config keys allow no spaces, so `CIS 4.1.7` is waived as
 * `CIS_4.1.7` and `BP iam` as `BP_iam`; `CKV_AWS_38` stays as it is.
 */
export function waiverKey(checkId: string): string {
    return checkId.trim().replace(/\s+/g, "_");
}

/** Check id (waiver key) → reason, from every Waivers resource in the stack; a waiver without a reason waives nothing. */
export function readWaivers(resources: readonly PolicyResource[]): Map<string, string> {
    const waivers = new Map<string, string>();
    for (const r of resources) {
        if (r.type !== WAIVERS_TYPE) continue;
        const entries = orWhenUnknown(() => (isRecord(r.props.waivers) ? Object.entries(r.props.waivers) : []), []);
        for (const [id, reason] of entries) if (nonEmptyString(reason)) waivers.set(waiverKey(id), reason);
    }
    return waivers;
}

import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { StackFacts, stackFacts } from "./stack";
import { isUnknownValueError } from "./unknowns";
import { waiverKey } from "./waivers";

/** One violated checklist id on one resource. */
export interface Issue {
    /** Checklist id, e.g. `CKV_AWS_38`, `CIS 5.4.3`, `BP iam`. */
    check: string;
    message: string;
}

export interface CheckContext {
    facts: StackFacts;
    /** Every resource of the stack, for checks that relate resources (node group → cluster, subnets). */
    resources: readonly PolicyResource[];
}

/** A security check over the resources of some types; `stackPolicy` turns it into a Pulumi policy. */
export interface SecurityCheck {
    /** Policy name, unique in the pack. */
    name: string;
    /** Checklist ids this policy enforces; every issue names one of them. */
    checks: string[];
    /** What must hold (the policy's description is the ids followed by this). */
    description: string;
    /** Whether a resource type is inspected. */
    appliesTo(type: string): boolean;
    inspect(resource: PolicyResource, ctx: CheckContext): Issue[];
    /** Checks a waiver cannot switch off in prod (the program itself refuses them there). */
    unwaivableInProd?: string[];
}

export function ofTypes(...types: string[]): (type: string) => boolean {
    return (type) => types.includes(type);
}

/** Whether the stack waives `check` (never for the check's prod-unwaivable ids in prod). */
export function isWaived(check: SecurityCheck, id: string, facts: StackFacts): boolean {
    if (facts.isProd && check.unwaivableInProd?.includes(id)) return false;
    return facts.waivers.has(waiverKey(id));
}

/**
 * A mandatory stack policy: stack policies see every resource, including the Waivers component,
 * so waivers live in stack config and show up in the graph. A value unknown during preview skips
 * only the resource that holds it; the rest are still checked, then the unknown is re-thrown so
 * the engine reports that the policy could not fully run.
 */
export function stackPolicy(check: SecurityCheck): StackValidationPolicy {
    return {
        name: check.name,
        description: `${check.checks.join(", ")}: ${check.description}`,
        enforcementLevel: "mandatory",
        validateStack: (args, reportViolation) => {
            const ctx: CheckContext = { facts: stackFacts(args.resources), resources: args.resources };
            let unknown: unknown;
            for (const resource of args.resources) {
                if (!check.appliesTo(resource.type)) continue;
                let issues: Issue[];
                try {
                    issues = check.inspect(resource, ctx);
                } catch (err) {
                    if (!isUnknownValueError(err)) throw err;
                    unknown = unknown ?? err;
                    continue;
                }
                for (const issue of issues) {
                    if (!isWaived(check, issue.check, ctx.facts)) reportViolation(`${issue.check}: ${issue.message}`, resource.urn);
                }
            }
            if (unknown !== undefined) throw unknown;
        },
    };
}

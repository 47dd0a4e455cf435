import { Issue, SecurityCheck, ofTypes } from "./check";
import { Statement, actionsOf, parseDocument, principalsOf } from "./documents";
import { isRecord } from "./values";

const KMS_KEY = "aws:kms/key:Key";
/** Actions that destroy a key's data or can lock everyone out of the key. */
const GUARDED = ["kms:ScheduleKeyDeletion", "kms:DisableKey", "kms:PutKeyPolicy"];
/** Operators that exempt named principals from a Deny (and nothing else). */
const EXEMPTING = ["arnnotequals", "arnnotlike", "stringnotequals", "stringnotlike"];

/**
 * A Deny of `action` to everyone, at most exempting principals by `aws:PrincipalArn`: any other
 * condition (a tag, a source IP) would let ordinary principals past the guard.
 */
function guards(s: Statement, action: string): boolean {
    if (s.Effect !== "Deny" || !principalsOf(s.Principal).anyone) return false;
    const actions = actionsOf(s);
    if (!actions.includes(action.toLowerCase()) && !actions.includes("kms:*") && !actions.includes("*")) return false;
    if (s.Condition === undefined) return true;
    if (!isRecord(s.Condition)) return false;
    return Object.entries(s.Condition).every(
        ([operator, block]) =>
            EXEMPTING.includes(operator.toLowerCase()) && isRecord(block) && Object.keys(block).every((k) => k.toLowerCase() === "aws:principalarn"),
    );
}

export const kmsKeyGuard: SecurityCheck = {
    name: "kms-key-guard",
    checks: ["BP kms guard"],
    description:
        "KMS key policies deny kms:ScheduleKeyDeletion, kms:DisableKey and kms:PutKeyPolicy to everyone except principals named by aws:PrincipalArn (break-glass, the deployers).",
    appliesTo: ofTypes(KMS_KEY),
    inspect: (r) => {
        const document = parseDocument(r.props.policy);
        // No or unreadable policy: kms-key-policy reports it.
        if (!document || !document.ok) return [];
        const missing = GUARDED.filter((action) => !document.statements.some((s) => guards(s, action)));
        return missing.length === 0
            ? []
            : [{ check: "BP kms guard", message: `KMS key ${r.name} policy does not deny ${missing.join(", ")} to every principal but those named by aws:PrincipalArn` } satisfies Issue];
    },
};

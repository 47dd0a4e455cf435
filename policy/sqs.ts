import { Issue, SecurityCheck, ofTypes } from "./check";
import { Statement, actionsOf, isAllow, parseDocument, principalsOf, statementLabel } from "./documents";
import { isRecord, list, nonEmptyString } from "./values";

const QUEUE = "aws:sqs/queue:Queue";
const QUEUE_POLICY = "aws:sqs/queuePolicy:QueuePolicy";
/** The services that deliver EventBridge events to a queue. */
const SENDERS = ["events.amazonaws.com", "sqs.amazonaws.com"];

export const sqsEncryption: SecurityCheck = {
    name: "sqs-encryption",
    checks: ["CKV_AWS_27"],
    description: "SQS queues are encrypted at rest: sqsManagedSseEnabled true or a kmsMasterKeyId.",
    appliesTo: ofTypes(QUEUE),
    inspect: (r) =>
        r.props.sqsManagedSseEnabled === true || nonEmptyString(r.props.kmsMasterKeyId)
            ? []
            : [{ check: "CKV_AWS_27", message: `SQS queue ${r.name} is not encrypted (set sqsManagedSseEnabled true or kmsMasterKeyId)` }],
};

/** `Deny` of every queue action to everyone when the request is not TLS. */
function isTlsOnlyDeny(s: Statement): boolean {
    const actions = actionsOf(s);
    const bool = isRecord(s.Condition) && isRecord(s.Condition.Bool) ? s.Condition.Bool["aws:SecureTransport"] : undefined;
    return s.Effect === "Deny" && principalsOf(s.Principal).anyone && (actions.includes("sqs:*") || actions.includes("*")) && String(bool) === "false";
}

export const sqsQueuePolicy: SecurityCheck = {
    name: "sqs-queue-policy",
    checks: ["CKV_AWS_168", "CKV_AWS_72"],
    description:
        "Queue policies allow only events.amazonaws.com / sqs.amazonaws.com, and only sqs:SendMessage (CKV_AWS_168), and deny sqs:* to everyone when aws:SecureTransport is false (CKV_AWS_72).",
    appliesTo: ofTypes(QUEUE_POLICY),
    inspect: (r) => {
        const document = parseDocument(r.props.policy);
        if (!document || !document.ok) {
            return [{ check: "CKV_AWS_168", message: `queue policy ${r.name} is ${document ? document.reason : "missing"}, so who may send cannot be verified` }];
        }
        const issues: Issue[] = [];
        document.statements.forEach((s, i) => {
            if (!isAllow(s)) return;
            const label = `queue policy ${r.name} ${statementLabel(s, i)}`;
            const p = principalsOf(s.Principal);
            const others = [...(p.anyone ? ["*"] : []), ...p.aws, ...p.federated, ...p.service.filter((x) => !SENDERS.includes(x))];
            if (others.length > 0 || s.NotPrincipal !== undefined) issues.push({ check: "CKV_AWS_168", message: `${label} allows ${others.join(", ") || "NotPrincipal"}; only ${SENDERS.join(" and ")} may send` });
            const extra = list(s.Action).filter((a) => String(a).toLowerCase() !== "sqs:sendmessage");
            if (extra.length > 0 || s.NotAction !== undefined) issues.push({ check: "CKV_AWS_168", message: `${label} allows ${extra.join(", ") || "NotAction"} besides sqs:SendMessage` });
        });
        if (!document.statements.some(isTlsOnlyDeny)) {
            issues.push({ check: "CKV_AWS_72", message: `queue policy ${r.name} has no statement denying sqs:* to "*" when aws:SecureTransport is false` });
        }
        return issues;
    },
};

export const sqsChecks: SecurityCheck[] = [sqsEncryption, sqsQueuePolicy];

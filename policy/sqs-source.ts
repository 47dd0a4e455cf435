import { SecurityCheck, ofTypes } from "./check";
import { conditionKeys, isAllow, parseDocument, principalsOf, statementLabel } from "./documents";

const QUEUE_POLICY = "aws:sqs/queuePolicy:QueuePolicy";
const SOURCE_KEYS = ["aws:sourcearn", "aws:sourceaccount"];

export const sqsQueueSource: SecurityCheck = {
    name: "sqs-queue-source",
    checks: ["BP queue source"],
    description:
        "Queue policies let a service send only for named sources: every Allow to a service principal conditions aws:SourceArn and aws:SourceAccount, so another account's rule cannot use the service as a confused deputy.",
    appliesTo: ofTypes(QUEUE_POLICY),
    inspect: (r) => {
        const document = parseDocument(r.props.policy);
        // Missing or unreadable: sqs-queue-policy reports it.
        if (!document || !document.ok) return [];
        return document.statements.flatMap((s, i) => {
            if (!isAllow(s) || principalsOf(s.Principal).service.length === 0) return [];
            const keys = conditionKeys(s);
            const missing = SOURCE_KEYS.filter((k) => !keys.includes(k));
            return missing.length === 0
                ? []
                : [{ check: "BP queue source", message: `queue policy ${r.name} ${statementLabel(s, i)} lets services send without ${missing.map((k) => (k === "aws:sourcearn" ? "aws:SourceArn" : "aws:SourceAccount")).join(" and ")}` }];
        });
    },
};

import { eventsSend, FixtureCase, queuePolicy, tlsDeny } from "../../support/policy-builders";
import { aws } from "../../support/policy-fixtures";

/** Hand-built stacks the SQS policies must (or must not) report on. */
export const sqsCases: FixtureCase[] = [
    // SQS
    {
        policy: "sqs-encryption",
        title: "an unencrypted queue beside one with a KMS key",
        resources: [aws("aws:sqs/queue:Queue", "plain", { name: "plain" }), aws("aws:sqs/queue:Queue", "kms", { name: "kms", kmsMasterKeyId: "alias/queues" })],
        expected: [["plain", "CKV_AWS_27: SQS queue plain is not encrypted (set sqsManagedSseEnabled true or kmsMasterKeyId)"]],
    },
    {
        policy: "sqs-queue-policy",
        title: "a queue anyone may send to",
        resources: [queuePolicy("public-send", { ...eventsSend, Principal: "*" }, tlsDeny)],
        expected: [["public-send", "CKV_AWS_168: queue policy public-send statement #1 allows *; only events.amazonaws.com and sqs.amazonaws.com may send"]],
    },
    {
        policy: "sqs-queue-policy",
        title: "EventBridge allowed every queue action",
        resources: [queuePolicy("all-actions", { ...eventsSend, Action: ["sqs:SendMessage", "sqs:*"] }, tlsDeny)],
        expected: [["all-actions", "CKV_AWS_168: queue policy all-actions statement #1 allows sqs:* besides sqs:SendMessage"]],
    },
    {
        policy: "sqs-queue-policy",
        title: "a queue policy without the TLS-only deny",
        resources: [queuePolicy("plaintext", eventsSend)],
        expected: [["plaintext", 'CKV_AWS_72: queue policy plaintext has no statement denying sqs:* to "*" when aws:SecureTransport is false']],
    },
    {
        policy: "sqs-queue-source",
        title: "EventBridge may send for any rule, or any rule of one account",
        resources: [
            queuePolicy("any-source", eventsSend, tlsDeny),
            queuePolicy("account-only", { ...eventsSend, Condition: { StringEquals: { "aws:SourceAccount": "111122223333" } } }, tlsDeny),
        ],
        expected: [
            ["any-source", "BP queue source: queue policy any-source statement #1 lets services send without aws:SourceArn and aws:SourceAccount"],
            ["account-only", "BP queue source: queue policy account-only statement #1 lets services send without aws:SourceArn"],
        ],
    },
    {
        policy: "sqs-queue-source",
        title: "EventBridge sends only for the stack's rules in its account",
        resources: [queuePolicy("rules", { ...eventsSend, Condition: { ArnEquals: { "aws:SourceArn": ["arn:aws:events:us-west-2:111122223333:rule/r"] }, StringEquals: { "aws:SourceAccount": "111122223333" } } }, tlsDeny)],
        expected: [],
    },
];

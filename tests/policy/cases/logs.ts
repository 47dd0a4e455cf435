import { FixtureCase, logGroup } from "../../support/policy-builders";

/** Hand-built stacks the logs policies must (or must not) report on. */
export const logsCases: FixtureCase[] = [
    // Logs
    {
        policy: "log-group-retention",
        title: "a log group kept forever",
        resources: [logGroup("forever", { kmsKeyId: "arn:aws:kms:us-west-2:111122223333:key/logs" })],
        expected: [["forever", "CKV_AWS_66: log group forever sets no retentionInDays"]],
    },
    {
        policy: "log-group-retention",
        title: "a month of logs in prod",
        environment: "prod",
        resources: [logGroup("short", { retentionInDays: 30, kmsKeyId: "arn:aws:kms:us-west-2:111122223333:key/logs" })],
        expected: [["short", "CKV_AWS_338: log group short keeps logs 30 days; prod needs at least 365"]],
    },
    {
        policy: "log-group-retention",
        title: "a month of logs in dev",
        resources: [logGroup("short", { retentionInDays: 30, kmsKeyId: "arn:aws:kms:us-west-2:111122223333:key/logs" })],
        expected: [],
    },
    {
        policy: "log-group-kms",
        title: "a log group without a KMS key",
        resources: [logGroup("plain", { retentionInDays: 30 })],
        expected: [["plain", "CKV_AWS_158: log group plain has no kmsKeyId"]],
    },
];

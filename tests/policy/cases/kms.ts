import { FixtureCase, kmsKey, rootAdmin } from "../../support/policy-builders";
import { doc } from "../../support/policy-fixtures";

/** Hand-built stacks the KMS policies must (or must not) report on. */
export const kmsCases: FixtureCase[] = [
    // KMS
    {
        policy: "kms-key-rotation",
        title: "a key that never rotates",
        resources: [kmsKey("static", { enableKeyRotation: false })],
        expected: [["static", "CKV_AWS_7: KMS key static does not rotate (enableKeyRotation must be true)"]],
    },
    {
        policy: "kms-key-policy",
        title: "a key on AWS's default policy, and one open to everyone",
        resources: [
            kmsKey("default-policy", { policy: undefined }),
            kmsKey("public", { policy: doc(rootAdmin, { Effect: "Allow", Principal: { AWS: "*" }, Action: "kms:Decrypt", Resource: "*" }) }),
        ],
        expected: [
            ["default-policy", "CKV2_AWS_64: KMS key default-policy has no explicit key policy"],
            ["public", 'CKV_AWS_33: KMS key public policy statement #2 allows principal "*" without a condition'],
        ],
    },
    {
        policy: "kms-key-policy",
        title: "principal \"*\" limited by a condition",
        resources: [kmsKey("callers", { policy: doc(rootAdmin, { Effect: "Allow", Principal: "*", Action: "kms:Decrypt", Resource: "*", Condition: { StringEquals: { "kms:CallerAccount": "111122223333" } } }) })],
        expected: [],
    },
    {
        policy: "kms-key-enabled",
        title: "a disabled key that skipped the lockout check",
        resources: [kmsKey("off", { isEnabled: false, bypassPolicyLockoutSafetyCheck: true })],
        expected: [
            ["off", "CKV_AWS_227: KMS key off is disabled (isEnabled false)"],
            ["off", "CKV_AWS_227: KMS key off bypasses the policy-lockout safety check"],
        ],
    },
    {
        policy: "kms-key-guard",
        title: "a key without the guard, and one whose deny a tag condition lifts",
        resources: [
            kmsKey("unguarded"),
            kmsKey("tag-exempt", {
                policy: doc(rootAdmin, {
                    Effect: "Deny",
                    Principal: { AWS: "*" },
                    Action: ["kms:ScheduleKeyDeletion", "kms:DisableKey", "kms:PutKeyPolicy"],
                    Resource: "*",
                    Condition: { StringNotEquals: { "aws:PrincipalTag/team": "platform" } },
                }),
            }),
        ],
        expected: [
            ["unguarded", "BP kms guard: KMS key unguarded policy does not deny kms:ScheduleKeyDeletion, kms:DisableKey, kms:PutKeyPolicy to every principal but those named by aws:PrincipalArn"],
            ["tag-exempt", "BP kms guard: KMS key tag-exempt policy does not deny kms:ScheduleKeyDeletion, kms:DisableKey, kms:PutKeyPolicy to every principal but those named by aws:PrincipalArn"],
        ],
    },
    {
        policy: "kms-key-guard",
        title: "deletion guarded for all but break-glass, policy changes also for the deployer",
        resources: [
            kmsKey("guarded", {
                policy: doc(
                    rootAdmin,
                    { Effect: "Deny", Principal: { AWS: "*" }, Action: ["kms:ScheduleKeyDeletion", "kms:DisableKey"], Resource: "*", Condition: { ArnNotEquals: { "aws:PrincipalArn": ["arn:aws:iam::111122223333:role/break-glass"] } } },
                    { Effect: "Deny", Principal: "*", Action: "kms:PutKeyPolicy", Resource: "*", Condition: { ArnNotEquals: { "aws:PrincipalArn": ["arn:aws:iam::111122223333:role/break-glass", "arn:aws:iam::111122223333:role/deploy"] } } },
                ),
            }),
        ],
        expected: [],
    },
];

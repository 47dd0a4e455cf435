import { Issue, SecurityCheck, ofTypes } from "./check";
import { hasCondition, isAllow, parseDocument, principalsOf, statementLabel } from "./documents";
import { isFalse, isTrue } from "./values";

const KMS_KEY = "aws:kms/key:Key";

interface KeyProps {
    enableKeyRotation?: boolean;
    policy?: string;
    isEnabled?: boolean;
    bypassPolicyLockoutSafetyCheck?: boolean;
}

const key = (props: Record<string, unknown>) => props as KeyProps;

export const kmsKeyRotation: SecurityCheck = {
    name: "kms-key-rotation",
    checks: ["CKV_AWS_7"],
    description: "Customer-managed KMS keys rotate yearly (enableKeyRotation true).",
    appliesTo: ofTypes(KMS_KEY),
    inspect: (r) => (isTrue(key(r.props).enableKeyRotation) ? [] : [{ check: "CKV_AWS_7", message: `KMS key ${r.name} does not rotate (enableKeyRotation must be true)` }]),
};

export const kmsKeyPolicy: SecurityCheck = {
    name: "kms-key-policy",
    checks: ["CKV_AWS_33", "CKV2_AWS_64"],
    description:
        "KMS keys carry an explicit key policy (CKV2_AWS_64; AWS's default gives the account root kms:*) that allows no principal \"*\" without a condition (CKV_AWS_33).",
    appliesTo: ofTypes(KMS_KEY),
    inspect: (r) => {
        const document = parseDocument(key(r.props).policy);
        if (!document) return [{ check: "CKV2_AWS_64", message: `KMS key ${r.name} has no explicit key policy` }];
        if (!document.ok) return [{ check: "CKV2_AWS_64", message: `KMS key ${r.name} has a key policy that is ${document.reason}` }];
        return document.statements.flatMap((s, i): Issue[] =>
            isAllow(s) && principalsOf(s.Principal).anyone && !hasCondition(s)
                ? [{ check: "CKV_AWS_33", message: `KMS key ${r.name} policy ${statementLabel(s, i)} allows principal "*" without a condition` }]
                : [],
        );
    },
};

export const kmsKeyEnabled: SecurityCheck = {
    name: "kms-key-enabled",
    checks: ["CKV_AWS_227"],
    description: "KMS keys are enabled and never skip the policy-lockout safety check (bypassPolicyLockoutSafetyCheck not true).",
    appliesTo: ofTypes(KMS_KEY),
    inspect: (r) => {
        const props = key(r.props);
        const issues: Issue[] = [];
        if (isFalse(props.isEnabled)) issues.push({ check: "CKV_AWS_227", message: `KMS key ${r.name} is disabled (isEnabled false)` });
        if (isTrue(props.bypassPolicyLockoutSafetyCheck)) issues.push({ check: "CKV_AWS_227", message: `KMS key ${r.name} bypasses the policy-lockout safety check` });
        return issues;
    },
};

export const kmsChecks: SecurityCheck[] = [kmsKeyRotation, kmsKeyPolicy, kmsKeyEnabled];

import { Issue, SecurityCheck, ofTypes } from "./check";
import { IDENTITY_POLICY_HOLDERS, Statement, conditionTests, grants, identityDocumentsOf, restricts, statementLabel } from "./documents";
import { list } from "./values";

/** Reads of secret values and metadata, which must stay within an environment's prefixes. */
const SECRET_READS = ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"];
/** `arn:<partition>:secretsmanager:<region>:<account>:secret:<prefix>/*`, the prefix free of wildcards. */
const PREFIX_ARN = /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[^*?]+\/\*$/;
/** One named secret: its name free of wildcards, then the `-` and six characters Secrets Manager appends. */
const ONE_SECRET_ARN = /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[^*?]+-\?{6}$/;
const ALLOWED_READS = "only secret ARNs under a prefix (secret:<prefix>/*) or of one named secret (secret:<name>-??????) are allowed";
/** `arn:<partition>:kms:<region>:<account>:key/<key id>`: one key, not an alias or a wildcard. */
const KEY_ARN = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[^*?]+$/;

function readIssues(s: Statement, label: string): Issue[] {
    const actions = SECRET_READS.filter((a) => grants(s, a));
    if (actions.length === 0) return [];
    if (s.NotResource !== undefined) return [{ check: "ESO", message: `${label} allows ${actions.join(", ")} with NotResource, i.e. on every secret not listed` }];
    const resources = list(s.Resource).map(String);
    const wide = resources.length === 0 ? ["no resource"] : resources.filter((arn) => !PREFIX_ARN.test(arn) && !ONE_SECRET_ARN.test(arn));
    return wide.length === 0
        ? []
        : [{ check: "ESO", message: `${label} allows ${actions.join(", ")} on ${wide.join(", ")}; ${ALLOWED_READS}` }];
}

function decryptIssues(s: Statement, label: string): Issue[] {
    if (!grants(s, "kms:Decrypt")) return [];
    const issues: Issue[] = [];
    const keys = list(s.Resource).map(String);
    const wide = s.NotResource !== undefined ? ["NotResource"] : keys.length === 0 ? ["no resource"] : keys.filter((arn) => !KEY_ARN.test(arn));
    if (wide.length > 0) issues.push({ check: "ESO", message: `${label} allows kms:Decrypt on ${wide.join(", ")}; only the secrets' key ARN (key/<id>) is allowed` });
    if (!conditionTests(s).some((t) => t.key === "kms:viaservice" && restricts(t))) {
        issues.push({ check: "ESO", message: `${label} allows kms:Decrypt without a kms:ViaService condition (decrypt only through Secrets Manager)` });
    }
    return issues;
}

/**
 * What External Secrets (or anything reading Secrets Manager) may read: whole prefixes such as
 * `dev/*` or one named secret (the GitOps repository's credentials), never every secret, and the key behind them only through Secrets Manager. The rule
 * applies to every identity policy that reads secret values, so a second reader is held to it too;
 * kms:Decrypt is judged only in documents that read secrets (the EKS control plane's own
 * envelope-encryption grant lives elsewhere).
 */
export const externalSecretsScoping: SecurityCheck = {
    name: "external-secrets-scoping",
    checks: ["ESO"],
    description:
        "An identity policy that allows secretsmanager:GetSecretValue or DescribeSecret lists only secret ARNs under a prefix (secret:<prefix>/*) or of one named secret (secret:<name>-??????), never secret:* or *, and its kms:Decrypt is on key ARNs (never *) with a kms:ViaService condition.",
    appliesTo: ofTypes(...IDENTITY_POLICY_HOLDERS),
    inspect: (r) => {
        const issues: Issue[] = [];
        for (const { field, document } of identityDocumentsOf(r.type, r.props)) {
            if (!document.ok) continue; // iam-no-admin-actions reports documents it cannot read
            const readsSecrets = document.statements.some((s) => SECRET_READS.some((a) => grants(s, a)));
            if (!readsSecrets) continue;
            document.statements.forEach((s, i) => {
                const label = `${r.type.split(":").pop()} ${r.name}.${field} ${statementLabel(s, i)}`;
                issues.push(...readIssues(s, label), ...decryptIssues(s, label));
            });
        }
        return issues;
    },
};

export const externalSecretsChecks: SecurityCheck[] = [externalSecretsScoping];

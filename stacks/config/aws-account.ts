import type * as aws from "@pulumi/aws";

/** The `aws:` stack settings the explicit provider takes over (an explicit provider reads no stack config itself). */
export interface AwsAccountSettings {
    /** `aws:profile`: named profile of the shared config files. */
    profile?: string;
    /** `aws:allowedAccountIds`: the provider refuses credentials of any other account, before anything changes. */
    allowedAccountIds: string[];
    /** `aws:forbiddenAccountIds`: the provider refuses credentials of these accounts. */
    forbiddenAccountIds: string[];
    /** `aws:assumeRoles`: roles assumed in order (e.g. a deploy role in the target account). */
    assumeRoles: aws.types.input.ProviderAssumeRole[];
}

const ACCOUNT_ID = /^\d{12}$/;
const ROLE_ARN = /^arn:aws(-cn|-us-gov)?:iam::\d{12}:role\/[\w+=,.@\/-]+$/;
const ASSUME_ROLE_FIELDS = ["roleArn", "sessionName", "externalId", "duration", "policy", "policyArns", "sourceIdentity", "tags", "transitiveTagKeys"];

/**
 * Reads the `aws:` settings from raw engine config (scalars as text, lists as JSON). Returns the problems
 * instead of throwing, so they join the config's own list; each names the key, the value and the allowed form.
 */
export function readAwsAccountSettings(values: Record<string, string>): { settings: AwsAccountSettings; problems: string[] } {
    const problems: string[] = [];
    const reject = (key: string, value: unknown, allowed: string) => problems.push(`${key}: got ${JSON.stringify(value)}; allowed: ${allowed}`);
    const list = (key: string): unknown[] => {
        const text = values[key];
        if (text === undefined) return [];
        try {
            const parsed = JSON.parse(text);
            if (Array.isArray(parsed)) return parsed;
        } catch {
            /* reported below */
        }
        reject(key, text, "a YAML list");
        return [];
    };

    const accountIds = (key: string) =>
        list(key).map(String).filter((id) => {
            if (ACCOUNT_ID.test(id)) return true;
            reject(key, id, "12-digit AWS account ids (quote them in YAML so leading zeros survive)");
            return false;
        });
    const allowedAccountIds = accountIds("aws:allowedAccountIds");
    const forbiddenAccountIds = accountIds("aws:forbiddenAccountIds");
    const both = allowedAccountIds.find((id) => forbiddenAccountIds.includes(id));
    if (both) reject("aws:forbiddenAccountIds", both, "accounts not also listed in aws:allowedAccountIds");

    if (values["aws:assumeRole"] !== undefined) {
        reject("aws:assumeRole", values["aws:assumeRole"], "nothing: @pulumi/aws 7 reads aws:assumeRoles, a list of { roleArn, sessionName, externalId, ... }");
    }
    const assumeRoles = list("aws:assumeRoles").flatMap((entry) => {
        const role = entry as Record<string, unknown>;
        const unknown = role && typeof role === "object" ? Object.keys(role).filter((k) => !ASSUME_ROLE_FIELDS.includes(k)) : [];
        if (!role || typeof role !== "object" || typeof role.roleArn !== "string" || !ROLE_ARN.test(role.roleArn) || unknown.length > 0) {
            reject("aws:assumeRoles", entry, `a list of objects with roleArn (arn:aws:iam::<account>:role/<name>) and optionally ${ASSUME_ROLE_FIELDS.slice(1).join(", ")}`);
            return [];
        }
        return [role as aws.types.input.ProviderAssumeRole];
    });

    const profile = values["aws:profile"];
    if (profile !== undefined && !/^[\w.@+-]{1,128}$/.test(profile)) reject("aws:profile", profile, "a profile name from ~/.aws/config");
    return { settings: { profile: profile || undefined, allowedAccountIds, forbiddenAccountIds, assumeRoles }, problems };
}

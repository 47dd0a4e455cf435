import { Issue, SecurityCheck, ofTypes } from "./check";
import { nonEmptyString } from "./values";

const LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup";
/** CKV_AWS_338: a year of logs in prod. */
const PROD_MIN_RETENTION_DAYS = 365;

export const logGroupRetention: SecurityCheck = {
    name: "log-group-retention",
    checks: ["CKV_AWS_66", "CKV_AWS_338"],
    description: `Log groups set retentionInDays (CKV_AWS_66), at least ${PROD_MIN_RETENTION_DAYS} in prod (CKV_AWS_338).`,
    appliesTo: ofTypes(LOG_GROUP),
    inspect: (r, ctx): Issue[] => {
        const days = r.props.retentionInDays;
        if (typeof days !== "number" || days <= 0) return [{ check: "CKV_AWS_66", message: `log group ${r.name} sets no retentionInDays` }];
        return ctx.facts.isProd && days < PROD_MIN_RETENTION_DAYS
            ? [{ check: "CKV_AWS_338", message: `log group ${r.name} keeps logs ${days} days; prod needs at least ${PROD_MIN_RETENTION_DAYS}` }]
            : [];
    },
};

export const logGroupKms: SecurityCheck = {
    name: "log-group-kms",
    checks: ["CKV_AWS_158"],
    description: "Log groups are encrypted with a customer-managed KMS key (kmsKeyId set).",
    appliesTo: ofTypes(LOG_GROUP),
    inspect: (r) => (nonEmptyString(r.props.kmsKeyId) ? [] : [{ check: "CKV_AWS_158", message: `log group ${r.name} has no kmsKeyId` }]),
};

export const logChecks: SecurityCheck[] = [logGroupRetention, logGroupKms];

import { Issue, SecurityCheck, ofTypes } from "./check";
import { IDENTITY_POLICY_HOLDERS, Statement, grants, identityDocumentsOf, statementLabel } from "./documents";
import { list } from "./values";

/** Record writes and reads that must name hosted zones one by one. */
const RECORD_ACTIONS = ["route53:ChangeResourceRecordSets", "route53:ListResourceRecordSets"];
/** `arn:<partition>:route53:::hostedzone/<zone id>`: one zone, no wildcard. */
const ZONE_ARN = /^arn:aws[a-z-]*:route53:::hostedzone\/[A-Z0-9]+$/;

function recordIssues(s: Statement, label: string): Issue[] {
    const actions = RECORD_ACTIONS.filter((a) => grants(s, a));
    if (actions.length === 0) return [];
    if (s.NotResource !== undefined) return [{ check: "BP dns", message: `${label} allows ${actions.join(", ")} with NotResource, i.e. in every zone not listed` }];
    const resources = list(s.Resource).map(String);
    const wide = resources.length === 0 ? ["no resource"] : resources.filter((arn) => !ZONE_ARN.test(arn));
    return wide.length === 0 ? [] : [{ check: "BP dns", message: `${label} allows ${actions.join(", ")} on ${wide.join(", ")}; only hosted zone ARNs (hostedzone/<id>) of the configured zones are allowed` }];
}

/**
 * external-dns (or anything writing DNS) changes records only in the hosted zones the stack
 * configures (`externalDnsZoneIds`), named one by one: never `hostedzone/*` or `*`, which would let a
 * compromised controller take over every domain of the account.
 */
export const dnsRecordScoping: SecurityCheck = {
    name: "dns-record-scoping",
    checks: ["BP dns"],
    description:
        "An identity policy that allows route53:ChangeResourceRecordSets or ListResourceRecordSets lists only hosted zone ARNs (hostedzone/<id>), never hostedzone/* or *.",
    appliesTo: ofTypes(...IDENTITY_POLICY_HOLDERS),
    inspect: (r) => {
        const issues: Issue[] = [];
        for (const { field, document } of identityDocumentsOf(r.type, r.props)) {
            if (!document.ok) continue; // iam-no-admin-actions reports documents it cannot read
            document.statements.forEach((s, i) => issues.push(...recordIssues(s, `${r.type.split(":").pop()} ${r.name}.${field} ${statementLabel(s, i)}`)));
        }
        return issues;
    },
};

export const dnsChecks: SecurityCheck[] = [dnsRecordScoping];

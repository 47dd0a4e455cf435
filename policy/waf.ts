import { Issue, SecurityCheck, ofTypes } from "./check";
import { isRecord, list } from "./values";

/** The AWS managed rule groups every web ACL runs, blocking (not merely counting). */
export const REQUIRED_MANAGED_GROUPS = ["AWSManagedRulesCommonRuleSet", "AWSManagedRulesKnownBadInputsRuleSet", "AWSManagedRulesAmazonIpReputationList"];
const WEB_ACL = "aws:wafv2/webAcl:WebAcl";
const LOGGING = "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration";

const rulesOf = (props: Record<string, unknown>) => list(props.rules as unknown[]).filter(isRecord);
const managedGroup = (rule: Record<string, any>) => rule.statement?.managedRuleGroupStatement as { vendorName?: string; name?: string } | undefined;

/**
 * A web ACL in front of the platform's ALB runs the AWS managed common, known-bad-inputs and
 * IP-reputation groups (in block mode), a rate-based blocking rule, and logs to CloudWatch.
 */
export const wafWebAcl: SecurityCheck = {
    name: "waf-web-acl",
    checks: ["BP waf"],
    description:
        "A WAFv2 web ACL runs AWSManagedRulesCommonRuleSet, AWSManagedRulesKnownBadInputsRuleSet and AWSManagedRulesAmazonIpReputationList without overriding them to count, a blocking rate-based rule, and has a logging configuration.",
    appliesTo: ofTypes(WEB_ACL),
    inspect: (r, ctx) => {
        const issues: Issue[] = [];
        const rules = rulesOf(r.props);
        for (const group of REQUIRED_MANAGED_GROUPS) {
            const rule = rules.find((x) => managedGroup(x)?.vendorName === "AWS" && managedGroup(x)?.name === group);
            if (!rule) issues.push({ check: "BP waf", message: `web ACL ${r.name} lacks the AWS managed rule group ${group}` });
            else if (isRecord(rule.overrideAction) && "count" in rule.overrideAction) issues.push({ check: "BP waf", message: `web ACL ${r.name} only counts ${group} (overrideAction count); it must block` });
        }
        if (!rules.some((x) => isRecord(x.statement) && "rateBasedStatement" in x.statement && isRecord(x.action) && "block" in x.action)) {
            issues.push({ check: "BP waf", message: `web ACL ${r.name} has no blocking rate-based rule` });
        }
        // The logging configuration names the ACL's ARN, which holds the ACL's name (…/webacl/<name>/<id>).
        const name = String(r.props.name ?? r.name);
        const logged = ctx.resources.some((x) => x.type === LOGGING && String(x.props.resourceArn ?? "").includes(`/webacl/${name}/`));
        if (!logged) issues.push({ check: "BP waf", message: `web ACL ${r.name} has no logging configuration (aws.wafv2.WebAclLoggingConfiguration)` });
        return issues;
    },
};

export const wafChecks: SecurityCheck[] = [wafWebAcl];

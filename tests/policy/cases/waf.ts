import { FixtureCase } from "../../support/policy-builders";
import { aws } from "../../support/policy-fixtures";

const ACL_ARN = (name: string) => `arn:aws:wafv2:us-west-2:111122223333:regional/webacl/${name}/0a1b2c3d-0000-4000-8000-000000000000`;
const managed = (name: string, overrideAction: Record<string, unknown> = { none: {} }) => ({ name, overrideAction, statement: { managedRuleGroupStatement: { vendorName: "AWS", name } } });
const rate = { name: "rate", action: { block: {} }, statement: { rateBasedStatement: { limit: 2000, aggregateKeyType: "IP" } } };
const acl = (name: string, rules: unknown[]) => aws("aws:wafv2/webAcl:WebAcl", name, { name, scope: "REGIONAL", defaultAction: { allow: {} }, rules });
const logging = (name: string) => aws("aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration", `${name}-logs`, { resourceArn: ACL_ARN(name), logDestinationConfigs: ["arn:aws:logs:us-west-2:111122223333:log-group:aws-waf-logs-x"] });

/** Hand-built stacks the WAF policy must (or must not) report on. */
export const wafCases: FixtureCase[] = [
    {
        policy: "waf-web-acl",
        title: "a web ACL missing a managed group, counting another, without a rate rule or logging",
        resources: [acl("thin", [managed("AWSManagedRulesCommonRuleSet", { count: {} }), managed("AWSManagedRulesAmazonIpReputationList"), { ...rate, action: { count: {} } }])],
        expected: [
            ["thin", "BP waf: web ACL thin only counts AWSManagedRulesCommonRuleSet (overrideAction count); it must block"],
            ["thin", "BP waf: web ACL thin lacks the AWS managed rule group AWSManagedRulesKnownBadInputsRuleSet"],
            ["thin", "BP waf: web ACL thin has no blocking rate-based rule"],
            ["thin", "BP waf: web ACL thin has no logging configuration (aws.wafv2.WebAclLoggingConfiguration)"],
        ],
    },
    {
        policy: "waf-web-acl",
        title: "the three managed groups blocking, a blocking rate rule, and logging",
        resources: [
            acl("platform", [managed("AWSManagedRulesCommonRuleSet"), managed("AWSManagedRulesKnownBadInputsRuleSet"), managed("AWSManagedRulesAmazonIpReputationList"), rate]),
            logging("platform"),
        ],
        expected: [],
    },
];

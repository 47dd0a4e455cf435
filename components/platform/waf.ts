import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/** AWS managed rule groups every web ACL runs, in priority order (each is free of WCU surprises: 700 + 200 + 25 of 5000). */
export const WAF_MANAGED_RULE_GROUPS = ["AWSManagedRulesCommonRuleSet", "AWSManagedRulesKnownBadInputsRuleSet", "AWSManagedRulesAmazonIpReputationList"] as const;

/** WAF refuses to log to a CloudWatch log group whose name lacks this prefix. */
export const WAF_LOG_GROUP_PREFIX = "aws-waf-logs-";
/** The WAF log group of the cluster's shared ALB (WAF requires the prefix). */
export const wafLogGroupName = (clusterName: string): string => `${WAF_LOG_GROUP_PREFIX}${clusterName}`;
/** The web ACL of the platform's shared ALB: the only one the Load Balancer Controller may attach (CI's permissions boundary). */
export const platformWebAclName = (clusterName: string): string => `${clusterName}-platform-alb`;

export interface WebFirewallArgs {
    /** Names the ACL, its metrics and its log group. */
    clusterName: string;
    /** Requests one client IP may send in any 5-minute window before it is blocked. Config key `wafRateLimit`. */
    rateLimit: number;
    /** Retention of the log group, in days. Config key `wafLogRetentionDays`. */
    logRetentionDays: number;
    /** The stack's logs KMS key. */
    logsKeyArn: pulumi.Input<string>;
    /** Keep the log group on destroy. Config key `protectResources`. */
    protect: boolean;
}

/**
 * A REGIONAL WAFv2 web ACL for the shared ALB: AWS managed rule groups (OWASP-style common rules,
 * known bad inputs, Amazon IP reputation) and a per-IP rate limit, logging to an encrypted log
 * group. The Load Balancer Controller attaches it through the Ingresses' `wafv2-acl-arn` annotation.
 */
export class WebFirewall extends pulumi.ComponentResource {
    readonly aclArn: pulumi.Output<string>;
    readonly acl: aws.wafv2.WebAcl;
    readonly logGroup: aws.cloudwatch.LogGroup;

    constructor(name: string, args: WebFirewallArgs, opts?: pulumi.ComponentResourceOptions) {
        super("eks-platform:platform:WebFirewall", name, {}, opts);
        const aclName = platformWebAclName(args.clusterName);
        this.acl = new aws.wafv2.WebAcl(
            aclName,
            {
                name: aclName,
                description: `${args.clusterName}: shared ALB of the platform Ingresses`,
                scope: "REGIONAL",
                defaultAction: { allow: {} },
                rules: [...WAF_MANAGED_RULE_GROUPS.map((group, i) => managedRule(group, i)), rateLimitRule(args.rateLimit, WAF_MANAGED_RULE_GROUPS.length)],
                visibilityConfig: visibility(aclName),
            },
            { parent: this },
        );
        this.logGroup = new aws.cloudwatch.LogGroup(
            `${args.clusterName}-waf-logs`,
            { name: wafLogGroupName(args.clusterName), retentionInDays: args.logRetentionDays, kmsKeyId: args.logsKeyArn },
            { parent: this, protect: args.protect },
        );
        new aws.wafv2.WebAclLoggingConfiguration(
            aclName,
            {
                resourceArn: this.acl.arn,
                logDestinationConfigs: [this.logGroup.arn],
                // Credentials never reach the logs.
                redactedFields: [{ singleHeader: { name: "authorization" } }, { singleHeader: { name: "cookie" } }],
            },
            { parent: this },
        );
        this.aclArn = this.acl.arn;
        this.registerOutputs({ aclArn: this.aclArn });
    }
}

function visibility(metricName: string) {
    return { cloudwatchMetricsEnabled: true, metricName, sampledRequestsEnabled: true };
}

function managedRule(group: string, priority: number): aws.types.input.wafv2.WebAclRule {
    return {
        name: group,
        priority,
        overrideAction: { none: {} },
        statement: {
            managedRuleGroupStatement: {
                vendorName: "AWS",
                name: group,
                // Argo CD and Grafana post JSON bodies over the common rule set's 8 KB limit (application
                // manifests, dashboards); counted instead of blocked, the rest of the set still applies.
                ruleActionOverrides: group === "AWSManagedRulesCommonRuleSet" ? [{ name: "SizeRestrictions_BODY", actionToUse: { count: {} } }] : undefined,
            },
        },
        visibilityConfig: visibility(group),
    };
}

function rateLimitRule(limit: number, priority: number): aws.types.input.wafv2.WebAclRule {
    return {
        name: "RatePerClientIp",
        priority,
        action: { block: {} },
        statement: { rateBasedStatement: { limit, aggregateKeyType: "IP" } },
        visibilityConfig: visibility("RatePerClientIp"),
    };
}

import { isProduction } from "./checks";
import { PlatformConfig } from "./keys";

/** What a valid config may still get wrong for the user: printed on every preview and update. */
export function configWarnings(cfg: PlatformConfig): string[] {
    const warnings: string[] = [];
    const alerting = cfg.platform.monitoring.alerting;
    if (isProduction(cfg.environment) && !alerting.slackWebhookUrl && !alerting.pagerDutyRoutingKey && !alerting.heartbeatUrl) {
        const keys = ["alertSlackWebhookUrl", "alertPagerDutyRoutingKey", "alertHeartbeatUrl"].map((k) => `${cfg.project}:${k}`).join(", ");
        warnings.push(
            `${cfg.stack}: no alert reaches anyone: none of ${keys} is set, so Alertmanager routes every alert (criticals, warnings and the Watchdog heartbeat) to its null receiver. ` +
                "Set at least one with `pulumi config set --secret <key> <value>` (README, Before your first up).",
        );
    }
    for (const other of cfg.sharedAccountWith) warnings.push(sharedAccountWarning(cfg, other.stack, other.accounts));
    return warnings;
}

/** Two stacks in one account and region: supported, but say what keeps them apart then. */
function sharedAccountWarning(cfg: PlatformConfig, other: string, accounts: string[]): string {
    const registries = cfg.registry.namePrefix
        ? `ECR repositories under ${cfg.registry.namePrefix} (ecrPrefixWithEnvironment)`
        : `ECR repository names (set ${cfg.project}:ecrPrefixWithEnvironment: true to put them under ${cfg.environment}/)`;
    return (
        `${cfg.stack}: stacks "${cfg.stack}" and "${other}" both pin account ${accounts.join(", ")} (aws:allowedAccountIds) in ${cfg.region}. ` +
        "A shared account is supported, but then only IAM scoping keeps one stack's CI and workloads out of the other's resources: " +
        `the owner tags project=${cfg.project} and environment=${cfg.environment} on every resource, ARNs naming cluster ${cfg.clusterName}, ` +
        `this stack's own state objects under the backend prefix, and ${registries}. ` +
        "One AWS account per environment is the recommended layout (README, Account layout)."
    );
}

import { isProduction } from "./cluster";
import { PlatformConfig } from "./types";

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
    return warnings;
}

import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { stringify } from "yaml";

/** The Secret Alertmanager reads its whole configuration from (`alertmanagerSpec.configSecret`). */
export const ALERTMANAGER_CONFIG_SECRET = { name: "alertmanager-config", key: "alertmanager.yaml" } as const;

/** Where alerts go. Each is a secret config value; absent ones route to the `null` receiver. */
export interface AlertReceivers {
    /** Slack incoming-webhook URL: warnings, and criticals when no PagerDuty key is set. Config key `alertSlackWebhookUrl`. */
    slackWebhookUrl?: pulumi.Output<string>;
    /** PagerDuty Events API v2 routing key: criticals. Config key `alertPagerDutyRoutingKey`. */
    pagerDutyRoutingKey?: pulumi.Output<string>;
    /** Dead man's switch (e.g. a healthchecks.io ping URL) the always-firing `Watchdog` alert calls. Config key `alertHeartbeatUrl`. */
    heartbeatUrl?: pulumi.Output<string>;
}

/** The receivers' values once resolved (plain strings; only ever written into the Secret). */
export type ResolvedReceivers = { [K in keyof AlertReceivers]?: string };

const NULL = "null";

/**
 * Alertmanager's configuration: criticals page (PagerDuty, else Slack), warnings go to Slack, the
 * Watchdog goes to the heartbeat every minute (its silence is the alarm), and a firing critical
 * mutes the warnings and infos of the same alert and namespace.
 */
export function alertmanagerConfig(r: ResolvedReceivers) {
    const receivers: Record<string, unknown>[] = [{ name: NULL }];
    if (r.slackWebhookUrl) {
        receivers.push({
            name: "slack",
            slack_configs: [{
                api_url: r.slackWebhookUrl,
                send_resolved: true,
                title: '[{{ .Status | toUpper }}] {{ .CommonLabels.alertname }} ({{ .CommonLabels.severity }})',
                text: '{{ range .Alerts }}{{ .Annotations.summary }} {{ .Annotations.description }}{{ "\\n" }}{{ end }}',
            }],
        });
    }
    if (r.pagerDutyRoutingKey) receivers.push({ name: "pagerduty", pagerduty_configs: [{ routing_key: r.pagerDutyRoutingKey, send_resolved: true }] });
    if (r.heartbeatUrl) receivers.push({ name: "heartbeat", webhook_configs: [{ url: r.heartbeatUrl, send_resolved: false }] });

    const critical = r.pagerDutyRoutingKey ? "pagerduty" : r.slackWebhookUrl ? "slack" : NULL;
    const warning = r.slackWebhookUrl ? "slack" : NULL;
    return {
        global: { resolve_timeout: "5m" },
        route: {
            receiver: NULL,
            group_by: ["namespace", "alertname"],
            group_wait: "30s",
            group_interval: "5m",
            repeat_interval: "12h",
            routes: [
                // Always firing: a heartbeat that stops arriving means Prometheus or Alertmanager is down.
                { receiver: r.heartbeatUrl ? "heartbeat" : NULL, matchers: ['alertname = "Watchdog"'], group_wait: "0s", group_interval: "1m", repeat_interval: "1m" },
                { receiver: NULL, matchers: ['alertname = "InfoInhibitor"'] },
                { receiver: critical, matchers: ['severity = "critical"'], repeat_interval: "4h" },
                { receiver: warning, matchers: ['severity = "warning"'] },
            ],
        },
        inhibit_rules: [
            { source_matchers: ['severity = "critical"'], target_matchers: ['severity =~ "warning|info"'], equal: ["namespace", "alertname"] },
            { source_matchers: ['severity = "warning"'], target_matchers: ['severity = "info"'], equal: ["namespace", "alertname"] },
            { source_matchers: ['alertname = "InfoInhibitor"'], target_matchers: ['severity = "info"'], equal: ["namespace"] },
        ],
        receivers,
        templates: ["/etc/alertmanager/config/*.tmpl"],
    };
}

/** The Secret holding Alertmanager's configuration; the receivers' URLs and keys never reach Helm values. */
export function alertmanagerConfigSecret(
    name: string,
    namespace: pulumi.Input<string>,
    receivers: AlertReceivers,
    opts: pulumi.CustomResourceOptions,
): k8s.core.v1.Secret {
    const config = pulumi
        .all([receivers.slackWebhookUrl, receivers.pagerDutyRoutingKey, receivers.heartbeatUrl])
        .apply(([slackWebhookUrl, pagerDutyRoutingKey, heartbeatUrl]) => stringify(alertmanagerConfig({ slackWebhookUrl, pagerDutyRoutingKey, heartbeatUrl })));
    return new k8s.core.v1.Secret(
        name,
        {
            metadata: { name: ALERTMANAGER_CONFIG_SECRET.name, namespace },
            type: "Opaque",
            stringData: { [ALERTMANAGER_CONFIG_SECRET.key]: pulumi.secret(config) },
        },
        opts,
    );
}

/** The monitoring part of the platform area's reader: replica counts and the alert receivers. */
import * as pulumi from "@pulumi/pulumi";
import { AlertReceivers } from "../../components/platform/monitoring/alerting";
import { ConfigReader, Reads } from "./reader";

type MonitoringKeys = Reads<{
    prometheusReplicas: "integer";
    alertmanagerReplicas: "integer";
    karpenterCapacityTypes: "array";
    alertSlackWebhookUrl: "string";
    alertPagerDutyRoutingKey: "string";
    alertHeartbeatUrl: "string";
}>;

/**
 * A replica count whose 0 means the environment's default. Replicated monitoring runs on on-demand nodes
 * only, so the NodePool must offer them or its pods would never schedule.
 */
export function monitoringReplicas(r: ConfigReader<MonitoringKeys>, key: "prometheusReplicas" | "alertmanagerReplicas", environmentDefault: number): number {
    const configured = r.get(key);
    const count = configured === 0 ? environmentDefault : configured;
    const capacityTypes = r.get("karpenterCapacityTypes");
    if (count > 1 && r.ok(key, "karpenterCapacityTypes") && !capacityTypes.includes("on-demand")) {
        r.reject(key, configured, `${count} replicas run on on-demand nodes, but karpenterCapacityTypes is ${JSON.stringify(capacityTypes)}; add on-demand there, or set ${key}: 1`);
    }
    return count;
}

/** The Alertmanager receivers: secret values, checked for their form without echoing them. */
export function readAlertReceivers(r: ConfigReader<MonitoringKeys>): AlertReceivers {
    const forms = {
        alertSlackWebhookUrl: [/^https:\/\/\S+$/, "an https:// webhook URL"],
        alertPagerDutyRoutingKey: [/^[A-Za-z0-9]{32}$/, "a 32-character PagerDuty Events API v2 integration (routing) key"],
        alertHeartbeatUrl: [/^https:\/\/\S+$/, "an https:// URL"],
    } as const;
    const read = (key: keyof typeof forms) => {
        const value = r.get(key);
        if (!value) return undefined;
        const [form, text] = forms[key];
        if (!form.test(value)) {
            r.note(`${r.qualified(key)}: the secret value is not ${text}`);
            return undefined;
        }
        return pulumi.secret(value);
    };
    return { slackWebhookUrl: read("alertSlackWebhookUrl"), pagerDutyRoutingKey: read("alertPagerDutyRoutingKey"), heartbeatUrl: read("alertHeartbeatUrl") };
}

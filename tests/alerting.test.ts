import { expect } from "chai";
import { parse } from "yaml";
import { ALERTMANAGER_CONFIG_SECRET, alertmanagerConfig } from "../components/platform/monitoring/alerting";
import { validateConfig } from "../stacks/config/validate";
import { ConfigError } from "../stacks/config/reader";
import { StackGraph } from "../tooling/offline/harness";
import { isSecretValue, reveal } from "./support/secrets";
import { PROJECT, configWith } from "../tooling/offline/stack-files";
import { useStacks } from "./support/use-stacks";
import { CONFIGURED_SECRETS, prodWithoutCiWithSecrets } from "./support/variants";

type Route = { receiver?: string; matchers?: string[]; routes?: Route[]; continue?: boolean };

/** Alertmanager's routing for one alert: the first matching child route (none of ours continue), else the root. */
function receiverFor(config: { route: Route }, labels: Record<string, string>): string {
    const matches = (m: string) => {
        const [, name, op, value] = /^(\w+)\s*(=~|=)\s*"(.*)"$/.exec(m)!;
        return op === "=" ? labels[name] === value : new RegExp(`^(?:${value})$`).test(labels[name] ?? "");
    };
    const child = (config.route.routes ?? []).find((r) => (r.matchers ?? []).every(matches));
    return child?.receiver ?? config.route.receiver!;
}

const renderedConfig = (g: StackGraph) => {
    const secret = g.one("kubernetes:core/v1:Secret", "monitoring-alertmanager-config");
    return { secret, config: parse(reveal(secret.inputs.stringData)[ALERTMANAGER_CONFIG_SECRET.key]) };
};

describe("Alerting", () => {
    const stacks = useStacks();

    it("pages criticals on PagerDuty, sends warnings to Slack, the Watchdog to the heartbeat, the rest nowhere", async () => {
        const { secret, config } = renderedConfig(await prodWithoutCiWithSecrets());
        expect(secret.inputs.metadata).to.deep.include({ name: "alertmanager-config", namespace: "monitoring" });
        expect(isSecretValue(secret.inputs.stringData) || isSecretValue(secret.inputs.stringData[ALERTMANAGER_CONFIG_SECRET.key])).to.equal(true);
        expect(receiverFor(config, { alertname: "KubePodCrashLooping", severity: "critical", namespace: "dev" })).to.equal("pagerduty");
        expect(receiverFor(config, { alertname: "KubeMemoryOvercommit", severity: "warning" })).to.equal("slack");
        expect(receiverFor(config, { alertname: "Watchdog", severity: "none" })).to.equal("heartbeat");
        expect(receiverFor(config, { alertname: "InfoInhibitor", severity: "none" })).to.equal("null");
        expect(receiverFor(config, { alertname: "CPUThrottlingHigh", severity: "info" })).to.equal("null");
        const byName = Object.fromEntries(config.receivers.map((r: any) => [r.name, r]));
        expect(byName.pagerduty.pagerduty_configs[0].routing_key).to.equal(CONFIGURED_SECRETS.alertPagerDutyRoutingKey);
        expect(byName.slack.slack_configs[0].api_url).to.equal(CONFIGURED_SECRETS.alertSlackWebhookUrl);
        expect(byName.heartbeat.webhook_configs[0].url).to.equal(CONFIGURED_SECRETS.alertHeartbeatUrl);
    });

    it("warns on every run of a production stack that sets no receiver, naming the three keys; not once one is set, nor for dev", async () => {
        const alertWarnings = (g: StackGraph) => g.warnings.filter((w) => w.includes("no alert reaches anyone"));
        const [warning] = alertWarnings(stacks.prod);
        expect(warning, "the prod fixture sets no receiver").to.be.a("string");
        for (const key of ["alertSlackWebhookUrl", "alertPagerDutyRoutingKey", "alertHeartbeatUrl"]) expect(warning).to.include(`${PROJECT}:${key}`);
        expect(warning).to.include("null receiver");
        expect(alertWarnings(await prodWithoutCiWithSecrets())).to.deep.equal([]);
        expect(alertWarnings(stacks.dev)).to.deep.equal([]);
    });

    it("lets a firing critical mute the warnings and infos of the same alert and namespace", async () => {
        const { config } = renderedConfig(await prodWithoutCiWithSecrets());
        expect(config.inhibit_rules).to.deep.include({ source_matchers: ['severity = "critical"'], target_matchers: ['severity =~ "warning|info"'], equal: ["namespace", "alertname"] });
    });

    it("sends criticals to Slack when no PagerDuty key is set, and everything to the null receiver when nothing is", () => {
        const slackOnly = alertmanagerConfig({ slackWebhookUrl: "https://hooks.slack.com/services/x" });
        expect(receiverFor(slackOnly, { alertname: "A", severity: "critical" })).to.equal("slack");
        expect(receiverFor(slackOnly, { alertname: "Watchdog", severity: "none" })).to.equal("null");
        const none = alertmanagerConfig({});
        for (const severity of ["critical", "warning"]) expect(receiverFor(none, { alertname: "A", severity })).to.equal("null");
        expect(none.receivers).to.deep.equal([{ name: "null" }]);
    });

    it("has the chart read that Secret and leave scheduler, controller-manager, etcd, kube-proxy and Windows rules off on EKS", () => {
        for (const g of stacks.all) {
            const v = reveal(g.ofType("kubernetes:helm.sh/v3:Release").find((r) => r.inputs.name === "kube-prometheus-stack")!.inputs.values);
            expect(v.alertmanager.alertmanagerSpec).to.include({ useExistingSecret: true, configSecret: "alertmanager-config" });
            expect(v.alertmanager).to.not.have.property("config");
            expect(v.kubeProxy.enabled).to.equal(false);
            expect(v.defaultRules.rules).to.deep.equal({ etcd: false, kubeControllerManager: false, kubeSchedulerAlerting: false, kubeSchedulerRecording: false, kubeProxy: false, windows: false });
            const release = g.ofType("kubernetes:helm.sh/v3:Release").find((r) => r.inputs.name === "kube-prometheus-stack")!;
            expect(release.opts.dependsOn).to.include("kubernetes:core/v1:Secret::monitoring-alertmanager-config");
        }
    });

    it("refuses receivers stored in plain text or of the wrong form, without echoing them", () => {
        const errorFor = (overrides: Record<string, string>, secretKeys: string[]) => {
            try {
                validateConfig({ project: PROJECT, stack: "dev", values: configWith("dev", overrides), otherStackCidrs: {}, secretKeys });
            } catch (err) {
                expect(err).to.be.instanceOf(ConfigError);
                return (err as Error).message;
            }
            throw new Error(`${JSON.stringify(overrides)} was accepted`);
        };
        const plain = errorFor({ alertSlackWebhookUrl: "https://hooks.slack.com/services/plain-text" }, []);
        expect(plain).to.include("eks-platform:alertSlackWebhookUrl: is stored in plain text").and.not.include("plain-text\"");
        const key = "eks-platform:alertPagerDutyRoutingKey";
        const wrong = errorFor({ alertPagerDutyRoutingKey: "not-a-routing-key!" }, [key]);
        expect(wrong).to.include(`${key}: the secret value is not a 32-character`).and.not.include("not-a-routing-key");
    });

    it("builds without receivers (dev fixture) into a config that routes nothing", async () => {
        const { config } = renderedConfig(stacks.dev);
        expect(config.receivers).to.deep.equal([{ name: "null" }]);
    });
});

import * as pulumi from "@pulumi/pulumi";
import { ACM_ARN } from "./keys";
import { isProduction } from "./cluster";
import { ConfigReader } from "./reader";
import { readTenantQuotas } from "./tenants";
import { PlatformAppsConfig } from "./types";
import { AlertReceivers } from "../../components/platform/monitoring/alerting";
import { RepositoryCredentials, repositoryCredentialForm } from "../../components/platform/argocd/repository";

/** Reads the GitOps, Argo CD, ingress and monitoring keys and checks the rules between them. */
export function readPlatformConfig(r: ConfigReader, region: string, environment: string): PlatformAppsConfig {
    const repoUrl = r.get("gitopsRepoUrl");
    const apps = r.get("gitopsApps");
    const environments = r.get("gitopsEnvironments");
    const pathTemplate = r.get("gitopsPath");
    if (repoUrl && r.ok("gitopsEnvironments") && environments.length === 0) {
        r.reject("gitopsEnvironments", environments, "gitopsRepoUrl is set, so the environments it deploys to must be listed");
    }
    if (r.ok("gitopsPath", "gitopsApps") && apps.length > 1 && !pathTemplate.includes("{app}")) {
        r.reject("gitopsPath", pathTemplate, `gitopsApps lists ${apps.length} apps, which would all deploy this same path`);
    }
    if (r.ok("gitopsApps", "gitopsEnvironments")) {
        for (const app of apps) {
            for (const env of environments) {
                if (`${app}-${env}`.length > 63) r.reject("gitopsApps", app, `application name ${app}-${env} is longer than 63 characters`);
            }
        }
    }

    const credentials = readRepositoryCredentials(r, repoUrl, environment);
    const tenantQuotas = readTenantQuotas(r, !!repoUrl);

    const certificateArn = r.get("ingressCertificateArn");
    if (certificateArn && r.ok("ingressCertificateArn")) {
        const certificateRegion = ACM_ARN.exec(certificateArn)![2];
        if (certificateRegion !== region) r.reject("ingressCertificateArn", certificateArn, `the ALB is in ${region}; ACM certificates are regional`);
    }
    const argocdHostname = r.get("argocdHostname");
    const grafanaHostname = r.get("grafanaHostname");
    // The certificate makes the Ingresses; a host name alone would silently serve nothing. A name that failed its
    // own rule was reported already (its value here is the empty fallback).
    for (const [key, host] of [["argocdHostname", argocdHostname], ["grafanaHostname", grafanaHostname]] as const) {
        if (!r.ok(key, "ingressCertificateArn")) continue;
        if (certificateArn && !host) r.reject(key, host, "ingressCertificateArn is set, so the Ingress needs a host name");
        if (!certificateArn && host) {
            r.reject(key, host, "ingressCertificateArn is empty, so no Ingress is created and nothing would answer at this name; set ingressCertificateArn to an ACM certificate for it, or leave the name empty and use kubectl port-forward");
        }
    }

    const production = isProduction(environment);
    const prometheusReplicas = replicas(r, "prometheusReplicas", production ? 2 : 1);
    const alertmanagerReplicas = replicas(r, "alertmanagerReplicas", production ? 3 : 1);

    const secret = (value: string) => (value ? pulumi.secret(value) : undefined);
    return {
        gitops: repoUrl
            ? { repoUrl, credentials, revision: r.get("gitopsRevision"), pathTemplate, apps, environments, autoSync: r.get("gitopsAutoSync") }
            : undefined,
        tenantQuotas: repoUrl ? tenantQuotas : undefined,
        argocd: { highAvailability: r.get("argocdHighAvailability"), adminPassword: secret(r.get("argocdAdminPassword")), hostname: argocdHostname },
        monitoring: {
            prometheusRetention: r.get("prometheusRetention"),
            prometheusMemoryRequest: r.get("prometheusMemoryRequest"),
            prometheusVolumeSize: r.get("prometheusVolumeSize"),
            grafanaVolumeSize: r.get("grafanaVolumeSize"),
            prometheusReplicas,
            alertmanagerReplicas,
            grafanaAdminPassword: secret(r.get("grafanaAdminPassword")),
            grafanaHostname,
            alerting: readAlertReceivers(r),
        },
        ingress: certificateArn ? { certificateArn, scheme: r.get("ingressScheme") as "internal" | "internet-facing" } : undefined,
    };
}

/**
 * Where Argo CD's credentials for a private GitOps repository come from. The secret stays outside the prefixes the
 * applications' store serves, so only Argo CD's namespace reads it; its form follows from the URL's scheme.
 */
function readRepositoryCredentials(r: ConfigReader, repoUrl: string, environment: string): RepositoryCredentials | undefined {
    const secretName = r.get("gitopsRepoCredentials");
    if (!secretName || !r.ok("gitopsRepoCredentials")) return undefined;
    const suggestion = `e.g. argocd/${environment}/gitops-repository`;
    if (!repoUrl) {
        if (r.ok("gitopsRepoUrl")) r.reject("gitopsRepoCredentials", secretName, "gitopsRepoUrl is empty, so there is no repository to give credentials for");
        return undefined;
    }
    const prefix = r.ok("externalSecretsPrefixes") ? r.get("externalSecretsPrefixes").find((p) => secretName.startsWith(`${p}/`)) : undefined;
    if (prefix) {
        r.reject("gitopsRepoCredentials", secretName, `under the externalSecretsPrefixes entry ${prefix}, whose secrets every application of the environment may read; keep it outside (${suggestion})`);
        return undefined;
    }
    const form = repositoryCredentialForm(repoUrl);
    if (!form) {
        r.reject("gitopsRepoCredentials", secretName, `gitopsRepoUrl ${repoUrl} is neither on github.com (a GitHub App) nor an SSH URL (a deploy key); use git@<host>:<path>.git with a deploy key`);
        return undefined;
    }
    return { secretName, form };
}

/**
 * A replica count whose 0 means the environment's default. Replicated monitoring runs on on-demand nodes
 * only, so the NodePool must offer them or its pods would never schedule.
 */
function replicas(r: ConfigReader, key: "prometheusReplicas" | "alertmanagerReplicas", environmentDefault: number): number {
    const configured = r.get(key);
    const count = configured === 0 ? environmentDefault : configured;
    const capacityTypes = r.get("karpenterCapacityTypes");
    if (count > 1 && r.ok(key, "karpenterCapacityTypes") && !capacityTypes.includes("on-demand")) {
        r.reject(key, configured, `${count} replicas run on on-demand nodes, but karpenterCapacityTypes is ${JSON.stringify(capacityTypes)}; add on-demand there, or set ${key}: 1`);
    }
    return count;
}

/** The Alertmanager receivers: secret values, checked for their form without echoing them. */
function readAlertReceivers(r: ConfigReader): AlertReceivers {
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

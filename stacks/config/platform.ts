import * as pulumi from "@pulumi/pulumi";
import { ConfigReader } from "./reader";
import { PlatformAppsConfig } from "./types";

const REPO_URL = /^(https:\/\/[A-Za-z0-9.-]+(:\d+)?\/[^\s]+|git@[A-Za-z0-9.-]+:[^\s]+\.git|ssh:\/\/[^\s@]+@[A-Za-z0-9.-]+(:\d+)?\/[^\s]+)$/;
const GIT_REF = /^[A-Za-z0-9._/-]{1,200}$/;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const HOSTNAME = /^(?=.{1,253}$)([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
const ACM_ARN = /^arn:aws(-cn|-us-gov)?:acm:([a-z0-9-]+):\d{12}:certificate\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const PROM_DURATION = /^([0-9]+(ms|s|m|h|d|w|y))+$/;
const SIZE = /^([0-9]+)(Gi|Ti)$/;

/** Reads and checks the GitOps, Argo CD, ingress and monitoring keys. */
export function readPlatformConfig(r: ConfigReader, region: string, secretKeys: string[]): PlatformAppsConfig {
    const repoUrl = r.string("gitopsRepoUrl");
    if (r.has("gitopsRepoUrl") && !REPO_URL.test(repoUrl)) r.reject("gitopsRepoUrl", repoUrl);
    const revision = r.string("gitopsRevision");
    if (!GIT_REF.test(revision) || revision.includes("..")) r.reject("gitopsRevision", revision);
    const pathTemplate = r.string("gitopsPath");
    if (!pathTemplate.includes("{env}") || pathTemplate.startsWith("/") || pathTemplate.split("/").includes("..")) r.reject("gitopsPath", pathTemplate);

    const apps = uniqueNames(r, "gitopsApps", r.list("gitopsApps"));
    const environments = r.has("gitopsEnvironments") ? uniqueNames(r, "gitopsEnvironments", r.list("gitopsEnvironments")) : r.list("gitopsEnvironments");
    for (const app of apps) {
        for (const env of environments) {
            if (`${app}-${env}`.length > 63) r.reject("gitopsApps", app, `application name ${app}-${env} is longer than 63 characters`);
        }
    }

    const certificateArn = r.string("ingressCertificateArn");
    if (certificateArn) {
        const match = ACM_ARN.exec(certificateArn);
        if (!match) r.reject("ingressCertificateArn", certificateArn);
        else if (match[2] !== region) r.reject("ingressCertificateArn", certificateArn, `the ALB is in ${region}; ACM certificates are regional`);
    }
    const argocdHostname = r.string("argocdHostname");
    const grafanaHostname = r.string("grafanaHostname");
    for (const key of ["argocdHostname", "grafanaHostname"] as const) {
        const host = key === "argocdHostname" ? argocdHostname : grafanaHostname;
        if (host && !HOSTNAME.test(host)) r.reject(key, host);
        if (certificateArn && !host) r.reject(key, host, "ingressCertificateArn is set, so the Ingress needs a host name");
    }
    const ingressScheme = r.string("ingressScheme");
    if (ingressScheme !== "internal" && ingressScheme !== "internet-facing") r.reject("ingressScheme", ingressScheme);

    const retention = r.string("prometheusRetention");
    if (!PROM_DURATION.test(retention) || /^0+[a-z]+$/.test(retention)) r.reject("prometheusRetention", retention);
    const prometheusVolumeSize = size(r, "prometheusVolumeSize");
    const grafanaVolumeSize = size(r, "grafanaVolumeSize");

    return {
        gitops: { repoUrl, revision, pathTemplate, apps, environments, autoSync: r.boolean("gitopsAutoSync") },
        argocd: { highAvailability: r.boolean("argocdHighAvailability"), adminPassword: secret(r, "argocdAdminPassword", secretKeys), hostname: argocdHostname },
        monitoring: {
            prometheusRetention: retention,
            prometheusVolumeSize,
            grafanaVolumeSize,
            grafanaAdminPassword: secret(r, "grafanaAdminPassword", secretKeys),
            grafanaHostname,
        },
        ingress: certificateArn ? { certificateArn, scheme: ingressScheme as "internal" | "internet-facing" } : undefined,
    };
}

function uniqueNames(r: ConfigReader, key: "gitopsApps" | "gitopsEnvironments", names: string[]): string[] {
    if (names.length === 0) r.reject(key, names);
    for (const name of names) if (!DNS_LABEL.test(name)) r.reject(key, name);
    const duplicate = names.find((n, i) => names.indexOf(n) !== i);
    if (duplicate) r.reject(key, duplicate, "listed twice");
    return names;
}

function size(r: ConfigReader, key: "prometheusVolumeSize" | "grafanaVolumeSize"): string {
    const value = r.string(key);
    const match = SIZE.exec(value);
    if (!match || Number(match[1]) <= 0) r.reject(key, value);
    return value;
}

/** An optional password: must have been set with --secret, and is only ever handled as a secret Output. */
function secret(r: ConfigReader, key: "argocdAdminPassword" | "grafanaAdminPassword", secretKeys: string[]): pulumi.Output<string> | undefined {
    const value = r.string(key);
    if (!value) return undefined;
    // Never echo the value itself into an error message.
    if (!secretKeys.includes(r.qualified(key))) {
        r.note(`${r.qualified(key)}: is stored in plain text; set it with \`pulumi config set --secret ${key} <value>\``);
    } else if (value.length < 12) {
        r.note(`${r.qualified(key)}: is shorter than 12 characters; allowed: a secret value of at least 12 characters`);
    }
    return pulumi.secret(value);
}

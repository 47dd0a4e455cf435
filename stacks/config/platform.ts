/**
 * The platform area: GitOps (Argo CD and the application namespaces), monitoring, the shared ingress and WAF.
 * Its keys (type, default, description, rule), its reader and its type; keys.ts joins the areas.
 */
import * as pulumi from "@pulumi/pulumi";
import { ArgoCdSettings, GitOpsSettings, MonitoringSettings, SharedIngressSettings } from "../../components/platform";
import { DEFAULT_TENANT_QUOTA, TenantQuota } from "../../components/platform/tenants/quota";
import * as checks from "./checks";
import { isProduction } from "./checks";
import { readRepositoryCredentials } from "./gitops-credentials";
import { monitoringReplicas, readAlertReceivers } from "./monitoring";
import { ConfigReader, Reads } from "./reader";
import { BOOLEAN, KeySpec, RETENTION_DAYS, SECRET, check, integer, list, oneOf, optional, pattern } from "./rules";
import { TENANT_QUOTA_CROSS_KEY, TENANT_QUOTA_FORM, readTenantQuotas, tenantQuotaEntry } from "./tenants";

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const ACM_ARN = /^arn:aws(-cn|-us-gov)?:acm:([a-z0-9-]+):\d{12}:certificate\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export const PLATFORM_KEYS = {
    gitopsRepoUrl: {
        type: "string",
        description: "Git repository Argo CD deploys from (HTTPS or SSH URL).",
        default: "",
        rule: optional(check("an https://host/path, git@host:path.git or ssh://git@host/path clone URL of your own GitOps repository (not a web page such as …/tree/main; placeholders such as your-org/… or example.com are refused)", checks.gitRepositoryUrl)),
    },
    gitopsRepoCredentials: {
        type: "string",
        description: "Secrets Manager secret with Argo CD's read access to a private gitopsRepoUrl, synced by External Secrets: JSON keys `githubAppID`, `githubAppInstallationID` and `githubAppPrivateKey` (a GitHub App, for an https://github.com/ URL) or `sshPrivateKey` (a deploy key, for an SSH URL); empty: the repository is public.",
        default: "",
        rule: optional(pattern(/^(?!.*\/\/)[A-Za-z0-9_+=.@-][A-Za-z0-9/_+=.@-]{0,511}$/, "a Secrets Manager secret name (letters, digits and /_+=.@-), e.g. argocd/dev/gitops-repository")),
        crossKey: "needs gitopsRepoUrl, an https://github.com/ or SSH URL; not under any externalSecretsPrefixes entry (applications could read it there)",
    },
    gitopsRevision: {
        type: "string",
        description: "Branch, tag or commit the ApplicationSets track.",
        default: "main",
        rule: check("a git ref of letters, digits and ./_-", checks.gitRef),
    },
    gitopsPath: {
        type: "string",
        description: "Path of an application's manifests in the GitOps repo; `{env}` and `{app}` are substituted.",
        default: "envs/{env}/{app}",
        rule: check("a relative path containing {env} (and optionally {app}), no '..'", checks.gitopsPath),
        crossKey: "containing {app} when gitopsApps lists more than one app",
    },
    gitopsApps: {
        type: "array",
        description: "Applications the ApplicationSet generates, one per app and environment (`<app>-<env>`).",
        default: ["myapp"],
        rule: list(pattern(DNS_LABEL, "a DNS label (lowercase letters, digits and '-')"), { minItems: 1, unique: true }),
        crossKey: "each <app>-<env> at most 63 characters",
    },
    gitopsEnvironments: {
        type: "array",
        description: "Environments (= namespaces) this cluster hosts; the AppProject may deploy only to these.",
        default: [],
        rule: list(pattern(DNS_LABEL, "a Kubernetes namespace name"), { unique: true }),
        crossKey: "non-empty when gitopsRepoUrl is set",
    },
    tenantQuota: {
        type: "array",
        description: "ResourceQuota of each application namespace (gitopsEnvironments, with GitOps on): `<resource>=<quantity>` for all of them, `<namespace>/<resource>=<quantity>` for one; unlisted resources keep their default. LoadBalancer and NodePort Services are always 0.",
        default: Object.entries(DEFAULT_TENANT_QUOTA).map(([resource, value]) => `${resource}=${value}`),
        rule: list(check(TENANT_QUOTA_FORM, tenantQuotaEntry), { unique: true }),
        crossKey: TENANT_QUOTA_CROSS_KEY,
    },
    gitopsAutoSync: {
        type: "boolean",
        description: "Sync automatically with prune and self-heal; false means every sync is a manual decision.",
        default: false,
        rule: BOOLEAN,
    },
    argocdHighAvailability: {
        type: "boolean",
        description: "Run Argo CD HA: redis-ha, 2+ replicas of server, repo server and ApplicationSet controller, PodDisruptionBudgets.",
        default: true,
        rule: BOOLEAN,
    },
    argocdAdminPassword: {
        type: "string",
        description: "Argo CD admin password (set with --secret); empty generates one, exported as a secret.",
        default: "",
        rule: SECRET,
    },
    grafanaAdminPassword: {
        type: "string",
        description: "Grafana admin password (set with --secret); empty generates one, exported as a secret.",
        default: "",
        rule: SECRET,
    },
    argocdHostname: {
        type: "string",
        description: "DNS name of the Argo CD UI on the shared ALB (needs ingressCertificateArn).",
        default: "",
        rule: optional(pattern(checks.DNS_NAME, "a DNS name such as argocd.example.com")),
        crossKey: "set exactly when ingressCertificateArn is; under one of externalDnsDomains when those are listed",
    },
    grafanaHostname: {
        type: "string",
        description: "DNS name of Grafana on the shared ALB (needs ingressCertificateArn).",
        default: "",
        rule: optional(pattern(checks.DNS_NAME, "a DNS name such as grafana.example.com")),
        crossKey: "set exactly when ingressCertificateArn is; under one of externalDnsDomains when those are listed",
    },
    ingressCertificateArn: {
        type: "string",
        description: "ACM certificate for the shared ALB; empty means no Ingress (use kubectl port-forward).",
        default: "",
        rule: optional(pattern(ACM_ARN, "an ACM certificate ARN (arn:aws:acm:<region>:<account>:certificate/<uuid>)")),
        crossKey: "in the stack's region",
    },
    ingressScheme: {
        type: "string",
        description: "Whether the shared ALB is `internal` or `internet-facing`.",
        default: "internal",
        rule: oneOf(["internal", "internet-facing"]),
    },
    prometheusRetention: {
        type: "string",
        description: "How long Prometheus keeps samples.",
        default: "15d",
        rule: check("a positive Prometheus duration such as 7d, 30d or 12h", checks.prometheusDuration),
    },
    prometheusMemoryRequest: {
        type: "string",
        description: "Memory Prometheus requests (its limit stays 2Gi); grows with series count, so small clusters need less.",
        default: "1Gi",
        rule: check("a size in Mi or Gi from 256Mi to 2Gi, such as 512Mi or 1Gi", checks.prometheusMemory),
    },
    prometheusVolumeSize: {
        type: "string",
        description: "Size of Prometheus's gp3 volume.",
        default: "50Gi",
        rule: check("a positive size in Gi or Ti, such as 50Gi", checks.volumeSize),
    },
    grafanaVolumeSize: {
        type: "string",
        description: "Size of Grafana's gp3 volume.",
        default: "10Gi",
        rule: check("a positive size in Gi or Ti, such as 10Gi", checks.volumeSize),
    },
    alertSlackWebhookUrl: {
        type: "string",
        description: "Slack incoming-webhook URL (set with --secret) for warnings, and for criticals when no PagerDuty key is set; empty sends none.",
        default: "",
        rule: SECRET,
    },
    alertPagerDutyRoutingKey: {
        type: "string",
        description: "PagerDuty Events API v2 routing key (set with --secret) that critical alerts page; empty: criticals go to Slack.",
        default: "",
        rule: SECRET,
    },
    alertHeartbeatUrl: {
        type: "string",
        description: "Dead man's switch URL (set with --secret, e.g. a healthchecks.io ping URL) the always-firing Watchdog alert calls every minute; alert on its silence there.",
        default: "",
        rule: SECRET,
    },
    prometheusReplicas: {
        type: "integer",
        description: "Prometheus replicas; 0 takes the environment's default (2 in production, 1 elsewhere). More than one spreads them over zones on on-demand nodes Karpenter does not consolidate, with a PDB.",
        default: 0,
        rule: integer(0, 3),
        crossKey: "more than one needs on-demand in karpenterCapacityTypes",
    },
    alertmanagerReplicas: {
        type: "integer",
        description: "Alertmanager replicas, clustered; 0 takes the environment's default (3 in production, 1 elsewhere). More than one spreads them like Prometheus.",
        default: 0,
        rule: integer(0, 5),
        crossKey: "more than one needs on-demand in karpenterCapacityTypes",
    },
    wafEnabled: {
        type: "boolean",
        description: "Put an AWS WAF web ACL (AWS managed rule groups and a per-IP rate limit) in front of an internet-facing shared ALB.",
        default: true,
        rule: BOOLEAN,
        crossKey: "true in prod when ingressScheme is internet-facing",
    },
    wafRateLimit: {
        type: "integer",
        description: "Requests one client IP may send to the shared ALB in any 5-minute window before WAF blocks it.",
        default: 2000,
        rule: integer(100, 2000000000),
    },
    wafLogRetentionDays: {
        type: "integer",
        description: "Retention of the WAF log group (`aws-waf-logs-<cluster>`), in days.",
        default: 365,
        rule: RETENTION_DAYS,
    },
} as const satisfies Record<string, KeySpec>;

export interface PlatformAppsConfig {
    /** The AppProject takes the environment's name, so the config does not carry it. Absent when `gitopsRepoUrl` is empty. */
    gitops?: Omit<GitOpsSettings, "project">;
    /** Each application namespace's quota; present exactly when `gitops` is. Config key `tenantQuota`. */
    tenantQuotas?: Record<string, TenantQuota>;
    argocd: ArgoCdSettings;
    monitoring: MonitoringSettings;
    /** Present only when a certificate is configured: then Argo CD and Grafana get Ingresses. */
    ingress?: SharedIngressSettings;
    /** Applies only to an internet-facing shared ALB. Keys `wafEnabled`, `wafRateLimit`, `wafLogRetentionDays`. */
    waf: { enabled: boolean; rateLimit: number; logRetentionDays: number };
}

type PlatformKeys = typeof PLATFORM_KEYS &
    Reads<{ karpenterCapacityTypes: "array"; karpenterCpuLimit: "integer"; externalSecretsPrefixes: "array"; externalDnsZoneIds: "array"; externalDnsDomains: "array" }>;

/** Reads the GitOps, Argo CD, ingress, monitoring and WAF keys and checks the rules between them. */
export function readPlatformConfig(r: ConfigReader<PlatformKeys>, region: string, environment: string): PlatformAppsConfig {
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

    checkPublishedHostnames(r);

    const production = isProduction(environment);
    const prometheusReplicas = monitoringReplicas(r, "prometheusReplicas", production ? 2 : 1);
    const alertmanagerReplicas = monitoringReplicas(r, "alertmanagerReplicas", production ? 3 : 1);
    const wafEnabled = r.get("wafEnabled");
    if (production && !wafEnabled && certificateArn && r.get("ingressScheme") === "internet-facing") {
        r.reject("wafEnabled", false, "a production ALB that faces the internet is protected by WAF");
    }

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
        waf: { enabled: wafEnabled, rateLimit: r.get("wafRateLimit"), logRetentionDays: r.get("wafLogRetentionDays") },
    };
}

/** The platform's own host names must be ones external-dns publishes, or they silently never resolve. */
function checkPublishedHostnames(r: ConfigReader<PlatformKeys>): void {
    const domains = r.get("externalDnsDomains");
    if (r.get("externalDnsZoneIds").length === 0 || domains.length === 0 || !r.ok("externalDnsDomains")) return;
    for (const key of ["argocdHostname", "grafanaHostname"] as const) {
        const host = r.get(key);
        if (host && r.ok(key) && !domains.some((d) => host === d || host.endsWith(`.${d}`))) {
            r.reject(key, host, `not under any of externalDnsDomains (${domains.join(", ")}), so external-dns would not publish it`);
        }
    }
}

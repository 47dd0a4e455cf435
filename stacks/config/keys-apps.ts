/** Declarations of the add-on, GitOps, monitoring, CI and stack-wide keys (see keys.ts). */
import { CI_ACCESS_FORMS } from "../../components/ci-access/types";
import * as checks from "./checks";
import { BOOLEAN, KeySpec, SECRET, check, integer, list, oneOf, optional, pattern } from "./rules";

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const HOSTNAME = /^(?=.{1,253}$)([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
export const ACM_ARN = /^arn:aws(-cn|-us-gov)?:acm:([a-z0-9-]+):\d{12}:certificate\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const OIDC_PROVIDER = /^arn:aws(-cn|-us-gov)?:iam::\d{12}:oidc-provider\/token\.actions\.githubusercontent\.com$/;

export const APP_KEYS = {
    karpenterInstanceFamilies: {
        type: "array",
        description: "EC2 instance families the default Karpenter NodePool may launch.",
        default: ["m6i", "m7i", "c6i"],
        rule: list(check("an EC2 instance family such as m6i, t3a or c7g", checks.instanceFamily), { minItems: 1, unique: true }),
    },
    karpenterCapacityTypes: {
        type: "array",
        description: "Capacity types of the default NodePool: `spot`, `on-demand` or both.",
        default: ["on-demand"],
        rule: list(oneOf(["spot", "on-demand"]), { minItems: 1, unique: true }),
    },
    karpenterCpuLimit: {
        type: "integer",
        description: "Total vCPUs the default NodePool may hold.",
        default: 20,
        rule: integer(1, 10000),
    },
    karpenterConsolidateAfter: {
        type: "string",
        description: "How long a node must be empty or underutilized before Karpenter consolidates it.",
        default: "5m",
        rule: check("a duration such as 30s, 5m or 1h30m", checks.duration),
    },
    karpenterExpireAfter: {
        type: "string",
        description: "Maximum lifetime of a Karpenter node (replaced, hence re-patched, after it).",
        default: "720h",
        rule: check("a duration such as 720h, or Never", checks.expiry),
    },
    karpenterAmiAlias: {
        type: "string",
        description: "EC2NodeClass AMI alias: `al2023@latest`, or a pinned `al2023@vYYYYMMDD` release.",
        default: "al2023@latest",
        rule: pattern(/^al2023@(latest|v\d{8})$/, "al2023@latest or al2023@vYYYYMMDD"),
    },
    karpenterReplicas: {
        type: "integer",
        description: "Karpenter controller replicas (each on its own system node).",
        default: 2,
        rule: integer(1, 10),
        crossKey: "at most systemNodeMinSize (replicas need separate system nodes)",
    },
    externalSecretsPrefixes: {
        type: "array",
        description: "Secrets Manager name prefixes the cluster's External Secrets may read (`<prefix>/*`).",
        rule: list(pattern(/^[A-Za-z0-9_+=.@-]{1,64}$/, "a prefix of letters, digits and -_.+=@, without slashes"), { minItems: 1, unique: true }),
    },
    externalSecretsReplicas: {
        type: "integer",
        description: "External Secrets controller replicas; more than one enables leader election and a PDB.",
        default: 2,
        rule: integer(1, 5),
    },
    backupEnabled: {
        type: "boolean",
        description: "Velero: back up the gitopsEnvironments namespaces daily (03:00 UTC) to an encrypted S3 bucket, with EBS volume snapshots.",
        default: true,
        rule: BOOLEAN,
        crossKey: "needs gitopsEnvironments",
    },
    backupRetentionDays: {
        type: "integer",
        description: "Days a Velero backup (and a replaced version of a bucket object) is kept.",
        default: 30,
        rule: integer(1, 3650),
    },
    gitopsRepoUrl: {
        type: "string",
        description: "Git repository Argo CD deploys from (HTTPS or SSH URL).",
        default: "",
        rule: optional(check("an https://host/path, git@host:path.git or ssh://git@host/path URL of your own GitOps repository (placeholders such as your-org/… or example.com are refused)", checks.gitRepositoryUrl)),
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
        default: "envs/{env}",
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
        rule: optional(pattern(HOSTNAME, "a DNS name such as argocd.example.com")),
        crossKey: "set when ingressCertificateArn is; under one of externalDnsDomains when those are listed",
    },
    grafanaHostname: {
        type: "string",
        description: "DNS name of Grafana on the shared ALB (needs ingressCertificateArn).",
        default: "",
        rule: optional(pattern(HOSTNAME, "a DNS name such as grafana.example.com")),
        crossKey: "set when ingressCertificateArn is; under one of externalDnsDomains when those are listed",
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
    ciRepository: {
        type: "string",
        description: "GitHub `owner/name` whose Actions may deploy this stack through OIDC; empty leaves CI access out (CiAccess).",
        default: "",
        rule: optional(check(`${CI_ACCESS_FORMS.repository.form} of your own (placeholders such as your-org/… are refused)`, (v) => checks.githubRepository(v, CI_ACCESS_FORMS.repository.pattern))),
    },
    ciDeployBranches: {
        type: "array",
        description: "Branches whose push jobs may assume the deploy role (e.g. main for dev).",
        default: [],
        rule: list(pattern(CI_ACCESS_FORMS.branch.pattern, CI_ACCESS_FORMS.branch.form), { unique: true }),
        crossKey: "with ciDeployEnvironments at least one entry when ciRepository is set",
    },
    ciDeployEnvironments: {
        type: "array",
        description: "GitHub environments whose jobs may assume the deploy role (e.g. production, with required reviewers).",
        default: [],
        rule: list(pattern(CI_ACCESS_FORMS.githubEnvironment.pattern, CI_ACCESS_FORMS.githubEnvironment.form), { unique: true }),
        crossKey: "with ciDeployBranches at least one entry when ciRepository is set",
    },
    ciOidcProviderArn: {
        type: "string",
        description: "The account's existing GitHub OIDC provider; empty creates it (one per account).",
        default: "",
        rule: optional(pattern(OIDC_PROVIDER, "arn:aws:iam::<account>:oidc-provider/token.actions.githubusercontent.com")),
    },
    ciTrustedRoleArns: {
        type: "array",
        description: "Other IAM roles (e.g. a Jenkins agent's) that may assume the CI roles.",
        default: [],
        rule: list(pattern(CI_ACCESS_FORMS.roleArn.pattern, CI_ACCESS_FORMS.roleArn.form), { unique: true }),
    },
    ciDeploySessionSeconds: {
        type: "integer",
        description: "Longest session of the deploy role, in seconds.",
        default: 7200,
        rule: integer(CI_ACCESS_FORMS.sessionSeconds.min, CI_ACCESS_FORMS.sessionSeconds.max),
    },
    policyWaivers: {
        type: "array",
        description: "Security checks this stack waives, each `<check id>: <reason>` (see shared security checklist ids).",
        default: [],
        rule: list(pattern(checks.WAIVER, "'<CHECK_ID>: <reason of at least 10 characters>'")),
        crossKey: "each check id once",
    },
    protectResources: {
        type: "boolean",
        description: "Protect stateful resources (cluster, keys, repositories, log groups) from deletion and refuse to force-delete repositories.",
        default: true,
        rule: BOOLEAN,
    },
    extraTags: {
        type: "array",
        description: "Extra `key=value` tags for every AWS resource, on top of environment, project and managed-by.",
        default: [],
        rule: list(check("a key=value tag: key of 1-128 characters not starting with 'aws:' nor one the program sets (environment, project, managed-by), value up to 256 characters", checks.extraTag)),
    },
} as const satisfies Record<string, KeySpec>;

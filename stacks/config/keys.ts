import { KUBERNETES_VERSIONS } from "../../components/versions";

/**
 * Every project config key (`eks-platform:<key>`), its type, default and allowed form.
 * `Pulumi.yaml` declares the same keys; a test keeps the two in step, and the README's
 * config table is checked against this list too.
 */
export type ConfigType = "string" | "integer" | "boolean" | "array";
export type ConfigValue = string | number | boolean | string[];

export interface KeySpec {
    type: ConfigType;
    /** One line for Pulumi.yaml and the README. */
    description: string;
    /** Absent means the stack file must set the key. */
    default?: ConfigValue;
    /** Human text naming what is accepted; quoted in every validation error for the key. */
    allowed: string;
}

export const CONFIG_KEYS = {
    environment: {
        type: "string",
        description: "Environment name; becomes the `environment` tag and names the GitOps environments.",
        allowed: "lowercase letters, digits and '-', 2-16 characters, starting with a letter",
    },
    vpcCidr: {
        type: "string",
        description: "IPv4 CIDR of the VPC; must not overlap any other stack's so VPCs can be peered.",
        allowed: "a private (RFC 1918) IPv4 CIDR from /16 to /20 that overlaps no other stack's vpcCidr",
    },
    azCount: {
        type: "integer",
        description: "Number of availability zones, each with one public and one private subnet.",
        default: 3,
        allowed: "an integer from 2 to 6",
    },
    natStrategy: {
        type: "string",
        description: "NAT gateways: `single` (one shared, cheaper) or `onePerAz` (survives an AZ outage).",
        default: "onePerAz",
        allowed: "one of single, onePerAz",
    },
    flowLogRetentionDays: {
        type: "integer",
        description: "Retention of the VPC flow-log group, in days.",
        default: 365,
        allowed: "a CloudWatch retention period: 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288 or 3653",
    },
    clusterName: {
        type: "string",
        description: "EKS cluster name; also the `karpenter.sh/discovery` tag value.",
        allowed: "letters, digits, '-' and '_', 1-24 characters, starting with a letter or digit (names derived from it must fit AWS's 64-character limits)",
    },
    ecrRepositories: {
        type: "array",
        description: "ECR repositories to create, one per name.",
        default: [],
        allowed: "a list of unique ECR repository names (lowercase; segments of [a-z0-9] joined by '.', '_', '-' or '/'; 2-256 characters)",
    },
    ecrKeepTaggedImages: {
        type: "integer",
        description: "How many tagged images each ECR lifecycle policy keeps (untagged ones expire after 1 day).",
        default: 30,
        allowed: "an integer from 1 to 10000",
    },
    ecrMutableTags: {
        type: "array",
        description: "Tag filters (wildcards allowed, e.g. `latest`) exempt from tag immutability; empty keeps every tag immutable.",
        default: [],
        allowed: "a list of up to 5 tag filters of letters, digits, '.', '_', '-' and '*'",
    },
    kubernetesVersion: {
        type: "string",
        description: "EKS Kubernetes version (`1.NN`); managed add-on versions follow it.",
        default: KUBERNETES_VERSIONS.default,
        allowed: `a version of the form 1.NN from ${KUBERNETES_VERSIONS.oldestSupported} to ${KUBERNETES_VERSIONS.newestSupported}`,
    },
    endpointPublicAccess: {
        type: "boolean",
        description: "Expose the Kubernetes API endpoint publicly (restricted to publicAccessCidrs); the private endpoint is always on.",
        default: true,
        allowed: "true or false",
    },
    publicAccessCidrs: {
        type: "array",
        description: "CIDRs allowed to reach the public API endpoint (CI runners, VPN egress).",
        default: [],
        allowed: "a non-empty list of IPv4 CIDRs when endpointPublicAccess is true; 0.0.0.0/0 only outside prod and only with a `CKV_AWS_38` entry in policyWaivers",
    },
    privateAccessCidrs: {
        type: "array",
        description: "Networks outside the cluster (VPN clients, a CI runner subnet, a peered VPC) admitted to the private API endpoint on 443.",
        default: [],
        allowed: "a list of unique IPv4 CIDRs, none of them 0.0.0.0/0",
    },
    clusterLogRetentionDays: {
        type: "integer",
        description: "Retention of the EKS control-plane log group, in days.",
        default: 365,
        allowed: "a CloudWatch retention period: 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288 or 3653",
    },
    clusterAdminArns: {
        type: "array",
        description: "IAM roles/users that get cluster-admin through an access entry (`role/<name>` means this account); include the role that runs `pulumi up`.",
        default: [],
        allowed: "a list of unique IAM principals, each an ARN (arn:aws:iam::<account>:role/<name> or :user/<name>) or role/<name> or user/<name> in this account; non-empty when bootstrapCreatorAdmin is false",
    },
    namespaceAccess: {
        type: "array",
        description: "Namespace-scoped access entries, each `<principal ARN> <view|edit> <namespace>[,<namespace>…]`.",
        default: [],
        allowed: "a list of '<principal> <view|edit> <ns>[,<ns>…]' where the principal is as in clusterAdminArns and each ns a Kubernetes namespace name",
    },
    bootstrapCreatorAdmin: {
        type: "boolean",
        description: "Give the identity that creates the cluster silent cluster-admin. Fixed at creation: changing it replaces the cluster.",
        default: false,
        allowed: "true or false (false in prod)",
    },
    systemNodeInstanceTypes: {
        type: "array",
        description: "Instance types of the tainted system node group (one CPU architecture).",
        default: ["t3.medium"],
        allowed: "a non-empty list of EC2 instance types such as t3.medium, all x86_64 or all arm64 (Graviton)",
    },
    systemNodeMinSize: {
        type: "integer",
        description: "Minimum size of the system node group.",
        default: 2,
        allowed: "an integer from 1 to 10, at most systemNodeDesiredSize",
    },
    systemNodeDesiredSize: {
        type: "integer",
        description: "Desired size of the system node group.",
        default: 2,
        allowed: "an integer from systemNodeMinSize to systemNodeMaxSize",
    },
    systemNodeMaxSize: {
        type: "integer",
        description: "Maximum size of the system node group.",
        default: 3,
        allowed: "an integer from systemNodeDesiredSize to 20",
    },
    karpenterInstanceFamilies: {
        type: "array",
        description: "EC2 instance families the default Karpenter NodePool may launch.",
        default: ["m6i", "m7i", "c6i"],
        allowed: "a non-empty list of EC2 instance families such as m6i, t3a or c7g",
    },
    karpenterCapacityTypes: {
        type: "array",
        description: "Capacity types of the default NodePool: `spot`, `on-demand` or both.",
        default: ["on-demand"],
        allowed: "a non-empty list of spot and on-demand",
    },
    karpenterCpuLimit: {
        type: "integer",
        description: "Total vCPUs the default NodePool may hold.",
        default: 20,
        allowed: "an integer from 1 to 10000",
    },
    karpenterConsolidateAfter: {
        type: "string",
        description: "How long a node must be empty or underutilized before Karpenter consolidates it.",
        default: "5m",
        allowed: "a duration such as 30s, 5m or 1h30m",
    },
    karpenterExpireAfter: {
        type: "string",
        description: "Maximum lifetime of a Karpenter node (replaced, hence re-patched, after it).",
        default: "720h",
        allowed: "a duration such as 720h, or Never",
    },
    karpenterAmiAlias: {
        type: "string",
        description: "EC2NodeClass AMI alias: `al2023@latest`, or a pinned `al2023@vYYYYMMDD` release.",
        default: "al2023@latest",
        allowed: "al2023@latest or al2023@vYYYYMMDD",
    },
    karpenterReplicas: {
        type: "integer",
        description: "Karpenter controller replicas (each on its own system node).",
        default: 2,
        allowed: "an integer from 1 to systemNodeMinSize (replicas need separate system nodes)",
    },
    externalSecretsPrefixes: {
        type: "array",
        description: "Secrets Manager name prefixes the cluster's External Secrets may read (`<prefix>/*`).",
        allowed: "a non-empty list of unique prefixes of letters, digits and -_.+=@ without slashes",
    },
    externalSecretsReplicas: {
        type: "integer",
        description: "External Secrets controller replicas; more than one enables leader election and a PDB.",
        default: 2,
        allowed: "an integer from 1 to 5",
    },
    gitopsRepoUrl: {
        type: "string",
        description: "Git repository Argo CD deploys from (HTTPS or SSH URL).",
        allowed: "an https://host/path or git@host:path.git / ssh://git@host/path URL",
    },
    gitopsRevision: {
        type: "string",
        description: "Branch, tag or commit the ApplicationSets track.",
        default: "main",
        allowed: "a git ref of letters, digits and ./_-",
    },
    gitopsPath: {
        type: "string",
        description: "Path of an application's manifests in the GitOps repo; `{env}` and `{app}` are substituted.",
        default: "envs/{env}",
        allowed: "a relative path containing {env} (and optionally {app}), no '..'",
    },
    gitopsApps: {
        type: "array",
        description: "Applications the ApplicationSet generates, one per app and environment (`<app>-<env>`).",
        default: ["myapp"],
        allowed: "a non-empty list of unique DNS-label names",
    },
    gitopsEnvironments: {
        type: "array",
        description: "Environments (= namespaces) this cluster hosts; the AppProject may deploy only to these.",
        allowed: "a non-empty list of unique Kubernetes namespace names",
    },
    gitopsAutoSync: {
        type: "boolean",
        description: "Sync automatically with prune and self-heal; false means every sync is a manual decision.",
        default: false,
        allowed: "true or false",
    },
    argocdHighAvailability: {
        type: "boolean",
        description: "Run Argo CD HA: redis-ha, 2+ replicas of server, repo server and ApplicationSet controller, PodDisruptionBudgets.",
        default: true,
        allowed: "true or false",
    },
    argocdAdminPassword: {
        type: "string",
        description: "Argo CD admin password (set with --secret); empty generates one, exported as a secret.",
        default: "",
        allowed: "empty, or a secret value of at least 12 characters set with `pulumi config set --secret`",
    },
    grafanaAdminPassword: {
        type: "string",
        description: "Grafana admin password (set with --secret); empty generates one, exported as a secret.",
        default: "",
        allowed: "empty, or a secret value of at least 12 characters set with `pulumi config set --secret`",
    },
    argocdHostname: {
        type: "string",
        description: "DNS name of the Argo CD UI on the shared ALB (needs ingressCertificateArn).",
        default: "",
        allowed: "empty, or a DNS name such as argocd.example.com",
    },
    grafanaHostname: {
        type: "string",
        description: "DNS name of Grafana on the shared ALB (needs ingressCertificateArn).",
        default: "",
        allowed: "empty, or a DNS name such as grafana.example.com",
    },
    ingressCertificateArn: {
        type: "string",
        description: "ACM certificate for the shared ALB; empty means no Ingress (use kubectl port-forward).",
        default: "",
        allowed: "empty, or an ACM certificate ARN (arn:aws:acm:<region>:<account>:certificate/<uuid>) in the stack's region",
    },
    ingressScheme: {
        type: "string",
        description: "Whether the shared ALB is `internal` or `internet-facing`.",
        default: "internal",
        allowed: "one of internal, internet-facing",
    },
    prometheusRetention: {
        type: "string",
        description: "How long Prometheus keeps samples.",
        default: "15d",
        allowed: "a positive Prometheus duration such as 7d, 30d or 12h",
    },
    prometheusVolumeSize: {
        type: "string",
        description: "Size of Prometheus's gp3 volume.",
        default: "50Gi",
        allowed: "a positive size in Gi or Ti, such as 50Gi",
    },
    grafanaVolumeSize: {
        type: "string",
        description: "Size of Grafana's gp3 volume.",
        default: "10Gi",
        allowed: "a positive size in Gi or Ti, such as 10Gi",
    },
    ciRepository: {
        type: "string",
        description: "GitHub `owner/name` whose Actions may deploy this stack through OIDC; empty leaves CI access out (CiAccess).",
        default: "",
        allowed: "empty, or a GitHub repository owner/name",
    },
    ciDeployBranches: {
        type: "array",
        description: "Branches whose push jobs may assume the deploy role (e.g. main for dev).",
        default: [],
        allowed: "a list of exact branch names; with ciDeployEnvironments at least one entry when ciRepository is set",
    },
    ciDeployEnvironments: {
        type: "array",
        description: "GitHub environments whose jobs may assume the deploy role (e.g. production, with required reviewers).",
        default: [],
        allowed: "a list of exact GitHub environment names",
    },
    ciOidcProviderArn: {
        type: "string",
        description: "The account's existing GitHub OIDC provider; empty creates it (one per account).",
        default: "",
        allowed: "empty, or arn:aws:iam::<account>:oidc-provider/token.actions.githubusercontent.com",
    },
    ciTrustedRoleArns: {
        type: "array",
        description: "Other IAM roles (e.g. a Jenkins agent's) that may assume the CI roles.",
        default: [],
        allowed: "a list of IAM role ARNs",
    },
    ciDeploySessionSeconds: {
        type: "integer",
        description: "Longest session of the deploy role, in seconds.",
        default: 7200,
        allowed: "an integer from 3600 to 43200",
    },
    policyWaivers: {
        type: "array",
        description: "Security checks this stack waives, each `<check id>: <reason>` (see shared security checklist ids).",
        default: [],
        allowed: "a list of '<CHECK_ID>: <reason of at least 10 characters>'",
    },
    protectResources: {
        type: "boolean",
        description: "Protect stateful resources (cluster, keys, repositories, log groups) from deletion and refuse to force-delete repositories.",
        default: true,
        allowed: "true or false",
    },
    extraTags: {
        type: "array",
        description: "Extra `key=value` tags for every AWS resource, on top of environment, project and managed-by.",
        default: [],
        allowed: "a list of key=value strings; keys of 1-128 characters not starting with 'aws:', values up to 256 characters",
    },
} as const satisfies Record<string, KeySpec>;

export type ConfigKey = keyof typeof CONFIG_KEYS;

/**
 * Every project config key (`eks-platform:<key>`) and the stack's configuration type, joined from the areas:
 * stack.ts, cluster.ts, addons.ts, platform.ts and ci.ts each hold their keys (type, default, description,
 * rule), their reader and their type. The validator checks values against `rule`; error messages, `Pulumi.yaml`'s
 * config block and the README table all derive their text from the same declaration (`npm run config:docs`
 * regenerates the last two).
 */
import { ADDON_KEYS, AddonsConfig } from "./addons";
import { AwsAccountSettings } from "./aws-account";
import { CI_KEYS, CiConfig } from "./ci";
import { CLUSTER_KEYS, ClusterConfig } from "./cluster";
import { PLATFORM_KEYS, PlatformAppsConfig } from "./platform";
import { KeySpec, allowedText as specAllowedText } from "./rules";
import { PROVIDER_KEYS, STACK_KEYS, StackConfig } from "./stack";

export { ConfigType, ConfigValue, KeySpec } from "./rules";
export { PROVIDER_KEYS };

const AREAS = [STACK_KEYS, CLUSTER_KEYS, ADDON_KEYS, PLATFORM_KEYS, CI_KEYS] as const;
type AreaKeys = typeof STACK_KEYS & typeof CLUSTER_KEYS & typeof ADDON_KEYS & typeof PLATFORM_KEYS & typeof CI_KEYS;
const declared: Record<string, KeySpec> = Object.assign({}, ...AREAS);
const counted = AREAS.reduce((n, area) => n + Object.keys(area).length, 0);
if (Object.keys(declared).length !== counted) throw new Error("a config key is declared in more than one area");

/**
 * The order of Pulumi.yaml's config block and the README table, kept from before the keys were split by area
 * so both files stay as they were; a key not listed here (a new one) follows these, in area order.
 */
const DOCUMENTED_ORDER: readonly (keyof AreaKeys)[] = [
    "environment", "vpcCidr", "azCount", "natStrategy", "flowLogRetentionDays", "clusterName", "ecrRepositories",
    "ecrPrefixWithEnvironment", "ecrKeepTaggedImages", "ecrMutableTags", "kubernetesVersion", "endpointPublicAccess", "publicAccessCidrs",
    "privateAccessCidrs", "clusterLogRetentionDays", "clusterAdminArns", "kmsBreakGlassArn", "namespaceAccess", "bootstrapCreatorAdmin",
    "systemNodeInstanceTypes", "systemNodeCapacityType", "systemNodeMinSize", "systemNodeDesiredSize", "systemNodeMaxSize",
    "karpenterInstanceFamilies", "karpenterCapacityTypes", "karpenterCpuLimit", "karpenterConsolidateAfter", "karpenterExpireAfter",
    "karpenterAmiAlias", "karpenterReplicas", "externalSecretsPrefixes", "externalSecretsReplicas", "backupEnabled", "backupRetentionDays",
    "gitopsRepoUrl", "gitopsRepoCredentials", "gitopsRevision", "gitopsPath", "gitopsApps", "gitopsEnvironments", "tenantQuota",
    "gitopsAutoSync", "tenantEgress", "argocdHighAvailability", "argocdAdminPassword", "grafanaAdminPassword", "argocdHostname",
    "grafanaHostname", "ingressCertificateArn", "ingressScheme", "prometheusRetention", "prometheusMemoryRequest", "prometheusVolumeSize",
    "grafanaVolumeSize", "alertSlackWebhookUrl", "alertPagerDutyRoutingKey", "alertHeartbeatUrl", "ciRepository", "ciRepositoryId",
    "ciRepositoryOwnerId", "ciStateBucket", "ciPreviewEnvironment", "ciApplications", "ciApplicationPushEnvironment",
    "ciApplicationPullEnvironment", "ciDeployBranches", "ciDeployEnvironments", "ciOidcProviderArn", "ciTrustedRoleArns",
    "ciProdAgentRoleArns", "ciDeploySessionSeconds", "policyWaivers", "protectResources", "extraTags", "prometheusReplicas",
    "alertmanagerReplicas", "dockerHubCredentialsSecret", "metricsServerReplicas", "externalDnsZoneIds", "externalDnsDomains", "wafEnabled",
    "wafRateLimit", "wafLogRetentionDays", "containerLogs", "containerLogRetentionDays", "clusterSupportType", "zonalShift",
];

export const CONFIG_KEYS = Object.fromEntries(
    [...DOCUMENTED_ORDER, ...Object.keys(declared).filter((key) => !(DOCUMENTED_ORDER as string[]).includes(key))].map((key) => [key, declared[key]]),
) as AreaKeys;

export type ConfigKey = keyof typeof CONFIG_KEYS;

/** What `key` accepts, in words: its own rule, then the rules it shares with other keys. */
export function allowedText(key: ConfigKey | keyof typeof PROVIDER_KEYS): string {
    return specAllowedText(key in CONFIG_KEYS ? CONFIG_KEYS[key as ConfigKey] : PROVIDER_KEYS[key as keyof typeof PROVIDER_KEYS]);
}

/** The typed, validated configuration of one stack, one part per config area. Components receive slices of it. */
export interface PlatformConfig extends StackConfig {
    /** Pulumi project name, used for the `project` tag. */
    project: string;
    /** Pulumi stack name (dev, prod, …). */
    stack: string;
    /** AWS region from `aws:region`. */
    region: string;
    /** EKS cluster name. */
    clusterName: string;
    cluster: ClusterConfig;
    /** Every add-on's settings. */
    addons: AddonsConfig;
    /** GitOps, Argo CD, monitoring, the shared ingress and WAF. */
    platform: PlatformAppsConfig;
    /** GitHub OIDC deploy/preview roles; absent when `ciRepository` is empty. */
    ci?: CiConfig;
    /** The `aws:` account settings (profile, allowed accounts, roles to assume) for the explicit provider. */
    awsAccount: AwsAccountSettings;
    /** Other stack files pinning one of this stack's accounts (`aws:allowedAccountIds`) in its region; empty in the one-account-per-environment layout. */
    sharedAccountWith: SharedAccount[];
}

/** Another stack file that certainly targets this stack's account and region. */
export interface SharedAccount {
    stack: string;
    /** The accounts both files pin. */
    accounts: string[];
}

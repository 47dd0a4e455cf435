import { AwsAccountSettings } from "./aws-account";
import { CiAccessArgs } from "../../components/ci-access/types";
import { AccessLevel, NamespaceAccess, SystemNodesArgs } from "../../components/cluster/types";
import { NodePoolSettings } from "../../components/cluster/karpenter/manifests";
import { NatStrategy } from "../../components/network/types";
import type { TenantQuota } from "../../components/platform/tenants/quota";
import { ArgoCdSettings, GitOpsSettings, MonitoringSettings, SharedIngressSettings } from "../../components/platform";

export { AccessLevel, NamespaceAccess, NatStrategy, SystemNodesArgs };

/** The typed, validated configuration of one stack. Components receive slices of it. */
export interface PlatformConfig {
    /** Pulumi project name, used for the `project` tag. */
    project: string;
    /** Pulumi stack name (dev, prod, …). */
    stack: string;
    /** AWS region from `aws:region`. */
    region: string;
    /** Environment name, e.g. `dev` or `prod`. */
    environment: string;
    /** Tags every AWS resource carries (through the provider's default tags). */
    tags: Record<string, string>;
    /** Whether stateful resources are protected from deletion. */
    protect: boolean;
    network: NetworkConfig;
    registry: RegistryConfig;
    /** EKS cluster name. */
    clusterName: string;
    cluster: ClusterConfig;
    addons: AddonsConfig;
    platform: PlatformAppsConfig;
    /** Metrics, DNS, WAF, container logs and cluster lifecycle. */
    ops: OpsConfig;
    /** GitHub OIDC deploy/preview roles; absent when `ciRepository` is empty. */
    ci?: CiConfig;
    /** Waived security checks: check id → reason. */
    waivers: Record<string, string>;
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


export interface NetworkConfig {
    vpcCidr: string;
    azCount: number;
    natStrategy: NatStrategy;
    flowLogRetentionDays: number;
    /** The other stack files' VPC CIDRs: no pod of this stack may connect there. */
    otherVpcCidrs: string[];
    /** Per gitopsEnvironments namespace, the CIDRs its pods reach on 443 (`tenantEgress`); empty: none. */
    tenantEgress: Record<string, string[]>;
}

export interface RegistryConfig {
    /** `<environment>/` when ecrPrefixWithEnvironment is on, else empty. */
    namePrefix: string;
    repositories: string[];
    keepTaggedImages: number;
    mutableTagFilters: string[];
    /** Secrets Manager secret with the Docker Hub credentials of the pull-through cache. Config key `dockerHubCredentialsSecret`. */
    dockerHubCredentialsSecret: string;
}

export interface ClusterConfig {
    kubernetesVersion: string;
    endpointPublicAccess: boolean;
    publicAccessCidrs: string[];
    /** Networks admitted to the private endpoint on 443 (VPN, CI runner subnet, peered VPC). */
    privateAccessCidrs: string[];
    logRetentionDays: number;
    /** Principals with cluster-admin (full ARN or `role/<name>` shorthand). */
    adminPrincipals: string[];
    namespaceAccess: NamespaceAccess[];
    bootstrapCreatorAdmin: boolean;
    /** Role exempt from the KMS key-policy guard (deletion, disabling, policy changes); undefined when unset. */
    kmsBreakGlassArn?: string;
    systemNodes: SystemNodesArgs;
}

export interface AddonsConfig {
    karpenter: {
        nodePool: NodePoolSettings;
        amiAlias: string;
        replicas: number;
    };
    externalSecrets: {
        secretPrefixes: string[];
        replicas: number;
    };
    /** Velero; absent when `backupEnabled` is false. */
    backups?: {
        /** The gitopsEnvironments namespaces. */
        namespaces: string[];
        retentionDays: number;
    };
}

export interface PlatformAppsConfig {
    /** The AppProject takes the environment's name, so the config does not carry it. Absent when `gitopsRepoUrl` is empty. */
    gitops?: Omit<GitOpsSettings, "project">;
    /** Each application namespace's quota; present exactly when `gitops` is. Config key `tenantQuota`. */
    tenantQuotas?: Record<string, TenantQuota>;
    argocd: ArgoCdSettings;
    monitoring: MonitoringSettings;
    /** Present only when a certificate is configured: then Argo CD and Grafana get Ingresses. */
    ingress?: SharedIngressSettings;
}

/** CiAccess arguments that come from config (the rest are the stack's environment and account). */
export type CiConfig = Omit<CiAccessArgs, "environment" | "aws" | "clusterName">;

export interface OpsConfig {
    /** Config key `metricsServerReplicas`. */
    metricsServer: { replicas: number };
    /** Absent when `externalDnsZoneIds` is empty. Policy: `upsert-only` in prod (never deletes), `sync` elsewhere. */
    externalDns?: { zoneIds: string[]; domains: string[]; policy: "sync" | "upsert-only" };
    /** Applies only to an internet-facing shared ALB. Keys `wafEnabled`, `wafRateLimit`, `wafLogRetentionDays`. */
    waf: { enabled: boolean; rateLimit: number; logRetentionDays: number };
    /** Absent when `containerLogs` is false. */
    containerLogs?: { retentionDays: number };
    /** Keys `clusterSupportType`, `zonalShift`. */
    lifecycle: { supportType: "STANDARD" | "EXTENDED"; zonalShift: boolean };
}

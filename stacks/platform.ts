import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { CiAccess } from "../components/ci-access";
import { Cluster } from "../components/cluster";
import { ClusterAddonComponent } from "../components/cluster/cluster-addon";
import { ExternalSecrets } from "../components/cluster/external-secrets";
import { Karpenter } from "../components/cluster/karpenter";
import { LoadBalancerController } from "../components/cluster/load-balancer-controller";
import { Velero } from "../components/cluster/velero";
import { Network } from "../components/network";
import { Platform } from "../components/platform";
import { Registry } from "../components/registry";
import { AwsContext } from "../components/shared/aws-context";
import { logsKey } from "../components/shared/logs-key";
import { PolicyWaivers } from "../components/shared/policy-waivers";
import { PlatformConfig } from "./config/types";
import { PreflightResult } from "./preflight";

/** What `index.ts` exports as stack outputs. */
export interface PlatformOutputs {
    vpcId: pulumi.Output<string>;
    vpcCidr: string;
    publicSubnetIds: pulumi.Output<string[]>;
    privateSubnetIds: pulumi.Output<string[]>;
    repositoryUrls: pulumi.Output<Record<string, string>>;
    clusterName: pulumi.Output<string>;
    clusterEndpoint: pulumi.Output<string>;
    clusterCertificateAuthority: pulumi.Output<string>;
    nodeSecurityGroupId: pulumi.Output<string>;
    kubeconfig: pulumi.Output<string>;
    appSecretsKeyArn: pulumi.Output<string>;
    argocdUrl?: pulumi.Output<string>;
    grafanaUrl?: pulumi.Output<string>;
    argocdAdminPassword: pulumi.Output<string>;
    grafanaAdminPassword: pulumi.Output<string>;
    ciDeployRoleArn?: pulumi.Output<string>;
    ciPreviewRoleArn?: pulumi.Output<string>;
}

/** What a cluster add-on is built from. */
export interface AddonContext {
    cfg: PlatformConfig;
    cluster: Cluster;
    network: Network;
    aws: AwsContext;
    /** Account-level resources node launches need (the EC2 Spot service-linked role when it was missing). */
    launchPrerequisites: pulumi.Resource[];
}

/** An add-on switched off in config: nothing to wait for, nothing to scrape. */
const NO_ADDON: ClusterAddonComponent = { platformDependencies: [], scrapeTargets: [] };

/**
 * The cluster add-ons, one line each, in install order. Each is a child of the cluster (whose
 * provider and Pod Identity helper it uses); what it declares as `platformDependencies` the
 * Platform's releases wait for, its `scrapeTargets` Prometheus scrapes.
 */
const CLUSTER_ADDONS = {
    karpenter: (c) => new Karpenter(
            "karpenter",
            { cluster: c.cluster, aws: c.aws, ...c.cfg.addons.karpenter, tags: c.cfg.tags, launchPrerequisites: c.launchPrerequisites },
            { parent: c.cluster },
        ),
    loadBalancerController: (c) =>
        new LoadBalancerController("aws-load-balancer-controller", { cluster: c.cluster, region: c.cfg.region, vpcId: c.network.vpcId, replicas: 2 }, { parent: c.cluster }),
    externalSecrets: (c) => new ExternalSecrets("external-secrets", { cluster: c.cluster, aws: c.aws, ...c.cfg.addons.externalSecrets, protect: c.cfg.protect }, { parent: c.cluster }),
    backups: (c) =>
        c.cfg.addons.backups
            ? new Velero("velero", { cluster: c.cluster, aws: c.aws, kubernetesVersion: c.cfg.cluster.kubernetesVersion, ...c.cfg.addons.backups, protect: c.cfg.protect }, { parent: c.cluster })
            : NO_ADDON,
} satisfies Record<string, (c: AddonContext) => ClusterAddonComponent>;

export type ClusterAddons = { [K in keyof typeof CLUSTER_ADDONS]: ReturnType<(typeof CLUSTER_ADDONS)[K]> };

/** Builds every entry of the add-on list, in order. */
export function buildClusterAddons(c: AddonContext): ClusterAddons {
    return Object.fromEntries(Object.entries(CLUSTER_ADDONS).map(([key, build]) => [key, build(c)])) as ClusterAddons;
}

/** The target account as the program found it: its provider, and what the preflight decided. */
export interface TargetAccount {
    /**
     * The one explicit provider: region, account settings and the tags every AWS resource gets,
     * including the children of the awsx components, which inherit it.
     */
    provider: aws.Provider;
    preflight: Pick<PreflightResult, "createSpotServiceLinkedRole" | "reuseGithubOidcProviderArn">;
}

/** Wires the components of one stack together: Network → Registry → Cluster (+ add-ons) → Platform. */
export function buildPlatform(cfg: PlatformConfig, account: TargetAccount): PlatformOutputs {
    const provider = account.provider;
    const opts: pulumi.ComponentResourceOptions = { providers: [provider] };
    const ctx = awsContext(cfg.region, provider);
    new PolicyWaivers("policy-waivers", cfg.waivers);

    const logs = logsKey("logs", { clusterName: cfg.clusterName, aws: ctx, protect: cfg.protect }, opts);

    const network = new Network(
        "network",
        {
            vpcCidr: cfg.network.vpcCidr,
            azCount: cfg.network.azCount,
            natStrategy: cfg.network.natStrategy,
            clusterName: cfg.clusterName,
            flowLogRetentionDays: cfg.network.flowLogRetentionDays,
            logsKeyArn: logs.arn,
            aws: ctx,
            protect: cfg.protect,
        },
        opts,
    );

    const registry = new Registry(
        "registry",
        {
            namePrefix: cfg.registry.namePrefix,
            repositories: cfg.registry.repositories,
            keepTaggedImages: cfg.registry.keepTaggedImages,
            mutableTagFilters: cfg.registry.mutableTagFilters,
            protect: cfg.protect,
        },
        opts,
    );

    // Keyless CI: GitHub OIDC roles; deploy is a cluster-admin, preview may only read (no Secrets).
    const ci =
        cfg.ci &&
        new CiAccess(
            "ci-access",
            { ...cfg.ci, oidcProviderArn: cfg.ci.oidcProviderArn ?? account.preflight.reuseGithubOidcProviderArn, environment: cfg.environment, aws: ctx },
            opts,
        );

    const cluster = new Cluster(
        "cluster",
        {
            name: cfg.clusterName,
            kubernetesVersion: cfg.cluster.kubernetesVersion,
            vpcId: network.vpcId,
            privateSubnetIds: network.privateSubnetIds,
            endpointPublicAccess: cfg.cluster.endpointPublicAccess,
            publicAccessCidrs: cfg.cluster.publicAccessCidrs,
            privateAccessCidrs: cfg.cluster.privateAccessCidrs,
            logRetentionDays: cfg.cluster.logRetentionDays,
            logsKeyArn: logs.arn,
            adminPrincipals: cfg.cluster.adminPrincipals,
            namespaceAccess: cfg.cluster.namespaceAccess,
            adminRoles: ci ? [{ label: "ci-deploy", roleArn: ci.deployRoleArn }] : [],
            viewerRoles: ci ? [{ label: "ci-preview", roleArn: ci.previewRoleArn }] : [],
            bootstrapCreatorAdmin: cfg.cluster.bootstrapCreatorAdmin,
            systemNodes: cfg.cluster.systemNodes,
            aws: ctx,
            protect: cfg.protect,
        },
        opts,
    );

    // Without this role a fresh account's first spot launch fails (ServiceLinkedRoleCreationNotPermitted).
    // Kept on destroy: other stacks and tools of the account rely on it once it exists.
    const spotRole = account.preflight.createSpotServiceLinkedRole
        ? [new aws.iam.ServiceLinkedRole("ec2-spot", { awsServiceName: "spot.amazonaws.com" }, { provider, retainOnDelete: true })]
        : [];

    const addons = buildClusterAddons({ cfg, cluster, network, aws: ctx, launchPrerequisites: spotRole });
    const allAddons: ClusterAddonComponent[] = Object.values(addons);

    const platform = new Platform(
        "platform",
        {
            cluster,
            dependsOn: allAddons.flatMap((a) => a.platformDependencies),
            scrapeTargets: allAddons.flatMap((a) => a.scrapeTargets),
            gitops: cfg.platform.gitops && { ...cfg.platform.gitops, project: cfg.environment },
            argocd: cfg.platform.argocd,
            monitoring: cfg.platform.monitoring,
            ingress: cfg.platform.ingress,
        },
        opts,
    );

    return {
        ciDeployRoleArn: ci?.deployRoleArn,
        ciPreviewRoleArn: ci?.previewRoleArn,
        argocdUrl: platform.argocd.url,
        grafanaUrl: platform.monitoring.grafanaUrl,
        argocdAdminPassword: platform.argocd.adminPassword,
        grafanaAdminPassword: platform.monitoring.grafanaAdminPassword,
        appSecretsKeyArn: addons.externalSecrets.secretsKeyArn,
        clusterName: cluster.name,
        clusterEndpoint: cluster.endpoint,
        clusterCertificateAuthority: cluster.certificateAuthority,
        nodeSecurityGroupId: cluster.nodeSecurityGroupId,
        kubeconfig: cluster.kubeconfig,
        vpcId: network.vpcId,
        vpcCidr: network.vpcCidr,
        publicSubnetIds: network.publicSubnetIds,
        privateSubnetIds: network.privateSubnetIds,
        repositoryUrls: registry.repositoryUrls,
    };
}

function awsContext(region: string, provider: aws.Provider): AwsContext {
    const identity = aws.getCallerIdentityOutput({}, { provider });
    const partition = aws.getPartitionOutput({}, { provider });
    return { accountId: identity.accountId, partition: partition.partition, region, callerArn: identity.arn };
}

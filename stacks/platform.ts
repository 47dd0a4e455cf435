import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { CiAccess } from "../components/ci-access";
import { boundaryArnFor, permissionsBoundaryTransformation } from "../components/ci-access/boundary";
import { Cluster } from "../components/cluster";
import { ClusterAddonComponent } from "../components/cluster/cluster-addon";
import { ExternalSecrets } from "../components/cluster/external-secrets";
import { Karpenter } from "../components/cluster/karpenter";
import { LoadBalancerController } from "../components/cluster/load-balancer-controller";
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
    /** Image-push role ARN per application repository (`ciApplications`): AWS_ECR_PUSH_ROLE_ARN_<ENV> of the service template. */
    ciImagePushRoleArns?: pulumi.Output<Record<string, string>>;
    /** Image-pull (promotion) role ARN per application repository: AWS_ECR_PULL_ROLE_ARN_<ENV> of the service template. */
    ciImagePullRoleArns?: pulumi.Output<Record<string, string>>;
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
    // With CI access, every role the platform creates carries CI's permissions boundary: the deploy role may create no other.
    const bounded: pulumi.ComponentResourceOptions = cfg.ci
        ? { ...opts, transformations: [permissionsBoundaryTransformation(boundaryArnFor(ctx, cfg.environment))] }
        : opts;
    new PolicyWaivers("policy-waivers", cfg.waivers);

    const logs = logsKey("logs", { clusterName: cfg.clusterName, aws: ctx, protect: cfg.protect }, bounded);

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
        bounded,
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
        bounded,
    );

    // Keyless CI: GitHub OIDC roles; deploy is a cluster-admin, preview may only read (no Secrets).
    const ci =
        cfg.ci &&
        new CiAccess(
            "ci-access",
            { ...cfg.ci, oidcProviderArn: cfg.ci.oidcProviderArn ?? account.preflight.reuseGithubOidcProviderArn, environment: cfg.environment, clusterName: cfg.clusterName, aws: ctx },
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
        bounded,
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
        bounded,
    );

    return {
        ciDeployRoleArn: ci?.deployRoleArn,
        ciPreviewRoleArn: ci?.previewRoleArn,
        ciImagePushRoleArns: ci?.imagePushRoleArns,
        ciImagePullRoleArns: ci?.imagePullRoleArns,
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

import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { CiAccess } from "../components/ci-access";
import { Cluster } from "../components/cluster";
import { ExternalSecrets } from "../components/cluster/external-secrets";
import { Karpenter } from "../components/cluster/karpenter";
import { LoadBalancerController } from "../components/cluster/load-balancer-controller";
import { Network } from "../components/network";
import { Platform } from "../components/platform";
import { Registry } from "../components/registry";
import { AwsContext, arn } from "../components/shared/aws-context";
import { KmsKey } from "../components/shared/kms-key";
import { PolicyWaivers } from "../components/shared/policy-waivers";
import { PlatformConfig } from "./config/types";

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

/** Wires the components of one stack together: Network → Registry → Cluster (+ add-ons) → Platform. */
export function buildPlatform(cfg: PlatformConfig): PlatformOutputs {
    // One explicit provider carries the region and the tags every AWS resource gets, including the
    // children of the awsx/eks components, which inherit it.
    const provider = new aws.Provider("aws", { region: cfg.region as aws.Region, defaultTags: { tags: cfg.tags } });
    const opts: pulumi.ComponentResourceOptions = { providers: [provider] };
    const ctx = awsContext(cfg.region, provider);
    new PolicyWaivers("policy-waivers", cfg.waivers);

    const logsKey = new KmsKey(
        "logs",
        {
            description: `${cfg.clusterName}: CloudWatch log groups (VPC flow logs, EKS control plane)`,
            alias: `${cfg.clusterName}/logs`,
            aws: ctx,
            serviceStatements: [
                {
                    Sid: "CloudWatchLogsOfThisAccount",
                    Effect: "Allow",
                    Principal: { Service: `logs.${cfg.region}.amazonaws.com` },
                    Action: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
                    Resource: "*",
                    Condition: { ArnLike: { "kms:EncryptionContext:aws:logs:arn": arn(ctx, "logs", "log-group:*") } },
                },
            ],
            protect: cfg.protect,
        },
        opts,
    );

    const network = new Network(
        "network",
        {
            cidr: cfg.network.vpcCidr,
            azCount: cfg.network.azCount,
            natStrategy: cfg.network.natStrategy,
            clusterName: cfg.clusterName,
            flowLogRetentionDays: cfg.network.flowLogRetentionDays,
            logsKeyArn: logsKey.arn,
            aws: ctx,
            protect: cfg.protect,
        },
        opts,
    );

    const registry = new Registry(
        "registry",
        {
            repositories: cfg.registry.repositories,
            keepTaggedImages: cfg.registry.keepTaggedImages,
            mutableTagFilters: cfg.registry.mutableTagFilters,
            protect: cfg.protect,
        },
        opts,
    );

    // Keyless CI: GitHub OIDC roles; deploy is a cluster-admin, preview may only read (no Secrets).
    const ci = cfg.ci && new CiAccess("ci-access", { ...cfg.ci, environment: cfg.environment, aws: ctx }, opts);

    const cluster = new Cluster(
        "cluster",
        {
            name: cfg.clusterName,
            version: cfg.cluster.kubernetesVersion,
            vpcId: network.vpcId,
            privateSubnetIds: network.privateSubnetIds,
            endpointPublicAccess: cfg.cluster.endpointPublicAccess,
            publicAccessCidrs: cfg.cluster.publicAccessCidrs,
            logRetentionDays: cfg.cluster.logRetentionDays,
            logsKeyArn: logsKey.arn,
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

    // Add-ons are children of the cluster: they use its provider and Pod Identity helper.
    const karpenter = new Karpenter(
        "karpenter",
        {
            cluster,
            clusterName: cfg.clusterName,
            aws: ctx,
            nodePool: cfg.addons.karpenter.nodePool,
            amiAlias: cfg.addons.karpenter.amiAlias,
            replicas: cfg.addons.karpenter.replicas,
            tags: cfg.tags,
        },
        { parent: cluster },
    );
    const loadBalancerController = new LoadBalancerController(
        "aws-load-balancer-controller",
        { cluster, clusterName: cfg.clusterName, region: cfg.region, vpcId: network.vpcId, replicas: 2 },
        { parent: cluster },
    );
    const externalSecrets = new ExternalSecrets(
        "external-secrets",
        {
            cluster,
            clusterName: cfg.clusterName,
            aws: ctx,
            secretPrefixes: cfg.addons.externalSecrets.secretPrefixes,
            replicas: cfg.addons.externalSecrets.replicas,
            protect: cfg.protect,
        },
        { parent: cluster },
    );

    const platform = new Platform(
        "platform",
        {
            cluster,
            clusterName: cfg.clusterName,
            dependsOn: [karpenter.nodePool, loadBalancerController.release],
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
        appSecretsKeyArn: externalSecrets.secretsKeyArn,
        clusterName: cluster.clusterName,
        clusterEndpoint: cluster.endpoint,
        clusterCertificateAuthority: cluster.certificateAuthority,
        nodeSecurityGroupId: cluster.nodeSecurityGroupId,
        kubeconfig: cluster.kubeconfig,
        vpcId: network.vpcId,
        vpcCidr: network.cidr,
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

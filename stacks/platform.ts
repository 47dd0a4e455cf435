import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { CiAccess } from "../components/ci-access";
import { REFRESH_READERS_GROUP, RefreshReader } from "../components/ci-access/refresh-reader";
import { boundaryArnFor, nodeBoundaryArnFor, permissionsBoundaryTransformation } from "../components/ci-access/boundary";
import { Cluster } from "../components/cluster";
import { autoModeServiceCidr } from "../components/cluster/auto-mode/dns";
import { configuredAccessGrants, principalArn } from "../components/cluster/access";
import { ClusterAddonComponent } from "../components/cluster/cluster-addon";
import { REPOSITORY_STORE_NAME } from "../components/cluster/external-secrets/repository-access";
import { Network } from "../components/network";
import { Platform } from "../components/platform";
import { ARGOCD_SCRAPE_TARGET } from "../components/platform/argocd";
import { ARGOCD_NAMESPACE } from "../components/platform/argocd/gitops";
import { MONITORING_NAMESPACE } from "../components/platform/monitoring";
import { NODE_EXPORTER_NAMESPACE } from "../components/platform/monitoring/exporters";
import { WebFirewall } from "../components/platform/waf";
import { Registry } from "../components/registry";
import { DockerHubCache } from "../components/registry/pull-through-cache";
import { AwsContext } from "../components/shared/aws-context";
import { keyAdministration } from "../components/shared/kms-key";
import { logsKey } from "../components/shared/logs-key";
import { ALB_BACKENDS, NamespaceIsolation, WEBHOOK_BACKENDS, scrapeBackends } from "../components/shared/network-policy";
import { PolicyWaivers } from "../components/shared/policy-waivers";
import { buildClusterAddons } from "./addons";
import { PlatformConfig } from "./config/keys";
import { PlatformOutputs } from "./outputs";
import { PreflightResult } from "./preflight";

/** The target account as the program found it: its provider, and what the preflight decided. */
export interface TargetAccount {
    /**
     * The one explicit provider: region, account settings and the tags every AWS resource gets,
     * including the children of the awsx components, which inherit it.
     */
    provider: aws.Provider;
    preflight: Pick<PreflightResult, "createSpotServiceLinkedRole" | "reuseGithubOidcProviderArn" | "dockerHubCredentialsArn" | "existingServiceIpv4Cidr">;
}

/** Wires the components of one stack together: Network → Registry → Cluster (+ add-ons) → Platform. */
export function buildPlatform(cfg: PlatformConfig, account: TargetAccount): PlatformOutputs {
    const provider = account.provider;
    const opts: pulumi.ComponentResourceOptions = { providers: [provider] };
    const ctx = awsContext(cfg.region, provider);
    // With CI access, every role the platform creates carries CI's permissions boundary: the deploy role may create no other.
    const bounded: pulumi.ComponentResourceOptions = cfg.ci
        ? { ...opts, transformations: [permissionsBoundaryTransformation({ workloads: boundaryArnFor(ctx, cfg.environment), nodes: nodeBoundaryArnFor(ctx, cfg.environment) })] }
        : opts;
    new PolicyWaivers("policy-waivers", cfg.waivers);

    // Keyless CI: GitHub OIDC roles; deploy is a cluster-admin, preview may only read (no Secrets).
    const ci =
        cfg.ci &&
        new CiAccess(
            "ci-access",
            {
                ...cfg.ci,
                oidcProviderArn: cfg.ci.oidcProviderArn ?? account.preflight.reuseGithubOidcProviderArn,
                environment: cfg.environment,
                clusterName: cfg.clusterName,
                accessGrants: configuredAccessGrants(ctx, cfg.cluster.adminPrincipals, cfg.cluster.namespaceAccess),
                hostedZoneIds: cfg.addons.externalDns?.zoneIds ?? [],
                ipFamily: cfg.network.ipFamily,
                computeMode: cfg.cluster.computeMode,
                aws: ctx,
            },
            opts,
        );

    const keyAdmins = keyAdministration(
        ctx,
        {
            administrators: cfg.cluster.adminPrincipals.map((p) => principalArn(ctx, p)),
            ciDeployRoleArn: ci ? ci.deployRoleArn : undefined,
            breakGlassArn: cfg.cluster.kmsBreakGlassArn,
        },
        { provider },
    );
    const logs = logsKey("logs", { clusterName: cfg.clusterName, aws: ctx, administration: keyAdmins, protect: cfg.protect }, bounded);

    const network = new Network(
        "network",
        {
            vpcCidr: cfg.network.vpcCidr,
            azCount: cfg.network.azCount,
            natStrategy: cfg.network.natStrategy,
            ipFamily: cfg.network.ipFamily,
            clusterName: cfg.clusterName,
            flowLogRetentionDays: cfg.network.flowLogRetentionDays,
            logsKeyArn: logs.arn,
            aws: ctx,
            protect: cfg.protect,
        },
        bounded,
    );
    if (ci) ci.allowDefaultSecurityGroupOf(network.vpcId);

    // Docker Hub images come through the account's own registry, authenticated: no anonymous pull limits.
    const dockerHubCache = new DockerHubCache(
        "docker-hub-cache",
        { environment: cfg.environment, credentialArn: requiredFact(account.preflight.dockerHubCredentialsArn, "dockerHubCredentialsArn"), aws: ctx },
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
        bounded,
    );

    const cluster = new Cluster(
        "cluster",
        {
            name: cfg.clusterName,
            kubernetesVersion: cfg.cluster.kubernetesVersion,
            computeMode: cfg.cluster.computeMode,
            // Fixed at creation: an existing cluster keeps its range (a changed otherVpcCidrs would otherwise replace it).
            serviceIpv4Cidr:
                cfg.cluster.computeMode === "auto" && cfg.network.ipFamily === "ipv4"
                    ? (account.preflight.existingServiceIpv4Cidr ?? autoModeServiceCidr(cfg.network.vpcCidr, cfg.network.otherVpcCidrs))
                    : undefined,
            vpcId: network.vpcId,
            privateSubnetIds: network.privateSubnetIds,
            ipFamily: cfg.network.ipFamily,
            privateEgress: network.privateEgress,
            endpointPublicAccess: cfg.cluster.endpointPublicAccess,
            publicAccessCidrs: cfg.cluster.publicAccessCidrs,
            privateAccessCidrs: cfg.cluster.privateAccessCidrs,
            logRetentionDays: cfg.cluster.logRetentionDays,
            logsKeyArn: logs.arn,
            adminPrincipals: cfg.cluster.adminPrincipals,
            namespaceAccess: cfg.cluster.namespaceAccess,
            adminRoles: ci ? [{ label: "ci-deploy", roleArn: ci.deployRoleArn }] : [],
            // The preview role also reads, for the drift check's refresh, what the view leaves out (RefreshReader below).
            viewerRoles: ci ? [{ label: "ci-preview", roleArn: ci.previewRoleArn, kubernetesGroups: [REFRESH_READERS_GROUP] }] : [],
            bootstrapCreatorAdmin: cfg.cluster.bootstrapCreatorAdmin,
            systemNodes: cfg.cluster.systemNodes,
            imageCachePrefix: dockerHubCache.mirror.prefix,
            ownerTags: { project: cfg.tags.project, environment: cfg.tags.environment },
            supportType: cfg.cluster.lifecycle.supportType,
            zonalShift: cfg.cluster.lifecycle.zonalShift,
            aws: ctx,
            keyAdministration: keyAdmins,
            protect: cfg.protect,
        },
        bounded,
    );

    // Without this role a fresh account's first spot launch fails (ServiceLinkedRoleCreationNotPermitted).
    // Kept on destroy: other stacks and tools of the account rely on it once it exists.
    const spotRole = account.preflight.createSpotServiceLinkedRole
        ? [new aws.iam.ServiceLinkedRole("ec2-spot", { awsServiceName: "spot.amazonaws.com" }, { provider, retainOnDelete: true })]
        : [];

    // Provisioned nodes (Karpenter's, or Auto Mode's, which has no node group to wait for NAT) pull images
    // through the private subnets' routes out: the NodePools wait for them.
    const launchPrerequisites = [...spotRole, ...network.privateEgress];
    const addons = buildClusterAddons({ cfg, cluster, network, aws: ctx, keyAdministration: keyAdmins, launchPrerequisites, logsKeyArn: logs.arn, dockerHub: dockerHubCache.mirror });
    const allAddons: ClusterAddonComponent[] = (Object.values(addons) as (ClusterAddonComponent | undefined)[]).filter((a): a is ClusterAddonComponent => a !== undefined);

    // WAF in front of an internet-facing shared ALB; an internal one is reachable only from the VPC.
    const ingress = cfg.platform.ingress;
    const waf =
        ingress?.scheme === "internet-facing" && cfg.platform.waf.enabled
            ? new WebFirewall("waf", { clusterName: cfg.clusterName, ...cfg.platform.waf, logsKeyArn: logs.arn, protect: cfg.protect }, opts)
            : undefined;

    const platform = new Platform(
        "platform",
        {
            cluster,
            dependsOn: allAddons.flatMap((a) => a.platformDependencies),
            scrapeTargets: allAddons.flatMap((a) => a.scrapeTargets),
            gitops: cfg.platform.gitops && { ...cfg.platform.gitops, project: cfg.environment },
            tenants: cfg.platform.gitops && { namespaces: cfg.platform.gitops.environments, quotas: cfg.platform.tenantQuotas ?? {}, protect: cfg.protect },
            // Applications' Ingresses get internal ALBs (the internet-facing class admits only the platform's namespaces).
            tenantNetwork: {
                egress: cfg.network.tenantEgress,
                vpcCidr: cfg.network.vpcCidr,
                vpcIpv6Cidr: network.vpcIpv6Cidr,
                otherVpcCidrs: cfg.network.otherVpcCidrs,
                albCidrs: network.privateSubnetRanges,
                dnsAddress: cluster.dnsAddress,
            },
            repositoryStore: addons.externalSecrets.repositoryStore && { name: REPOSITORY_STORE_NAME, resource: addons.externalSecrets.repositoryStore },
            argocd: cfg.platform.argocd,
            monitoring: cfg.platform.monitoring,
            ingress: ingress && { ...ingress, wafAclArn: waf?.aclArn },
            ingressController: allAddons.flatMap((a) => a.ingressDependencies ?? []),
            dockerHub: dockerHubCache.mirror,
            applicationRepositories: registry.names,
        },
        bounded,
    );

    if (ci) new RefreshReader("ci-refresh-reader", { provider: cluster.provider, computeMode: cfg.cluster.computeMode, secrets: platform.monitoring.ownedSecrets }, { ...opts, parent: cluster });

    // Default-deny both ways in the namespaces the program owns, with the allows their callers and destinations need.
    const scrapeTargets = [...allAddons.flatMap((a) => a.scrapeTargets), ARGOCD_SCRAPE_TARGET];
    const egress = { vpcCidr: cfg.network.vpcCidr, vpcIpv6Cidr: network.vpcIpv6Cidr, otherVpcCidrs: cfg.network.otherVpcCidrs };
    // A fresh object per component: the SDK adds the provider to the options' providers in place.
    const policyOpts = () => ({ providers: [provider], provider: cluster.provider, cluster: cluster.eksCluster, dependsOn: [platform, ...allAddons.flatMap((a) => a.platformDependencies)] });
    new NamespaceIsolation(
        "namespace-isolation",
        {
            namespaces: [ARGOCD_NAMESPACE, MONITORING_NAMESPACE, NODE_EXPORTER_NAMESPACE, ...allAddons.flatMap((a) => a.ownNamespaces)],
            // The cluster's subnets are the private ones: the control plane's ENIs are there.
            controlPlaneCidrs: network.privateSubnetRanges,
            albCidrs: ingress?.scheme === "internet-facing" ? network.publicSubnetRanges : network.privateSubnetRanges,
            webhooks: WEBHOOK_BACKENDS,
            albBackends: ingress ? ALB_BACKENDS : [],
            fromPrometheus: scrapeBackends(scrapeTargets),
            egress,
            dnsAddress: cluster.dnsAddress,
        },
        policyOpts(),
    );
    return {
        ciDeployRoleArn: ci?.deployRoleArn,
        ciPreviewRoleArn: ci?.previewRoleArn,
        wafAclArn: waf?.aclArn,
        ciImagePushRoleArns: ci?.imagePushRoleArns,
        ciImagePullRoleArns: ci?.imagePullRoleArns,
        argocdUrl: platform.argocd.url,
        grafanaUrl: platform.monitoring.grafanaUrl,
        argocdAdminPassword: platform.argocd.adminPassword,
        grafanaAdminPassword: platform.monitoring.grafanaAdminPassword,
        appSecretsKeyArn: addons.externalSecrets.secretsKeyArn,
        clusterName: cluster.name,
        computeMode: cluster.computeMode,
        clusterEndpoint: cluster.endpoint,
        clusterCertificateAuthority: cluster.certificateAuthority,
        nodeSecurityGroupId: cluster.nodeSecurityGroupId,
        kubeconfig: cluster.kubeconfig,
        vpcId: network.vpcId,
        vpcCidr: network.vpcCidr,
        vpcIpv6Cidr: network.vpcIpv6Cidr,
        ipFamily: cfg.network.ipFamily,
        publicSubnetIds: network.publicSubnetIds,
        privateSubnetIds: network.privateSubnetIds,
        repositoryUrls: registry.repositoryUrls,
    };
}

/** A fact the preflight guarantees once it passed (it stops the program otherwise). */
function requiredFact<T>(value: T | undefined, name: string): T {
    if (value === undefined) throw new Error(`the preflight passed without ${name}; it must stop the program when that look-up fails`);
    return value;
}

function awsContext(region: string, provider: aws.Provider): AwsContext {
    const identity = aws.getCallerIdentityOutput({}, { provider });
    const partition = aws.getPartitionOutput({}, { provider });
    return { accountId: identity.accountId, partition: partition.partition, region, callerArn: identity.arn };
}

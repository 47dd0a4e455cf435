import * as pulumi from "@pulumi/pulumi";
import type { Cluster } from "../cluster";
import { albIpAddressType } from "../cluster/load-balancer-controller/ingress-class";
import { platformIngressGroup } from "../cluster/load-balancer-controller/names";
import { DockerHubMirror } from "../shared/image-mirror";
import { ScrapeTarget } from "../shared/scrape-target";
import { ARGOCD_SCRAPE_TARGET, ArgoCd } from "./argocd";
import { GitOpsSettings } from "./argocd/gitops";
import { Monitoring } from "./monitoring";
import { AlertReceivers } from "./monitoring/alerting";
import { TenantSettings, Tenants } from "./tenants";
import { TenantAdmission } from "./tenants/admission";
import { TenantNetworkArgs, TenantNetworkPolicies } from "./tenants/network-policies";

export { GitOpsSettings };

export interface ArgoCdSettings {
    /** HA-sized (redis-ha, 2 replicas, PDBs) or single replicas. Config key `argocdHighAvailability`. */
    highAvailability: boolean;
    /** Configured admin password (a secret); undefined generates one. Config key `argocdAdminPassword`. */
    adminPassword?: pulumi.Output<string>;
    /** Host of the UI on the shared ALB. Config key `argocdHostname`. */
    hostname: string;
}

export interface MonitoringSettings {
    prometheusRetention: string;
    /** Config key `prometheusMemoryRequest`. */
    prometheusMemoryRequest: string;
    prometheusVolumeSize: string;
    grafanaVolumeSize: string;
    /** Config key `prometheusReplicas` (its default depends on the environment). */
    prometheusReplicas: number;
    /** Config key `alertmanagerReplicas` (its default depends on the environment). */
    alertmanagerReplicas: number;
    /** Configured Grafana admin password (a secret); undefined generates one. */
    grafanaAdminPassword?: pulumi.Output<string>;
    /** Host of Grafana on the shared ALB. */
    grafanaHostname: string;
    /** Alertmanager receivers (secret config values). */
    alerting: AlertReceivers;
}

export interface SharedIngressSettings {
    /** ACM certificate the shared ALB terminates TLS with. Config key `ingressCertificateArn`. */
    certificateArn: string;
    /** Whether the ALB is reachable from the internet or only inside the VPC. Config key `ingressScheme`. */
    scheme: "internal" | "internet-facing";
    /** WAFv2 web ACL of the shared ALB (the stack creates it for internet-facing ALBs); absent means none. */
    wafAclArn?: pulumi.Input<string>;
}

export interface PlatformArgs {
    /** The cluster (provider, storage class; its name names the shared ALB's IngressGroup) the platform runs on. */
    cluster: Cluster;
    /** What the cluster add-ons say the platform needs first (Karpenter's NodePool): every release here waits for all of it. */
    dependsOn: pulumi.Resource[];
    /** The cluster add-ons' metrics endpoints; Argo CD's own is added here. */
    scrapeTargets: ScrapeTarget[];
    /** The environment's AppProject and ApplicationSet; absent: Argo CD runs with nothing to sync. */
    gitops?: GitOpsSettings;
    /** The application namespaces, with their quotas; present exactly when `gitops` is. */
    tenants?: TenantSettings;
    /** The application namespaces' NetworkPolicies (with GitOps on): egress per namespace, the VPCs cut out of it, the ALB subnets. */
    tenantNetwork: Omit<TenantNetworkArgs, "namespaces">;
    /** The ClusterSecretStore serving Argo CD the GitOps repository's credentials (External Secrets), when it has any. */
    repositoryStore?: { name: string; resource: pulumi.Resource };
    argocd: ArgoCdSettings;
    monitoring: MonitoringSettings;
    /** Shared ALB; absent means no Ingress at all. */
    ingress?: SharedIngressSettings;
    /**
     * What Ingresses wait for and go before (the cluster add-ons' `ingressDependencies`: the Load Balancer
     * Controller, which deletes their ALBs): the platform's Ingresses, and the application namespaces, whose
     * Ingresses Argo CD creates.
     */
    ingressController: pulumi.Resource[];
    /** Where Docker Hub images are pulled from (the stack's ECR pull-through cache). */
    dockerHub: DockerHubMirror;
    /** The stack's ECR repositories (full names): with the cache, the only images the application namespaces may run. */
    applicationRepositories: string[];
}

/**
 * GitOps (Argo CD with the environment's project and ApplicationSet) and monitoring
 * (kube-prometheus-stack). The two do not wait for each other; both wait for the NodePool, their Ingresses for the LBC.
 */
export class Platform extends pulumi.ComponentResource {
    readonly argocd: ArgoCd;
    readonly monitoring: Monitoring;
    /** The application namespaces; absent without GitOps. */
    readonly tenants?: Tenants;

    constructor(name: string, args: PlatformArgs, opts?: pulumi.ComponentResourceOptions) {
        super("eks-platform:platform:Platform", name, {}, opts);
        // Auto Mode reads no group annotation: the internet-facing class's parameters group the platform's Ingresses.
        const shared = args.ingress && {
            ...args.ingress,
            groupName: args.cluster.computeMode === "auto" ? undefined : platformIngressGroup(args.cluster.configuredName),
            ipAddressType: albIpAddressType(args.cluster.ipFamily),
            controller: args.ingressController,
        };
        const common = { provider: args.cluster.provider, cluster: args.cluster.eksCluster, dependsOn: args.dependsOn };

        if (!args.gitops !== !args.tenants) throw new Error("Platform: gitops and tenants come together (the Applications deploy into the tenants' namespaces)");
        this.tenants =
            args.tenants &&
            new Tenants(
                "tenants",
                { ...args.tenants, provider: args.cluster.provider, dependsOn: [...args.dependsOn, ...args.ingressController, args.cluster.defaultStorageClass] },
                { parent: this },
            );
        // Deny-by-default both ways before Argo CD can sync anything into the namespaces: no pod of theirs runs unfenced.
        const tenantNetwork = this.tenants
            ? [
                  new TenantNetworkPolicies(
                      "tenant-network",
                      { ...args.tenantNetwork, namespaces: args.gitops!.environments },
                      { parent: this, provider: args.cluster.provider, cluster: args.cluster.eksCluster, dependsOn: this.tenants.namespaces },
                  ),
              ]
            : [];
        // The admission policies exist before Argo CD can sync anything into the application namespaces.
        const admission = args.gitops
            ? [
                  new TenantAdmission(
                      "tenant-admission",
                      {
                          namespaces: args.gitops.environments,
                          images: { registry: args.dockerHub.registry, cachePrefix: args.dockerHub.prefix, repositories: args.applicationRepositories },
                          provider: args.cluster.provider,
                          cluster: args.cluster.eksCluster,
                      },
                      { parent: this },
                  ),
              ]
            : [];
        this.argocd = new ArgoCd(
            "argocd",
            {
                ...common,
                dependsOn: [...args.dependsOn, ...admission, ...tenantNetwork],
                gitops: args.gitops,
                applicationNamespaces: this.tenants?.namespaces,
                repositoryStore: args.repositoryStore,
                highAvailability: args.argocd.highAvailability,
                adminPassword: args.argocd.adminPassword,
                ingress: shared && { ...shared, host: args.argocd.hostname },
            },
            { parent: this },
        );
        this.monitoring = new Monitoring(
            "monitoring",
            {
                ...common,
                storageClass: args.cluster.defaultStorageClass,
                prometheusRetention: args.monitoring.prometheusRetention,
                prometheusMemoryRequest: args.monitoring.prometheusMemoryRequest,
                prometheusVolumeSize: args.monitoring.prometheusVolumeSize,
                grafanaVolumeSize: args.monitoring.grafanaVolumeSize,
                prometheusReplicas: args.monitoring.prometheusReplicas,
                alertmanagerReplicas: args.monitoring.alertmanagerReplicas,
                dockerHub: args.dockerHub,
                clusterDnsPods: args.cluster.computeMode === "karpenter",
                grafanaAdminPassword: args.monitoring.grafanaAdminPassword,
                alerting: args.monitoring.alerting,
                scrapeTargets: [...args.scrapeTargets, ARGOCD_SCRAPE_TARGET],
                ingress: shared && { ...shared, host: args.monitoring.grafanaHostname },
            },
            { parent: this },
        );
        this.registerOutputs({ argocdUrl: this.argocd.url, grafanaUrl: this.monitoring.grafanaUrl });
    }
}

/** The cluster add-ons of one stack and what they are built from (stacks/platform.ts wires them in). */
import * as pulumi from "@pulumi/pulumi";
import { Cluster } from "../components/cluster";
import { AutoModeCompute } from "../components/cluster/auto-mode";
import { ClusterAddonComponent } from "../components/cluster/cluster-addon";
import { ContainerLogs } from "../components/cluster/container-logs";
import { ExternalDns } from "../components/cluster/external-dns";
import { ExternalSecrets } from "../components/cluster/external-secrets";
import { Karpenter } from "../components/cluster/karpenter";
import { LoadBalancerController } from "../components/cluster/load-balancer-controller";
import { MetricsServer } from "../components/cluster/metrics-server";
import { Velero } from "../components/cluster/velero";
import { Network } from "../components/network";
import { ARGOCD_NAMESPACE } from "../components/platform/argocd/gitops";
import { MONITORING_NAMESPACE } from "../components/platform/monitoring";
import { AwsContext } from "../components/shared/aws-context";
import { DockerHubMirror } from "../components/shared/image-mirror";
import { KeyAdministration } from "../components/shared/kms-key";
import { PlatformConfig } from "./config/keys";

/** What a cluster add-on is built from. */
export interface AddonContext {
    cfg: PlatformConfig;
    cluster: Cluster;
    network: Network;
    aws: AwsContext;
    /** Administrators of the add-ons' KMS keys. */
    keyAdministration: KeyAdministration;
    /** Account-level resources node launches need (the EC2 Spot service-linked role when it was missing). */
    launchPrerequisites: pulumi.Resource[];
    /** The stack's KMS key for CloudWatch log groups. */
    logsKeyArn: pulumi.Output<string>;
    /** The Load Balancer Controller's release (none in `auto` mode): every release that creates a Service waits for its webhook. */
    serviceAdmission: pulumi.Resource[];
    /** Where Docker Hub images are pulled from (the stack's ECR pull-through cache). */
    dockerHub: DockerHubMirror;
}

/**
 * The Load Balancer Controller (`karpenter` mode only; Auto Mode balances outside the cluster), first: its
 * webhook mutates Services, so the add-ons that create Services through it (`serviceAdmission`) wait for it;
 * Karpenter and the platform's releases install beside it (the webhook fails open for their ClusterIP
 * Services). It runs on the system nodes without Karpenter.
 */
function buildLoadBalancerController(c: Omit<AddonContext, "serviceAdmission">): LoadBalancerController | undefined {
    if (c.cfg.cluster.computeMode === "auto") return undefined;
    return new LoadBalancerController(
        "aws-load-balancer-controller",
        { cluster: c.cluster, region: c.cfg.region, vpcId: c.network.vpcId, replicas: 2, internetFacingNamespaces: internetFacingNamespaces(c) },
        { parent: c.cluster },
    );
}

/** The platform's own namespaces, when its shared Ingress is internet-facing: the only ones the internet-facing class admits. */
const internetFacingNamespaces = (c: Pick<AddonContext, "cfg">): string[] => (c.cfg.platform.ingress?.scheme === "internet-facing" ? [ARGOCD_NAMESPACE, MONITORING_NAMESPACE] : []);

/** `computeMode: auto`: the workload NodePool, IngressClasses and NetworkPolicy switch of EKS Auto Mode, in place of Karpenter and the LBC. */
const autoMode = (c: AddonContext) =>
    c.cfg.cluster.computeMode === "auto"
        ? new AutoModeCompute(
              "auto-mode",
              { cluster: c.cluster, aws: c.aws, nodePool: c.cfg.addons.karpenter.nodePool, tags: c.cfg.tags, imageCachePrefix: c.dockerHub.prefix, internetFacingNamespaces: internetFacingNamespaces(c), launchPrerequisites: c.launchPrerequisites },
              { parent: c.cluster },
          )
        : undefined;

const karpenter = (c: AddonContext) =>
    c.cfg.cluster.computeMode === "karpenter" &&
    new Karpenter(
        "karpenter",
        { cluster: c.cluster, aws: c.aws, ...c.cfg.addons.karpenter, tags: c.cfg.tags, launchPrerequisites: c.launchPrerequisites, imageCachePrefix: c.dockerHub.prefix },
        { parent: c.cluster },
    );

function externalSecrets(c: AddonContext): ExternalSecrets {
    const credentials = c.cfg.platform.gitops?.credentials;
    return new ExternalSecrets(
        "external-secrets",
        {
            cluster: c.cluster,
            aws: c.aws,
            keyAdministration: c.keyAdministration,
            storeNamespaces: c.cfg.platform.gitops?.environments ?? [],
            ...c.cfg.addons.externalSecrets,
            protect: c.cfg.protect,
            serviceAdmission: c.serviceAdmission,
            repositoryCredentials: credentials && { secretName: credentials.secretName, namespace: ARGOCD_NAMESPACE },
        },
        { parent: c.cluster },
    );
}

const metricsServer = (c: AddonContext) =>
    new MetricsServer("metrics-server", { cluster: c.cluster, ...c.cfg.addons.metricsServer, serviceAdmission: c.serviceAdmission }, { parent: c.cluster });

const externalDns = (c: AddonContext) =>
    c.cfg.addons.externalDns && new ExternalDns("external-dns", { cluster: c.cluster, aws: c.aws, ...c.cfg.addons.externalDns, serviceAdmission: c.serviceAdmission }, { parent: c.cluster });

const containerLogs = (c: AddonContext) =>
    c.cfg.addons.containerLogs &&
    new ContainerLogs("container-logs", { cluster: c.cluster, aws: c.aws, ...c.cfg.addons.containerLogs, logsKeyArn: c.logsKeyArn, protect: c.cfg.protect, serviceAdmission: c.serviceAdmission }, { parent: c.cluster });

const backups = (c: AddonContext) =>
    c.cfg.addons.backups &&
    new Velero(
        "velero",
        { cluster: c.cluster, aws: c.aws, keyAdministration: c.keyAdministration, kubernetesVersion: c.cfg.cluster.kubernetesVersion, ...c.cfg.addons.backups, protect: c.cfg.protect, serviceAdmission: c.serviceAdmission, dockerHub: c.dockerHub },
        { parent: c.cluster },
    );

/** The stack's cluster add-ons; an optional one is undefined when its config switch is off. */
export interface ClusterAddons {
    /** `computeMode: karpenter` only. */
    karpenter: Karpenter | undefined;
    /** `computeMode: karpenter` only. */
    loadBalancerController: LoadBalancerController | undefined;
    /** `computeMode: auto` only. */
    autoMode: AutoModeCompute | undefined;
    externalSecrets: ExternalSecrets;
    metricsServer: MetricsServer;
    externalDns: ExternalDns | undefined;
    containerLogs: ContainerLogs | undefined;
    backups: Velero | undefined;
}

/**
 * The Load Balancer Controller first, then the other add-ons, one plain call each, in install order. Each
 * is a child of the cluster (whose provider and Pod Identity helper it uses); all but Karpenter (which starts
 * the platform's critical path) wait for the controller's webhook. What an add-on declares as
 * `platformDependencies` the Platform's releases wait for (`ingressDependencies`: its Ingresses), its
 * `scrapeTargets` Prometheus scrapes. Adding an add-on: a builder above, a field in ClusterAddons, a line here.
 */
export function buildClusterAddons(c: Omit<AddonContext, "serviceAdmission">): ClusterAddons {
    const loadBalancerController = buildLoadBalancerController(c);
    const context: AddonContext = { ...c, serviceAdmission: loadBalancerController ? [loadBalancerController.release] : [] };
    // Karpenter (or Auto Mode) first in the object: the order of scrape targets and namespaces follows it.
    return {
        autoMode: autoMode(context),
        karpenter: karpenter(context) || undefined,
        loadBalancerController,
        externalSecrets: externalSecrets(context),
        metricsServer: metricsServer(context),
        externalDns: externalDns(context),
        containerLogs: containerLogs(context),
        backups: backups(context),
    } satisfies Record<keyof ClusterAddons, ClusterAddonComponent | undefined>;
}

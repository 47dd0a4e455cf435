import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { AwsContext } from "../../shared/aws-context";
import { KeyAdministration, KmsKey, useThroughServiceStatement } from "../../shared/kms-key";
import { DockerHubMirror, dockerHubImageRef } from "../../shared/image-mirror";
import { onSystemNodes } from "../../shared/placement";
import { ScrapeTarget } from "../../shared/scrape-target";
import { CHARTS, IMAGES } from "../../versions";
import { ClusterAddonComponent, ClusterAddonSpec, installClusterAddon, ownedNamespaces } from "../cluster-addon";
import type { Cluster } from "../index";
import { createManagedAddon } from "../managed-addons";
import { EBS_PROVISIONERS } from "../storage";
import { backupBucket } from "./bucket";
import { veleroPolicy } from "./iam";

export const VELERO_SERVICE_ACCOUNT = { namespace: "velero", name: "velero-server" } as const;
/** The VolumeSnapshotClass Velero picks for EBS volumes (by its label). */
export const VELERO_SNAPSHOT_CLASS = "ebs-velero";

export const VELERO_ADDON: ClusterAddonSpec = {
    name: "velero",
    chart: CHARTS.velero,
    serviceAccount: VELERO_SERVICE_ACCOUNT,
    ownNamespace: true,
    placement: onSystemNodes(),
    serviceAccountKey: "serviceAccount.server",
};

export const VELERO_SCRAPE_TARGET: ScrapeTarget = { name: "velero", namespace: VELERO_SERVICE_ACCOUNT.namespace, appNames: ["velero"], port: "http-monitoring", path: "/metrics" };

export interface VeleroArgs {
    /** The cluster; provides its name, the provider and Pod Identity. */
    cluster: Cluster;
    /** Account facts for ARNs and the key policy. */
    aws: AwsContext;
    /** Cluster version the snapshot-controller add-on build follows. Config key `kubernetesVersion`. */
    kubernetesVersion: string;
    /** Namespaces the daily backup covers. Config key `gitopsEnvironments`. */
    namespaces: string[];
    /** Days a backup (and a replaced object version in the bucket) is kept. Config key `backupRetentionDays`. */
    retentionDays: number;
    /** Administrators of the backup key (they cannot use it). */
    keyAdministration: KeyAdministration;
    /** Protect the bucket and its key. Config key `protectResources`. */
    protect: boolean;
    /** The Load Balancer Controller's release: its webhook mutates every Service, so the chart's Services wait for it. */
    serviceAdmission: pulumi.Resource[];
    /** Where Velero's images (Docker Hub) are pulled from. */
    dockerHub: DockerHubMirror;
}

/**
 * Velero backing up the application namespaces every day to a dedicated, SSE-KMS encrypted, versioned,
 * TLS-only S3 bucket, and snapshotting their EBS volumes through the CSI driver (the EKS
 * snapshot-controller add-on serves the VolumeSnapshot API; a VolumeSnapshotClass marks EBS for Velero).
 */
export class Velero extends pulumi.ComponentResource implements ClusterAddonComponent {
    readonly bucketName: pulumi.Output<string>;
    readonly release: k8s.helm.v3.Release;
    readonly platformDependencies: pulumi.Resource[] = [];
    readonly scrapeTargets = [VELERO_SCRAPE_TARGET];
    readonly ownNamespaces = ownedNamespaces(VELERO_ADDON);

    constructor(name: string, args: VeleroArgs, opts?: pulumi.ComponentResourceOptions) {
        super("eks-platform:cluster:Velero", name, {}, opts);
        const clusterName = args.cluster.configuredName;
        const key = new KmsKey(
            `${clusterName}-backups`,
            {
                description: `${clusterName}: Velero backups`,
                alias: `${clusterName}/backups`,
                aws: args.aws,
                administration: args.keyAdministration,
                serviceStatements: [useThroughServiceStatement("S3OfThisAccount", args.aws, "s3")],
                protect: args.protect,
            },
            { parent: this },
        );
        const bucket = backupBucket(`${clusterName}-backups`, { keyArn: key.arn, noncurrentVersionDays: args.retentionDays, protect: args.protect }, this);
        this.bucketName = bucket.bucket;

        // Its controller runs on the system nodes, so (like CoreDNS) the add-on turns ACTIVE only once they exist
        // (Auto Mode launches its system pool's nodes for the pending pods themselves).
        const snapshotController = createManagedAddon(
            "snapshot-controller",
            {
                cluster: args.cluster.eksCluster,
                kubernetesVersion: args.kubernetesVersion,
                dependsOn: args.cluster.systemNodeGroup ? [args.cluster.systemNodeGroup] : [],
                ownerTags: args.cluster.ownerTags,
                computeMode: args.cluster.computeMode,
            },
            this,
        );
        const snapshotClass = new k8s.apiextensions.CustomResource(
            `${clusterName}-velero-snapshot-class`,
            {
                apiVersion: "snapshot.storage.k8s.io/v1",
                kind: "VolumeSnapshotClass",
                metadata: { name: VELERO_SNAPSHOT_CLASS, labels: { "velero.io/csi-volumesnapshot-class": "true" } },
                driver: EBS_PROVISIONERS[args.cluster.computeMode],
                // Velero deletes the VolumeSnapshot after a backup; the EBS snapshot must outlive it until the backup expires.
                deletionPolicy: "Retain",
            },
            { parent: this, provider: args.cluster.provider, dependsOn: [snapshotController] },
        );

        this.release = installClusterAddon(this, args.cluster, {
            ...VELERO_ADDON,
            permissions: { policies: { backups: veleroPolicy(bucket.arn, key.arn, args.aws.region) } },
            values: veleroValues({ bucket: bucket.bucket, region: args.aws.region, namespaces: args.namespaces, retentionDays: args.retentionDays, dockerHub: args.dockerHub }),
            dependsOn: [snapshotClass, ...args.serviceAdmission, ...args.dockerHub.dependencies],
        }).release;
        this.registerOutputs({ bucketName: this.bucketName });
    }
}

export interface VeleroValuesArgs {
    bucket: pulumi.Input<string>;
    /** Velero and its AWS plugin are published on Docker Hub only: pulled through the stack's cache. */
    dockerHub: DockerHubMirror;
    region: string;
    namespaces: string[];
    retentionDays: number;
}

const RESTRICTED_CONTAINER = { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] }, readOnlyRootFilesystem: true, runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } };

/** Chart values without the service account and placement (`VELERO_ADDON` adds them). */
export function veleroValues(a: VeleroValuesArgs) {
    return {
        initContainers: [
            {
                name: "velero-plugin-for-aws",
                image: dockerHubImageRef(a.dockerHub, IMAGES.veleroPluginForAws.repository, IMAGES.veleroPluginForAws.tag),
                imagePullPolicy: "IfNotPresent",
                volumeMounts: [{ mountPath: "/target", name: "plugins" }],
                resources: { requests: { cpu: "10m", memory: "32Mi" }, limits: { memory: "64Mi" } },
                securityContext: RESTRICTED_CONTAINER,
            },
        ],
        // Pod Security `restricted` in the velero namespace: a fixed non-root user (the image's user is
        // named, which runAsNonRoot cannot verify), no privilege escalation, no capabilities, read-only root.
        podSecurityContext: { runAsNonRoot: true, runAsUser: 65532, runAsGroup: 65532, fsGroup: 65532, seccompProfile: { type: "RuntimeDefault" } },
        containerSecurityContext: RESTRICTED_CONTAINER,
        image: { repository: pulumi.interpolate`${a.dockerHub.registry}/${a.dockerHub.prefix}/velero/velero` },
        resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { memory: "512Mi" } },
        upgradeJobResources: { requests: { cpu: "50m", memory: "64Mi" }, limits: { memory: "256Mi" } },
        // Pod Identity provides the credentials: no access keys in a Secret.
        credentials: { useSecret: false },
        // CSI snapshots only: no native EBS VolumeSnapshotLocation, so Velero needs no EC2 permissions.
        snapshotsEnabled: false,
        configuration: {
            features: "EnableCSI",
            backupStorageLocation: [{ name: "default", provider: "aws", bucket: a.bucket, default: true, config: { region: a.region } }],
            volumeSnapshotLocation: [],
        },
        schedules: {
            daily: {
                // 03:00 UTC every day.
                schedule: "0 3 * * *",
                template: { ttl: `${a.retentionDays * 24}h0m0s`, includedNamespaces: a.namespaces, snapshotVolumes: true, storageLocation: "default" },
            },
        },
    };
}


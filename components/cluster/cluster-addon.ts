import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { helmRelease } from "../shared/helm-release";
import { releaseNamespace } from "../shared/namespace";
import { Placement, placementFor } from "../shared/placement";
import { ScrapeTarget } from "../shared/scrape-target";
import { ChartPin } from "../versions";
import type { Cluster, ServiceAccountPermissions } from "./index";
import type { PodIdentityRole } from "./pod-identity";
import type { ComputeMode } from "./types";

/** The fixed facts of one add-on's chart install, exported by the add-on as a constant. */
export interface ClusterAddonSpec {
    /** Helm release name. With the cluster name it also names the Pod Identity role, the release and the namespace resources (`<cluster>-<name>`). */
    name: string;
    chart: ChartPin;
    /** The controller's service account: the chart creates it under this name, Pod Identity binds exactly it. */
    serviceAccount: { namespace: string; name: string };
    /** True: the add-on owns its namespace (created here, gone with the cluster). False: a namespace that always exists (kube-system). */
    ownNamespace: boolean;
    /** Nodes the controller runs on. */
    placement: Placement;
    /** Values key the chart reads `nodeSelector`/`tolerations` from; absent means the top level. */
    placementKey?: string;
    /** Values key of the chart's service account (`create`, `name`); absent means `serviceAccount`. */
    serviceAccountKey?: string;
}

export interface ClusterAddonInstall extends ClusterAddonSpec {
    /** AWS permissions of the service account. */
    permissions: Pick<ServiceAccountPermissions, "policies" | "managedPolicies">;
    /** Chart-specific values; the service account and placement are added from the spec. */
    values: Record<string, unknown>;
    /** Skip the chart's crds/ folder (a separate CRD release owns them). */
    skipCrds?: boolean;
    /** Apply the chart without waiting for its pods (`HelmReleaseArgs.skipAwait`). */
    skipAwait?: boolean;
    /** What else the release waits for (CRDs, queues, access entries); the role's permissions and the system nodes always. */
    dependsOn?: pulumi.Resource[];
}

export interface InstalledClusterAddon {
    role: PodIdentityRole;
    /** Present when the add-on owns its namespace. */
    namespace?: k8s.core.v1.Namespace;
    release: k8s.helm.v3.Release;
}

/** What the stack composition needs from every cluster add-on. */
export interface ClusterAddonComponent {
    /** Resources the Platform's releases wait for, and so outlive on `pulumi destroy`. */
    readonly platformDependencies: pulumi.Resource[];
    /** Resources the Platform's Ingresses (not its releases) wait for and outlive: the controller that makes their ALBs. */
    readonly ingressDependencies?: pulumi.Resource[];
    /** Metrics endpoints for Prometheus. */
    readonly scrapeTargets: ScrapeTarget[];
    /** Namespaces the add-on creates; the composition gives each a default-deny NetworkPolicy. */
    readonly ownNamespaces: string[];
}

/** The namespace a spec creates, if it owns one (kube-system add-ons own none). */
export const ownedNamespaces = (spec: ClusterAddonSpec): string[] => (spec.ownNamespace ? [spec.serviceAccount.namespace] : []);

/**
 * One cluster add-on the way every add-on is installed: its namespace (if it owns one), a Pod Identity
 * role for its service account, and the pinned Helm release that creates that service account and
 * runs where the spec places it. Every resource is a child of `owner`.
 */
export function installClusterAddon(owner: pulumi.Resource, cluster: Cluster, install: ClusterAddonInstall): InstalledClusterAddon {
    const resourceName = `${cluster.configuredName}-${install.name}`;
    const provider = cluster.provider;
    const role = cluster.podIdentity(
        install.name,
        { namespace: install.serviceAccount.namespace, serviceAccount: install.serviceAccount.name, ...install.permissions },
        { parent: owner },
    );
    const namespace = install.ownNamespace
        ? releaseNamespace(resourceName, install.serviceAccount.namespace, { provider, cluster: cluster.eksCluster, parent: owner })
        : undefined;
    const release = helmRelease(
        resourceName,
        {
            chart: install.chart,
            namespace: namespace ? namespace.metadata.name : install.serviceAccount.namespace,
            releaseName: install.name,
            skipCrds: install.skipCrds,
            skipAwait: install.skipAwait,
            values: clusterAddonValues(install, install.values, cluster.computeMode),
        },
        // Its pods run on the system nodes: created once they exist, deleted (and so drained of it) before they go.
        { parent: owner, provider, dependsOn: [...(install.dependsOn ?? []), ...role.ready, ...cluster.systemNodes] },
    );
    return { role, namespace, release };
}

/** Chart values with the spec's service account and placement (as the cluster's compute mode has it: `placementFor`) merged in. */
export function clusterAddonValues(spec: ClusterAddonSpec, values: Record<string, unknown>, computeMode: ComputeMode = "karpenter"): Record<string, unknown> {
    const where = placementFor(spec.placement, computeMode);
    const placement = { nodeSelector: where.nodeSelector, ...(where.tolerations ? { tolerations: where.tolerations } : {}) };
    const placed = spec.placementKey
        ? { ...values, [spec.placementKey]: { ...(values[spec.placementKey] as Record<string, unknown> | undefined), ...placement } }
        : { ...values, ...placement };
    const [top, ...nested] = (spec.serviceAccountKey ?? "serviceAccount").split(".");
    const account = { create: true, name: spec.serviceAccount.name };
    const merged = nested.reduceRight<Record<string, unknown>>((inner, key) => ({ [key]: inner }), account);
    return { ...placed, [top]: deepMerge((values[top] as Record<string, unknown> | undefined) ?? {}, merged) };
}

function deepMerge(a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> {
    const out: Record<string, unknown> = { ...a };
    for (const [k, v] of Object.entries(b)) {
        const prev = out[k];
        out[k] = prev && v && typeof prev === "object" && typeof v === "object" && !Array.isArray(v) ? deepMerge(prev as Record<string, unknown>, v as Record<string, unknown>) : v;
    }
    return out;
}

import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ChartPin } from "../versions";

export interface HelmReleaseArgs {
    /** Pinned chart from the versions module. */
    chart: ChartPin;
    /** Namespace the release lives in (must exist). */
    namespace: pulumi.Input<string>;
    /** Helm release name; also the prefix of most object names the chart renders. */
    releaseName: string;
    /** Chart values; only keys that exist in the chart's values.yaml (tests check). */
    values: pulumi.Input<Record<string, unknown>>;
    /** Skip the chart's crds/ folder (when a separate CRD chart owns them). */
    skipCrds?: boolean;
    /**
     * Do not wait for the release's workloads: for a chart of CRDs only (nothing turns Ready), or a controller
     * whose readiness the releases after it wait for anyway. Such a release is not atomic (Helm's atomic waits).
     */
    skipAwait?: boolean;
}

/**
 * The one way the platform installs a chart: pinned version, atomic unless not awaited (a failed install
 * or upgrade rolls back instead of leaving a half-applied release), bounded history.
 */
export function helmRelease(
    name: string,
    args: HelmReleaseArgs,
    opts: pulumi.CustomResourceOptions & { provider: k8s.Provider },
): k8s.helm.v3.Release {
    return new k8s.helm.v3.Release(
        name,
        {
            name: args.releaseName,
            chart: args.chart.chart,
            version: args.chart.version,
            repositoryOpts: args.chart.repo ? { repo: args.chart.repo } : undefined,
            namespace: args.namespace,
            values: args.values,
            skipCrds: args.skipCrds ?? false,
            ...(args.skipAwait ? { skipAwait: true } : {}),
            atomic: !args.skipAwait,
            cleanupOnFail: true,
            maxHistory: 5,
            timeout: 900,
        },
        opts,
    );
}

import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";

/**
 * A namespace for a platform release. It holds no AWS resources of its own, so `pulumi destroy`
 * lets it go with the cluster instead of waiting for Kubernetes to empty it.
 */
export function releaseNamespace(
    resourceName: string,
    namespace: string,
    opts: { provider: k8s.Provider; cluster: pulumi.Resource; parent: pulumi.Resource },
): k8s.core.v1.Namespace {
    return new k8s.core.v1.Namespace(
        resourceName,
        { metadata: { name: namespace } },
        { parent: opts.parent, provider: opts.provider, deletedWith: opts.cluster },
    );
}

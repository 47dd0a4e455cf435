import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { applicationNamespace } from "./namespaces";
import { limitRange, resourceQuota } from "./quota";
import { TenantsArgs } from "./types";

export { TenantSettings, TenantsArgs } from "./types";

/**
 * The application namespaces, each with its quota and container defaults. Argo CD deploys into them but
 * creates none: their labels (Pod Security `restricted`) are the program's, not the GitOps repository's.
 *
 * Destroy order: the ApplicationSet depends on these namespaces, so it goes first and Argo CD's resources
 * finalizer deletes what each Application deployed (Ingresses, hence ALBs; PVCs, hence volumes); then the
 * namespaces go, while the controllers in `dependsOn` still run to clean up anything left in them. No
 * `deletedWith` the cluster: that would skip this and leak load balancers and volumes.
 */
export class Tenants extends pulumi.ComponentResource {
    /** One per application namespace, in `namespaces` order. */
    readonly namespaces: k8s.core.v1.Namespace[];

    constructor(name: string, args: TenantsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("eks-platform:platform:Tenants", name, {}, opts);
        const provider = args.provider;
        this.namespaces = args.namespaces.map((environment) => {
            const quota = args.quotas[environment];
            if (!quota) throw new Error(`Tenants: no quota for the application namespace ${environment}`);
            // Protected where stateful resources are (prod): a namespace's deletion takes its PVCs' volumes with it,
            // and `pulumi destroy` stops at a protected resource before deleting anything.
            const namespace = new k8s.core.v1.Namespace(`${name}-${environment}`, applicationNamespace(environment), {
                parent: this,
                provider,
                dependsOn: args.dependsOn,
                protect: args.protect,
            });
            // Deleting the namespace deletes these; waiting on them would only slow destroy down.
            const inNamespace = { parent: this, provider, dependsOn: [namespace], deletedWith: namespace };
            new k8s.core.v1.ResourceQuota(`${name}-${environment}-quota`, resourceQuota(environment, quota), inNamespace);
            new k8s.core.v1.LimitRange(`${name}-${environment}-limits`, limitRange(environment), inNamespace);
            return namespace;
        });
        this.registerOutputs({ namespaces: this.namespaces.map((n) => n.metadata.name) });
    }
}

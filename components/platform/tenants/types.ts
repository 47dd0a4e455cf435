import type * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import type { TenantQuota } from "./quota";

/** What the stack's config decides about the application namespaces. */
export interface TenantSettings {
    /** The application namespaces: the `gitopsEnvironments` entries. */
    namespaces: string[];
    /** Each namespace's quota (config key `tenantQuota`, defaults in `DEFAULT_TENANT_QUOTA`). */
    quotas: Record<string, TenantQuota>;
    /** Refuse to delete the namespaces (and the volumes their PVCs hold). Config key `protectResources`. */
    protect: boolean;
}

export interface TenantsArgs extends TenantSettings {
    /** Provider of the cluster. */
    provider: k8s.Provider;
    /**
     * What must outlive the namespaces on destroy: the controllers that clean up what an application leaves in
     * them (the Load Balancer Controller for its Ingresses' ALBs, the EBS CSI driver behind the StorageClass for its volumes).
     */
    dependsOn: pulumi.Input<pulumi.Resource>[];
}

/** The application namespaces (one per `gitopsEnvironments` entry), as plain data. */
import { podSecurityLabels } from "../../shared/namespace";

/** The label every application namespace carries: selectors of policies that apply to all of them use it. */
export const TENANT_LABEL = { "eks-platform/tenant": "application" } as const;

/**
 * The namespace of one environment: `restricted` Pod Security (enforce, warn, audit) at the pinned version,
 * whatever a manifest from the GitOps repository asks for (the AppProject lets it create no Namespace).
 */
export function applicationNamespace(environment: string) {
    return {
        apiVersion: "v1" as const,
        kind: "Namespace" as const,
        metadata: {
            name: environment,
            labels: { ...TENANT_LABEL, "eks-platform/environment": environment, ...podSecurityLabels("restricted") },
        },
    };
}

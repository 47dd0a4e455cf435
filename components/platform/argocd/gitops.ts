/** Argo CD AppProject and ApplicationSet manifests (argoproj.io/v1alpha1), as plain data. */
import type { RepositoryCredentials } from "./repository";

export const ARGOCD_NAMESPACE = "argocd";
/** Argo CD's name for the cluster it runs in. */
export const IN_CLUSTER = "https://kubernetes.default.svc";

/** Fields come from the config keys `gitops<Field>`; the project is the stack's environment. */
export interface GitOpsSettings {
    /** AppProject name: the stack's environment (`dev`, `prod`). Config key `environment`. */
    project: string;
    /** Git repository Argo CD deploys from. Config key `gitopsRepoUrl`. */
    repoUrl: string;
    /** Where Argo CD's read credentials for a private `repoUrl` come from; absent: the repository is public. */
    credentials?: RepositoryCredentials;
    /** Branch, tag or commit to track. Config key `gitopsRevision`. */
    revision: string;
    /** `envs/{env}`-style template; `{app}` is substituted too. Config key `gitopsPath`. */
    pathTemplate: string;
    /** Applications, one per app and environment. Config key `gitopsApps`. */
    apps: string[];
    /** Environments = target namespaces. Config key `gitopsEnvironments`. */
    environments: string[];
    /** Automated prune + self-heal; otherwise every sync is manual. Config key `gitopsAutoSync`. */
    autoSync: boolean;
}

/**
 * The namespaced kinds an application may deploy, and nothing else. Left out on purpose:
 * - `Secret`: a Secret in Git is plaintext in Git; secrets come from Secrets Manager through ExternalSecret.
 * - `SecretStore` and the generators: they would run with the External Secrets operator's identity and reach
 *   everything it may read (other environments, the repository credentials); applications use the shared store.
 * - `NetworkPolicy`: policies only add allowances, so a tenant's own could widen what the platform's deny.
 * - `Pod`, `ReplicaSet`: workloads come as Deployments, StatefulSets, Jobs and CronJobs.
 * - `LimitRange`, `ResourceQuota`: the program's, sized from config.
 * Role and RoleBinding act within the namespace only. A RoleBinding to a ClusterRole such as `admin` still grants its
 * subjects the namespace's Secrets and NetworkPolicies (Argo CD's controller holds those rights, so RBAC's escalation
 * check does not stop it): that residual is the admission policies' to close.
 */
export const APPLICATION_KINDS: { group: string; kind: string }[] = [
    { group: "apps", kind: "Deployment" },
    { group: "apps", kind: "StatefulSet" },
    { group: "batch", kind: "Job" },
    { group: "batch", kind: "CronJob" },
    { group: "", kind: "Service" },
    { group: "", kind: "ConfigMap" },
    { group: "", kind: "ServiceAccount" },
    { group: "", kind: "PersistentVolumeClaim" },
    { group: "networking.k8s.io", kind: "Ingress" },
    { group: "autoscaling", kind: "HorizontalPodAutoscaler" },
    { group: "policy", kind: "PodDisruptionBudget" },
    { group: "monitoring.coreos.com", kind: "ServiceMonitor" },
    { group: "monitoring.coreos.com", kind: "PodMonitor" },
    { group: "external-secrets.io", kind: "ExternalSecret" },
    { group: "rbac.authorization.k8s.io", kind: "Role" },
    { group: "rbac.authorization.k8s.io", kind: "RoleBinding" },
];

/** Deploys only from the GitOps repo, only into this cluster's environment namespaces. */
export function appProject(s: GitOpsSettings) {
    return {
        apiVersion: "argoproj.io/v1alpha1",
        kind: "AppProject",
        metadata: { name: s.project, namespace: ARGOCD_NAMESPACE },
        spec: {
            description: `Applications of the ${s.project} cluster: ${s.environments.join(", ")}`,
            sourceRepos: [s.repoUrl],
            destinations: s.environments.map((namespace) => ({ server: IN_CLUSTER, namespace })),
            // Nothing cluster-scoped: no Namespace (the program creates and labels them; a manifest could relabel or
            // delete `argocd` or `monitoring`, argoproj/argo-cd#3553), no CRD, ClusterRole or webhook.
            clusterResourceWhitelist: [],
            namespaceResourceWhitelist: APPLICATION_KINDS,
        },
    };
}

export function syncPolicy(autoSync: boolean) {
    return {
        ...(autoSync ? { automated: { prune: true, selfHeal: true } } : {}),
        syncOptions: ["ServerSideApply=true"],
        retry: { limit: 5, backoff: { duration: "10s", factor: 2, maxDuration: "5m" } },
    };
}

/** One Application per app and environment, named `<app>-<env>`, deployed to the `<env>` namespace. */
export function applicationSet(s: GitOpsSettings) {
    const elements = s.apps.flatMap((app) =>
        s.environments.map((env) => ({ app, env, namespace: env, path: s.pathTemplate.replace(/\{env\}/g, env).replace(/\{app\}/g, app) })),
    );
    return {
        apiVersion: "argoproj.io/v1alpha1",
        kind: "ApplicationSet",
        metadata: { name: `${s.project}-apps`, namespace: ARGOCD_NAMESPACE },
        spec: {
            goTemplate: true,
            goTemplateOptions: ["missingkey=error"],
            generators: [{ list: { elements } }],
            template: {
                metadata: {
                    name: "{{.app}}-{{.env}}",
                    labels: { "eks-platform/environment": "{{.env}}", "eks-platform/app": "{{.app}}" },
                    // Deleting an Application deletes what it deployed (and the ALBs of its Ingresses) first.
                    finalizers: ["resources-finalizer.argocd.argoproj.io"],
                },
                spec: {
                    project: s.project,
                    source: { repoURL: s.repoUrl, targetRevision: s.revision, path: "{{.path}}" },
                    destination: { server: IN_CLUSTER, namespace: "{{.namespace}}" },
                    syncPolicy: syncPolicy(s.autoSync),
                },
            },
        },
    };
}

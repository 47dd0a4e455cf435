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
            // CreateNamespace=true needs the project to allow Namespace objects, and nothing else cluster-wide.
            clusterResourceWhitelist: [{ group: "", kind: "Namespace" }],
            // Applications read secrets only through the aws-secrets-manager store, which serves their namespaces the
            // environment's prefixes. A SecretStore of their own, or a generator, would run with the operator's
            // identity and reach everything it may read (other environments, the repository credentials' role).
            namespaceResourceBlacklist: [
                { group: "external-secrets.io", kind: "SecretStore" },
                { group: "generators.external-secrets.io", kind: "*" },
            ],
        },
    };
}

export function syncPolicy(autoSync: boolean) {
    return {
        ...(autoSync ? { automated: { prune: true, selfHeal: true } } : {}),
        syncOptions: ["CreateNamespace=true", "ServerSideApply=true"],
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

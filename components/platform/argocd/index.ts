import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { helmRelease } from "../../shared/helm-release";
import { releaseNamespace } from "../../shared/namespace";
import { ScrapeTarget } from "../../shared/scrape-target";
import { CHARTS } from "../../versions";
import { adminPassword, passwordSetAt } from "../admin-password";
import { AlbIngressSettings, albIngress } from "../ingress";
import { ARGOCD_NAMESPACE, GitOpsSettings, appProject, applicationSet } from "./gitops";
import { repositoryExternalSecret } from "./repository";
import { argoCdValues } from "./values";

/** The metrics endpoints the chart turns on (`metrics.enabled` of each component). */
export const ARGOCD_SCRAPE_TARGET: ScrapeTarget = {
    name: "argocd",
    namespace: ARGOCD_NAMESPACE,
    appNames: ["argocd-application-controller", "argocd-server", "argocd-repo-server", "argocd-applicationset-controller"],
    port: "metrics",
    path: "/metrics",
};

export interface ArgoCdArgs {
    /** Provider of the cluster. */
    provider: k8s.Provider;
    /** The EKS cluster: the namespace goes with it on destroy. */
    cluster: pulumi.Resource;
    /** What must run first: Karpenter's NodePool (pods need nodes), the LBC (Ingress admission and teardown). */
    dependsOn: pulumi.Resource[];
    /** The environment's AppProject and ApplicationSet; absent: no outside source is trusted or synced. */
    gitops?: GitOpsSettings;
    /** The namespaces the Applications deploy into (the program creates them): the ApplicationSet waits for them and, on destroy, goes first. */
    applicationNamespaces?: pulumi.Resource[];
    /** The ClusterSecretStore that serves this namespace the repository's credentials; needed when `gitops.credentials` is set. */
    repositoryStore?: { name: string; resource: pulumi.Resource };
    highAvailability: boolean;
    /** Configured admin password (secret), or undefined to generate one. */
    adminPassword?: pulumi.Output<string>;
    /** Shared-ALB settings; absent means no Ingress (port-forward instead). */
    ingress?: AlbIngressSettings & { host: string };
}

/** Argo CD, its admin password, the environment's AppProject and ApplicationSet, and optionally an Ingress. */
export class ArgoCd extends pulumi.ComponentResource {
    readonly release: k8s.helm.v3.Release;
    readonly adminPassword: pulumi.Output<string>;
    readonly url?: pulumi.Output<string>;

    constructor(name: string, args: ArgoCdArgs, opts?: pulumi.ComponentResourceOptions) {
        super("eks-platform:platform:ArgoCd", name, {}, opts);
        const provider = args.provider;
        const namespace = releaseNamespace(name, ARGOCD_NAMESPACE, { provider, cluster: args.cluster, parent: this });
        const password = adminPassword(`${name}-admin`, args.adminPassword, this);
        this.adminPassword = password.password;

        this.release = helmRelease(
            name,
            {
                chart: CHARTS.argoCd,
                namespace: namespace.metadata.name,
                releaseName: "argocd",
                values: argoCdValues({
                    highAvailability: args.highAvailability,
                    adminPasswordHash: password.bcryptHash,
                    adminPasswordSetAt: passwordSetAt(`${name}-admin`, this),
                    hostname: args.ingress?.host,
                }),
            },
            { parent: this, provider, dependsOn: args.dependsOn },
        );

        if (args.gitops) {
            const { credentials, repoUrl } = args.gitops;
            const store = args.repositoryStore;
            if (credentials && !store) throw new Error("ArgoCd: gitops.credentials needs repositoryStore");
            // The repository Secret before the project, so Argo CD's first fetch of a private repository has it.
            const repository =
                credentials && store
                    ? [new k8s.apiextensions.CustomResource(`${name}-repository`, repositoryExternalSecret(repoUrl, credentials, store.name), { parent: this, provider, dependsOn: [this.release, store.resource] })]
                    : [];
            const project = new k8s.apiextensions.CustomResource(`${name}-project`, appProject(args.gitops), {
                parent: this,
                provider,
                dependsOn: [this.release, ...repository],
            });
            // Deleting it deletes the Applications, whose finalizers remove what they deployed, while the
            // LBC (which the release depends on) can still clean up their load balancers.
            new k8s.apiextensions.CustomResource(`${name}-applications`, applicationSet(args.gitops), {
                parent: this,
                provider,
                dependsOn: [this.release, project, ...(args.applicationNamespaces ?? [])],
                customTimeouts: { delete: "15m" },
            });
        }

        if (args.ingress) {
            albIngress(
                `${name}-server`,
                {
                    ...args.ingress,
                    namespace: namespace.metadata.name,
                    name: "argocd-server",
                    serviceName: "argocd-server",
                    servicePort: 443,
                    // argocd-server keeps serving TLS itself; the ALB re-encrypts to it.
                    backendProtocol: "HTTPS",
                    healthCheckPath: "/healthz",
                },
                { parent: this, provider, dependsOn: [this.release, ...args.dependsOn] },
            );
            this.url = pulumi.output(`https://${args.ingress.host}`);
        }
        this.registerOutputs({ url: this.url });
    }
}

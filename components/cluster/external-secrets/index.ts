import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { AwsContext } from "../../shared/aws-context";
import { KeyAdministration, KmsKey, useThroughServiceStatement } from "../../shared/kms-key";
import { onSystemNodes } from "../../shared/placement";
import { ScrapeTarget } from "../../shared/scrape-target";
import { CHARTS } from "../../versions";
import { ClusterAddonComponent, ClusterAddonSpec, installClusterAddon, ownedNamespaces } from "../cluster-addon";
import type { Cluster } from "../index";
import { externalSecretsPolicy } from "./iam";
import { RepositoryAccess, grantRepositoryAccess, repositoryRoleArn } from "./repository-access";

export const EXTERNAL_SECRETS_SERVICE_ACCOUNT = { namespace: "external-secrets", name: "external-secrets" } as const;
export const CLUSTER_SECRET_STORE_NAME = "aws-secrets-manager";

/** The operator's chart install: its own namespace; controller, webhook and cert controller are platform plumbing, on the system nodes. */
export const EXTERNAL_SECRETS_ADDON: ClusterAddonSpec = {
    name: "external-secrets",
    chart: CHARTS.externalSecrets,
    serviceAccount: EXTERNAL_SECRETS_SERVICE_ACCOUNT,
    ownNamespace: true,
    placement: onSystemNodes(),
    // `global` reaches all three deployments of the chart.
    placementKey: "global",
};

export const EXTERNAL_SECRETS_SCRAPE_TARGET: ScrapeTarget = {
    name: "external-secrets",
    namespace: EXTERNAL_SECRETS_SERVICE_ACCOUNT.namespace,
    appNames: ["external-secrets"],
    port: "metrics",
    path: "/metrics",
};

export interface ExternalSecretsArgs {
    /** The cluster; provides its name, the provider and Pod Identity. */
    cluster: Cluster;
    /** Account facts for ARNs. */
    aws: AwsContext;
    /** Secret name prefixes this environment may read (`dev`, `staging` / `production`). Config key `externalSecretsPrefixes`. */
    secretPrefixes: string[];
    /** Controller replicas; more than one turns on leader election and a PodDisruptionBudget. Config key `externalSecretsReplicas`. */
    replicas: number;
    /**
     * The only namespaces whose ExternalSecrets the `aws-secrets-manager` store serves: the environments
     * Argo CD deploys to (config key `gitopsEnvironments`). Empty: the store serves no namespace.
     */
    storeNamespaces: string[];
    /** Administrators of the secrets key. */
    keyAdministration: KeyAdministration;
    /** Protect the secrets key. Config key `protectResources`. */
    protect: boolean;
    /** The Load Balancer Controller's release: its webhook mutates every Service, so the chart's Services wait for it. */
    serviceAdmission: pulumi.Resource[];
    /** The GitOps repository's credentials, readable by Argo CD's namespace alone; absent: the repository is public. */
    repositoryCredentials?: RepositoryAccess;
}

/**
 * External Secrets Operator reading Secrets Manager through Pod Identity, limited to this
 * environment's prefixes, plus the `aws-secrets-manager` ClusterSecretStore and the KMS key that
 * the environment's secrets are to be encrypted with.
 */
export class ExternalSecrets extends pulumi.ComponentResource implements ClusterAddonComponent {
    readonly secretsKeyArn: pulumi.Output<string>;
    readonly release: k8s.helm.v3.Release;
    readonly store: k8s.apiextensions.CustomResource;
    /** The store Argo CD's repository Secret is synced through, when the repository has credentials. */
    readonly repositoryStore?: k8s.apiextensions.CustomResource;
    /** Nothing: the platform's releases do not read secrets through the operator. */
    readonly platformDependencies: pulumi.Resource[] = [];
    readonly scrapeTargets = [EXTERNAL_SECRETS_SCRAPE_TARGET];
    readonly ownNamespaces = ownedNamespaces(EXTERNAL_SECRETS_ADDON);

    constructor(name: string, args: ExternalSecretsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("eks-platform:cluster:ExternalSecrets", name, {}, opts);
        const clusterName = args.cluster.configuredName;

        const secretsKey = new KmsKey(
            `${clusterName}-app-secrets`,
            {
                description: `${clusterName}: Secrets Manager secrets under ${args.secretPrefixes.map((p) => `${p}/`).join(", ")}`,
                alias: `${clusterName}/app-secrets`,
                aws: args.aws,
                administration: args.keyAdministration,
                serviceStatements: [useThroughServiceStatement("SecretsManagerOfThisAccount", args.aws, "secretsmanager")],
                protect: args.protect,
            },
            { parent: this },
        );
        this.secretsKeyArn = secretsKey.arn;

        const repositoryRole = args.repositoryCredentials && repositoryRoleArn(args.aws, clusterName);
        const installed = installClusterAddon(this, args.cluster, {
            ...EXTERNAL_SECRETS_ADDON,
            permissions: {
                policies: {
                    "read-secrets": externalSecretsPolicy({
                        partition: args.aws.partition,
                        region: args.aws.region,
                        accountId: args.aws.accountId,
                        prefixes: args.secretPrefixes,
                        secretsKeyArn: secretsKey.arn,
                        repositoryRoleArn: repositoryRole,
                    }),
                },
            },
            values: externalSecretsValues(args.replicas),
            dependsOn: args.serviceAdmission,
        });
        this.release = installed.release;
        this.store = new k8s.apiextensions.CustomResource(
            `${clusterName}-cluster-secret-store`,
            clusterSecretStore(args.aws.region, args.storeNamespaces),
            { parent: this, provider: args.cluster.provider, dependsOn: [this.release] },
        );
        if (args.repositoryCredentials) {
            this.repositoryStore = grantRepositoryAccess(this, {
                ...args.repositoryCredentials,
                clusterName,
                aws: args.aws,
                controllerRoleArn: installed.role.roleArn,
                secretsKeyArn: secretsKey.arn,
                provider: args.cluster.provider,
                release: this.release,
            });
        }
        this.registerOutputs({ secretsKeyArn: this.secretsKeyArn });
    }
}

/** Chart values without the service account and placement (`EXTERNAL_SECRETS_ADDON` adds them). */
export function externalSecretsValues(replicas: number) {
    const ha = replicas > 1;
    const resources = { requests: { cpu: "50m", memory: "128Mi" }, limits: { memory: "256Mi" } };
    return {
        installCRDs: true,
        replicaCount: replicas,
        leaderElect: ha,
        podDisruptionBudget: { enabled: ha },
        resources,
        // The webhook admits every ExternalSecret and the cert controller keeps its certificate
        // fresh: with one replica either one blocks admission while its node drains.
        webhook: { replicaCount: replicas, podDisruptionBudget: { enabled: ha }, resources },
        certController: { replicaCount: replicas, podDisruptionBudget: { enabled: ha }, resources },
    };
}

/**
 * external-secrets.io/v1 (v1beta1 is no longer served); no auth block: the controller's Pod Identity.
 * `conditions` keep the store, and so the operator's read access, from every other namespace.
 */
export function clusterSecretStore(region: string, namespaces: string[]) {
    return {
        apiVersion: "external-secrets.io/v1",
        kind: "ClusterSecretStore",
        metadata: { name: CLUSTER_SECRET_STORE_NAME },
        spec: { provider: { aws: { service: "SecretsManager", region } }, conditions: [{ namespaces }] },
    };
}


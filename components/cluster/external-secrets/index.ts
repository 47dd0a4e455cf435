import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { AwsContext } from "../../shared/aws-context";
import { helmRelease } from "../../shared/helm-release";
import { releaseNamespace } from "../../shared/namespace";
import { KmsKey } from "../../shared/kms-key";
import { CHARTS } from "../../versions";
import type { Cluster } from "../index";
import { SYSTEM_NODE_LABEL, SYSTEM_TOLERATION } from "../node-group";
import { externalSecretsPolicy } from "./iam";

export const EXTERNAL_SECRETS_SERVICE_ACCOUNT = { namespace: "external-secrets", name: "external-secrets" } as const;
export const CLUSTER_SECRET_STORE_NAME = "aws-secrets-manager";

export interface ExternalSecretsArgs {
    /** The cluster; provides the provider and Pod Identity. */
    cluster: Cluster;
    /** Cluster name as configured. */
    clusterName: string;
    /** Account facts for ARNs. */
    aws: AwsContext;
    /** Secret name prefixes this environment may read (`dev`, `staging` / `production`). */
    secretPrefixes: string[];
    /** Controller replicas; more than one turns on leader election and a PodDisruptionBudget. */
    replicas: number;
    /** Protect the secrets key. */
    protect: boolean;
}

/**
 * External Secrets Operator reading Secrets Manager through Pod Identity, limited to this
 * environment's prefixes, plus the `aws-secrets-manager` ClusterSecretStore and the KMS key that
 * the environment's secrets are to be encrypted with.
 */
export class ExternalSecrets extends pulumi.ComponentResource {
    readonly secretsKeyArn: pulumi.Output<string>;
    readonly release: k8s.helm.v3.Release;
    readonly store: k8s.apiextensions.CustomResource;

    constructor(name: string, args: ExternalSecretsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("eks-platform:cluster:ExternalSecrets", name, {}, opts);
        const provider = args.cluster.provider;

        const secretsKey = new KmsKey(
            `${args.clusterName}-app-secrets`,
            {
                description: `${args.clusterName}: Secrets Manager secrets under ${args.secretPrefixes.map((p) => `${p}/`).join(", ")}`,
                alias: `${args.clusterName}/app-secrets`,
                aws: args.aws,
                serviceStatements: [],
                protect: args.protect,
            },
            { parent: this },
        );
        this.secretsKeyArn = secretsKey.arn;

        const role = args.cluster.podIdentity(
            "external-secrets",
            {
                namespace: EXTERNAL_SECRETS_SERVICE_ACCOUNT.namespace,
                serviceAccount: EXTERNAL_SECRETS_SERVICE_ACCOUNT.name,
                policies: {
                    "read-secrets": externalSecretsPolicy({
                        partition: args.aws.partition,
                        region: args.aws.region,
                        accountId: args.aws.accountId,
                        prefixes: args.secretPrefixes,
                        secretsKeyArn: secretsKey.arn,
                    }),
                },
            },
            { parent: this },
        );

        const namespace = releaseNamespace(`${args.clusterName}-external-secrets`, EXTERNAL_SECRETS_SERVICE_ACCOUNT.namespace, {
            provider,
            cluster: args.cluster.eksCluster,
            parent: this,
        });
        this.release = helmRelease(
            `${args.clusterName}-external-secrets`,
            {
                chart: CHARTS.externalSecrets,
                namespace: namespace.metadata.name,
                releaseName: "external-secrets",
                values: externalSecretsValues(args.replicas),
            },
            { parent: this, provider, dependsOn: role.ready },
        );
        this.store = new k8s.apiextensions.CustomResource(
            `${args.clusterName}-cluster-secret-store`,
            clusterSecretStore(args.aws.region),
            { parent: this, provider, dependsOn: [this.release] },
        );
        this.registerOutputs({ secretsKeyArn: this.secretsKeyArn });
    }
}

export function externalSecretsValues(replicas: number) {
    const ha = replicas > 1;
    const resources = { requests: { cpu: "50m", memory: "128Mi" }, limits: { memory: "256Mi" } };
    return {
        installCRDs: true,
        replicaCount: replicas,
        leaderElect: ha,
        podDisruptionBudget: { enabled: ha },
        serviceAccount: { create: true, name: EXTERNAL_SECRETS_SERVICE_ACCOUNT.name },
        // Controller, webhook and cert controller: platform plumbing, on the system nodes.
        global: { nodeSelector: { [SYSTEM_NODE_LABEL.key]: SYSTEM_NODE_LABEL.value }, tolerations: [SYSTEM_TOLERATION] },
        resources,
        // The webhook admits every ExternalSecret and the cert controller keeps its certificate
        // fresh: with one replica either one blocks admission while its node drains.
        webhook: { replicaCount: replicas, podDisruptionBudget: { enabled: ha }, resources },
        certController: { replicaCount: replicas, podDisruptionBudget: { enabled: ha }, resources },
    };
}

/** external-secrets.io/v1 (v1beta1 is no longer served); no auth block: the controller's Pod Identity. */
export function clusterSecretStore(region: string) {
    return {
        apiVersion: "external-secrets.io/v1",
        kind: "ClusterSecretStore",
        metadata: { name: CLUSTER_SECRET_STORE_NAME },
        spec: { provider: { aws: { service: "SecretsManager", region } } },
    };
}

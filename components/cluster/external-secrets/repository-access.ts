/**
 * Read access to one secret, the GitOps repository's credentials, for Argo CD's namespace alone. The operator's
 * own role never reads it: it may only assume a role that reads that one secret, and only the store that serves
 * the argocd namespace names that role. Applications (whose stores serve the environments' prefixes) cannot reach it.
 */
import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { AwsContext, arn } from "../../shared/aws-context";
import { PolicyDocument, policyJson } from "../../shared/iam";
import { decryptThroughSecretsManager, readSecrets } from "./iam";

/** The ClusterSecretStore Argo CD's repository Secret is synced through. */
export const REPOSITORY_STORE_NAME = "gitops-repository";

export interface RepositoryAccess {
    /** Secrets Manager secret with the repository's credentials. Config key `gitopsRepoCredentials`. */
    secretName: string;
    /** The one namespace the store serves: Argo CD's. */
    namespace: string;
}

/** Name of the role that reads the secret; fixed, so the operator's policy can name it before it exists. */
export const repositoryRoleName = (clusterName: string) => `${clusterName}-gitops-repository`;

/** ARN of that role. */
export const repositoryRoleArn = (ctx: AwsContext, clusterName: string) => arn(ctx, "iam", `role/${repositoryRoleName(clusterName)}`, { global: true });

/** Only the operator's own role may assume the repository role. */
export function repositoryRoleTrust(controllerRoleArn: pulumi.Input<string>): PolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [{ Sid: "ExternalSecretsOperator", Effect: "Allow", Principal: { AWS: controllerRoleArn }, Action: "sts:AssumeRole" }],
    };
}

/** The one secret (any version: Secrets Manager appends `-` and six characters to its ARN), decrypted only through Secrets Manager. */
export function repositoryReadPolicy(ctx: AwsContext, secretName: string, secretsKeyArn: pulumi.Input<string>): PolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [
            readSecrets("ReadRepositoryCredentials", arn(ctx, "secretsmanager", `secret:${secretName}-??????`)),
            // When the secret is encrypted with the environment's key rather than aws/secretsmanager.
            decryptThroughSecretsManager("DecryptRepositoryCredentials", secretsKeyArn, ctx.region),
        ],
    };
}

/** external-secrets.io/v1: the operator assumes `roleArn` for this store alone, which serves `namespace` alone. */
export function repositoryStore(region: string, roleArn: pulumi.Input<string>, namespace: string) {
    return {
        apiVersion: "external-secrets.io/v1",
        kind: "ClusterSecretStore",
        metadata: { name: REPOSITORY_STORE_NAME },
        spec: { provider: { aws: { service: "SecretsManager", region, role: roleArn } }, conditions: [{ namespaces: [namespace] }] },
    };
}

export interface RepositoryAccessArgs extends RepositoryAccess {
    clusterName: string;
    aws: AwsContext;
    /** The operator's Pod Identity role. */
    controllerRoleArn: pulumi.Input<string>;
    secretsKeyArn: pulumi.Input<string>;
    provider: k8s.Provider;
    /** The operator's release (its CRDs). */
    release: pulumi.Resource;
}

/** The repository role and the store that uses it; returns the store. */
export function grantRepositoryAccess(owner: pulumi.Resource, args: RepositoryAccessArgs): k8s.apiextensions.CustomResource {
    const name = repositoryRoleName(args.clusterName);
    const role = new aws.iam.Role(
        name,
        { name, description: `Reads ${args.secretName} for the ${args.namespace} namespace (External Secrets)`, assumeRolePolicy: policyJson(repositoryRoleTrust(args.controllerRoleArn)) },
        { parent: owner },
    );
    const read = new aws.iam.RolePolicy(name, { role: role.name, policy: policyJson(repositoryReadPolicy(args.aws, args.secretName, args.secretsKeyArn)) }, { parent: owner });
    return new k8s.apiextensions.CustomResource(`${args.clusterName}-${REPOSITORY_STORE_NAME}-store`, repositoryStore(args.aws.region, role.arn, args.namespace), {
        parent: owner,
        provider: args.provider,
        dependsOn: [args.release, read],
    });
}

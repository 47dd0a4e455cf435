import * as pulumi from "@pulumi/pulumi";
import { PolicyDocument, PolicyStatement } from "../../shared/iam";

export interface ExternalSecretsPolicyContext {
    partition: pulumi.Input<string>;
    region: string;
    accountId: pulumi.Input<string>;
    /** Secret name prefixes this environment may read, e.g. `dev`, `staging`. */
    prefixes: string[];
    /** KMS key the environment's secrets are encrypted with. */
    secretsKeyArn: pulumi.Input<string>;
    /** The role that reads the GitOps repository's credentials, which the operator assumes for Argo CD's store; absent: none. */
    repositoryRoleArn?: pulumi.Input<string>;
}

/** Read only the environment's secrets; decrypt only through Secrets Manager with its key. */
export function externalSecretsPolicy(c: ExternalSecretsPolicyContext): PolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [
            readSecrets("ReadEnvironmentSecrets", c.prefixes.map((p) => pulumi.interpolate`arn:${c.partition}:secretsmanager:${c.region}:${c.accountId}:secret:${p}/*`)),
            {
                // ListSecrets has no resource-level permissions; it returns names, never values.
                Sid: "ListSecrets",
                Effect: "Allow",
                Action: ["secretsmanager:ListSecrets"],
                Resource: "*",
            },
            decryptThroughSecretsManager("DecryptEnvironmentSecrets", c.secretsKeyArn, c.region),
            ...(c.repositoryRoleArn ? [{ Sid: "AssumeRepositoryCredentialsRole", Effect: "Allow" as const, Action: ["sts:AssumeRole"], Resource: c.repositoryRoleArn }] : []),
        ],
    };
}

/** Values and metadata of the listed secrets (prefixes or single secrets). */
export function readSecrets(sid: string, resources: pulumi.Input<pulumi.Input<string>[]> | pulumi.Input<string>): PolicyStatement {
    return { Sid: sid, Effect: "Allow", Action: ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"], Resource: resources };
}

/** Decrypting with `keyArn` only on Secrets Manager's behalf (reading a secret it encrypts), never directly. */
export function decryptThroughSecretsManager(sid: string, keyArn: pulumi.Input<string>, region: string): PolicyStatement {
    return { Sid: sid, Effect: "Allow", Action: ["kms:Decrypt"], Resource: keyArn, Condition: { StringEquals: { "kms:ViaService": `secretsmanager.${region}.amazonaws.com` } } };
}

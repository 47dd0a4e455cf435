import * as pulumi from "@pulumi/pulumi";
import { PolicyDocument } from "../../shared/iam";

export interface ExternalSecretsPolicyContext {
    partition: pulumi.Input<string>;
    region: string;
    accountId: pulumi.Input<string>;
    /** Secret name prefixes this environment may read, e.g. `dev`, `staging`. */
    prefixes: string[];
    /** KMS key the environment's secrets are encrypted with. */
    secretsKeyArn: pulumi.Input<string>;
}

/** Read only the environment's secrets; decrypt only through Secrets Manager with its key. */
export function externalSecretsPolicy(c: ExternalSecretsPolicyContext): PolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "ReadEnvironmentSecrets",
                Effect: "Allow",
                Action: ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"],
                Resource: c.prefixes.map((p) => pulumi.interpolate`arn:${c.partition}:secretsmanager:${c.region}:${c.accountId}:secret:${p}/*`),
            },
            {
                // ListSecrets has no resource-level permissions; it returns names, never values.
                Sid: "ListSecrets",
                Effect: "Allow",
                Action: ["secretsmanager:ListSecrets"],
                Resource: "*",
            },
            {
                Sid: "DecryptEnvironmentSecrets",
                Effect: "Allow",
                Action: ["kms:Decrypt"],
                Resource: c.secretsKeyArn,
                Condition: { StringEquals: { "kms:ViaService": `secretsmanager.${c.region}.amazonaws.com` } },
            },
        ],
    };
}

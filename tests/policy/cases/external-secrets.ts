import { ACCOUNT, FixtureCase, iamPolicy, podIdentityStatement, role, secretArn, SECRETS_KEY, viaSecretsManager } from "../../support/policy-builders";
import { aws, doc } from "../../support/policy-fixtures";

/** Hand-built stacks the External Secrets policies must (or must not) report on. */
export const externalSecretsCases: FixtureCase[] = [
    // Secrets Manager readers (External Secrets)
    {
        policy: "external-secrets-scoping",
        title: "reading every secret or loose prefixes, and decrypting with any key or an alias without kms:ViaService",
        resources: [
            iamPolicy(
                "greedy-reader",
                { Sid: "AllSecrets", Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: [secretArn("*"), "*"] },
                { Sid: "LoosePrefixes", Effect: "Allow", Action: ["secretsmanager:DescribeSecret"], Resource: [secretArn("dev*"), secretArn("*/db"), secretArn("*/*"), secretArn("dev/*"), secretArn("argocd*-??????"), secretArn("argocd/repository-???")] },
                { Sid: "AnyKey", Effect: "Allow", Action: "kms:Decrypt", Resource: "*" },
            ),
            role("reader", doc(podIdentityStatement), {
                inlinePolicies: [
                    {
                        name: "read",
                        policy: doc(
                            { Effect: "Allow", Action: "secretsmanager:*", Resource: secretArn("production/*") },
                            { Effect: "Allow", Action: "kms:*", Resource: `arn:aws:kms:us-west-2:${ACCOUNT}:alias/secrets`, Condition: viaSecretsManager },
                        ),
                    },
                ],
            }),
        ],
        expected: [
            ["greedy-reader", `ESO: Policy greedy-reader.policy statement "AllSecrets" allows secretsmanager:GetSecretValue on ${secretArn("*")}, *; only secret ARNs under a prefix (secret:<prefix>/*) or of one named secret (secret:<name>-??????) are allowed`],
            ["greedy-reader", `ESO: Policy greedy-reader.policy statement "LoosePrefixes" allows secretsmanager:DescribeSecret on ${secretArn("dev*")}, ${secretArn("*/db")}, ${secretArn("*/*")}, ${secretArn("argocd*-??????")}, ${secretArn("argocd/repository-???")}; only secret ARNs under a prefix (secret:<prefix>/*) or of one named secret (secret:<name>-??????) are allowed`],
            ["greedy-reader", `ESO: Policy greedy-reader.policy statement "AnyKey" allows kms:Decrypt on *; only the secrets' key ARN (key/<id>) is allowed`],
            ["greedy-reader", 'ESO: Policy greedy-reader.policy statement "AnyKey" allows kms:Decrypt without a kms:ViaService condition (decrypt only through Secrets Manager)'],
            ["reader", `ESO: Role reader.inlinePolicies[read] statement #2 allows kms:Decrypt on arn:aws:kms:us-west-2:${ACCOUNT}:alias/secrets; only the secrets' key ARN (key/<id>) is allowed`],
        ],
    },
    {
        policy: "external-secrets-scoping",
        title: "prefix-scoped reads, one named secret, with the secrets key through Secrets Manager, and a key grant in a policy that reads no secrets",
        resources: [
            iamPolicy(
                "eso",
                { Effect: "Allow", Action: ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"], Resource: [secretArn("dev/*"), secretArn("staging/*"), secretArn("argocd/dev/gitops-repository-??????")] },
                { Effect: "Allow", Action: "secretsmanager:ListSecrets", Resource: "*" },
                { Effect: "Allow", Action: "kms:Decrypt", Resource: SECRETS_KEY, Condition: viaSecretsManager },
            ),
            aws("aws:iam/rolePolicy:RolePolicy", "control-plane-key", { role: "cluster", policy: doc({ Effect: "Allow", Action: ["kms:Encrypt", "kms:Decrypt"], Resource: "*" }) }),
        ],
        expected: [],
    },
];

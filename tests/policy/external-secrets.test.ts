import { expect } from "chai";
import { describeFixtureCases, editStatements, graphResources, policy, reported, secretArn, unconditioned } from "../support/policy-builders";
import { stackGraph } from "../../tooling/offline/harness";
import { runPolicy } from "../support/policy-harness";
import { externalSecretsCases } from "./cases/external-secrets";

describe("policy pack: External Secrets", () => {
    describeFixtureCases(externalSecretsCases);

    describe("relations on the fixture graphs", () => {
        it("external-secrets-scoping: the program's prefixes and kms:ViaService are what make its ESO policy pass", async () => {
            const dev = await stackGraph("dev");
            const widened = editStatements("eks-dev-external-secrets-read-secrets", (s) =>
                s.Sid === "ReadEnvironmentSecrets" ? { ...s, Resource: secretArn("*") } : s.Sid === "DecryptEnvironmentSecrets" ? unconditioned(s) : s,
            );
            expect(reported(await runPolicy(policy("external-secrets-scoping"), graphResources(dev, widened)))).to.deep.equal([
                [
                    "eks-dev-external-secrets-read-secrets",
                    `ESO: Policy eks-dev-external-secrets-read-secrets.policy statement "ReadEnvironmentSecrets" allows secretsmanager:GetSecretValue, secretsmanager:DescribeSecret on ${secretArn("*")}; only secret ARNs under a prefix (secret:<prefix>/*) or of one named secret (secret:<name>-??????) are allowed`,
                ],
                [
                    "eks-dev-external-secrets-read-secrets",
                    'ESO: Policy eks-dev-external-secrets-read-secrets.policy statement "DecryptEnvironmentSecrets" allows kms:Decrypt without a kms:ViaService condition (decrypt only through Secrets Manager)',
                ],
            ]);
        });
    });
});

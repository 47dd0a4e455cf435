import { expect } from "chai";
import { describeFixtureCases, editStatements, graphResources, policy, reported } from "../support/policy-builders";
import { stackGraph } from "../../tooling/offline/harness";
import { runPolicy } from "../support/policy-harness";
import { dnsCases } from "./cases/dns";

describe("policy pack: DNS", () => {
    describeFixtureCases(dnsCases);

    describe("relations on the fixture graphs", () => {
        it("dns-record-scoping: external-dns passes only because its record statement names the configured zone", async () => {
            const prod = await stackGraph("prod");
            expect(reported(await runPolicy(policy("dns-record-scoping"), graphResources(prod)))).to.deep.equal([]);
            const widened = editStatements("eks-prod-external-dns-route53-records", (s) => (s.Sid === "ChangeRecordsInConfiguredZones" ? { ...s, Resource: "arn:aws:route53:::hostedzone/*" } : s));
            expect(reported(await runPolicy(policy("dns-record-scoping"), graphResources(prod, widened)))).to.deep.equal([
                [
                    "eks-prod-external-dns-route53-records",
                    'BP dns: Policy eks-prod-external-dns-route53-records.policy statement "ChangeRecordsInConfiguredZones" allows route53:ChangeResourceRecordSets, route53:ListResourceRecordSets on arn:aws:route53:::hostedzone/*; only hosted zone ARNs (hostedzone/<id>) of the configured zones are allowed',
                ],
            ]);
        });
    });
});

import { expect } from "chai";
import { describeFixtureCases, graphResources, policy, reported } from "../support/policy-builders";
import { runPolicy } from "../support/policy-harness";
import { devWithOptionalFeatures } from "../support/variants";
import { wafCases } from "./cases/waf";

describe("policy pack: WAF", () => {
    describeFixtureCases(wafCases);

    describe("relations on the fixture graphs", () => {
        it("waf-web-acl: the program's ACL in front of an internet-facing ALB passes; without its logging configuration it does not", async () => {
            const dev = await devWithOptionalFeatures();
            expect(reported(await runPolicy(policy("waf-web-acl"), graphResources(dev)))).to.deep.equal([]);
            const unlogged = graphResources(dev, (records) => records.filter((r) => r.type !== "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration"));
            expect(reported(await runPolicy(policy("waf-web-acl"), unlogged))).to.deep.equal([
                ["eks-dev-platform-alb", "BP waf: web ACL eks-dev-platform-alb has no logging configuration (aws.wafv2.WebAclLoggingConfiguration)"],
            ]);
        });
    });
});

import { expect } from "chai";
import { describeFixtureCases, drop, graphResources, policy, reported } from "../support/policy-builders";
import { stackGraph } from "../../tooling/offline/harness";
import { runPolicy } from "../support/policy-harness";
import { ecrCases } from "./cases/ecr";

describe("policy pack: ECR", () => {
    describeFixtureCases(ecrCases);

    describe("relations on the fixture graphs", () => {
        it("ecr-lifecycle-policy ties each LifecyclePolicy to its repository's name", async () => {
            const prod = await stackGraph("prod");
            expect(reported(await runPolicy(policy("ecr-lifecycle-policy"), graphResources(prod, drop("aws:ecr/lifecyclePolicy:LifecyclePolicy", "platform-tools"))))).to.deep.equal([
                ["platform-tools", "BP image: ECR repository platform-tools has no lifecycle policy (no LifecyclePolicy with repository platform/tools)"],
            ]);
        });
    });
});

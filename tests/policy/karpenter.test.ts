import { expect } from "chai";
import { describeFixtureCases, editStatements, graphResources, policy, statements, unconditioned } from "../support/policy-builders";
import { stackGraph } from "../../tooling/offline/harness";
import { RecordedResource } from "../../tooling/offline/mocks";
import { runPolicy } from "../support/policy-harness";
import { karpenterCases } from "./cases/karpenter";

describe("policy pack: Karpenter", () => {
    describeFixtureCases(karpenterCases);

    describe("relations on the fixture graphs", () => {
        it("karpenter-controller-scoping: the program's tag and PassedToService conditions are what make its Karpenter policies pass", async () => {
            const dev = await stackGraph("dev");
            const stripped = (records: RecordedResource[]) =>
                editStatements("eks-dev-karpenter-iam-integration", unconditioned)(editStatements("eks-dev-karpenter-node-lifecycle", unconditioned)(records));
            expect(statements(await runPolicy(policy("karpenter-controller-scoping"), graphResources(dev, stripped)))).to.deep.equal([
                ["eks-dev-karpenter-node-lifecycle", "AllowScopedEC2LaunchTemplateAccessActions"],
                ["eks-dev-karpenter-node-lifecycle", "AllowScopedEC2InstanceActionsWithTags"],
                ["eks-dev-karpenter-node-lifecycle", "AllowScopedResourceCreationTagging"],
                ["eks-dev-karpenter-node-lifecycle", "AllowScopedResourceTagging"],
                ["eks-dev-karpenter-node-lifecycle", "AllowScopedDeletion"],
                ["eks-dev-karpenter-iam-integration", "AllowPassingInstanceRole"],
            ]);
        });
    });
});

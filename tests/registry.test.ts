import { expect } from "chai";
import { useStacks } from "./support/use-stacks";
import { StackGraph } from "../tooling/offline/harness";
import { ACCOUNT_ID } from "../tooling/offline/mocks";

describe("Registry", () => {
    const stacks = useStacks();

    const repos = (g: StackGraph) => g.ofType("aws:ecr/repository:Repository");

    it("creates one repository per configured name", () => {
        expect(repos(stacks.dev).map((r) => r.inputs.name)).to.have.members(["myapp", "platform/tools"]);
        expect(repos(stacks.prod).map((r) => r.inputs.name)).to.have.members(["myapp", "platform/tools"]);
    });

    it("scans on push and encrypts with KMS", () => {
        for (const r of [...repos(stacks.dev), ...repos(stacks.prod)]) {
            expect(r.inputs.imageScanningConfiguration).to.deep.equal({ scanOnPush: true });
            expect(r.inputs.encryptionConfigurations).to.deep.equal([{ encryptionType: "KMS" }]);
        }
    });

    it("keeps tags immutable, exempting only the configured filters", () => {
        for (const r of repos(stacks.prod)) {
            expect(r.inputs.imageTagMutability).to.equal("IMMUTABLE");
            expect(r.inputs.imageTagMutabilityExclusionFilters).to.equal(undefined);
        }
        for (const r of repos(stacks.dev)) {
            expect(r.inputs.imageTagMutability).to.equal("IMMUTABLE_WITH_EXCLUSION");
            expect(r.inputs.imageTagMutabilityExclusionFilters).to.deep.equal([{ filter: "latest", filterType: "WILDCARD" }]);
        }
    });

    it("expires untagged images after a day and keeps the configured number of tagged ones", () => {
        for (const [g, keep] of [[stacks.dev, 10], [stacks.prod, 50]] as const) {
            const policies = g.ofType("aws:ecr/lifecyclePolicy:LifecyclePolicy");
            expect(policies).to.have.length(2);
            for (const p of policies) {
                const rules = JSON.parse(p.inputs.policy).rules;
                expect(rules[0].selection).to.deep.equal({ tagStatus: "untagged", countType: "sinceImagePushed", countUnit: "days", countNumber: 1 });
                expect(rules[1].selection).to.include({ tagStatus: "tagged", countType: "imageCountMoreThan", countNumber: keep });
                expect(rules.every((rule: any) => rule.action.type === "expire")).to.equal(true);
            }
        }
    });

    it("protects repositories and refuses force-delete in prod; dev can be torn down", () => {
        for (const r of repos(stacks.prod)) {
            expect(r.opts.protect).to.equal(true);
            expect(r.inputs.forceDelete).to.equal(false);
        }
        for (const r of repos(stacks.dev)) {
            expect(r.opts.protect).to.equal(false);
            expect(r.inputs.forceDelete).to.equal(true);
        }
    });

    it("exports name -> repository URL", () => {
        expect(stacks.dev.outputs.repositoryUrls).to.deep.equal({
            myapp: `${ACCOUNT_ID}.dkr.ecr.us-west-2.amazonaws.com/myapp`,
            "platform/tools": `${ACCOUNT_ID}.dkr.ecr.us-west-2.amazonaws.com/platform/tools`,
        });
    });
});

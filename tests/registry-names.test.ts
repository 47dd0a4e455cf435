import { expect } from "chai";
import { ConfigError } from "../stacks/config/reader";
import { StackRegistry } from "../stacks/config/registry-collisions";
import { validateConfig } from "../stacks/config/validate";
import { buildStack, stackGraph } from "../tooling/offline/harness";
import { ACCOUNT_ID } from "../tooling/offline/mocks";
import { PROJECT, configWith } from "../tooling/offline/stack-files";

const OTHER_ACCOUNT = "444455556666";

/** Validates the prod fixture beside one other stack file's registry; the error text, or undefined. */
function collision(overrides: Record<string, unknown>, other: StackRegistry): string | undefined {
    try {
        validateConfig({ project: PROJECT, stack: "prod", values: configWith("prod", overrides), otherStackCidrs: {}, otherStackRegistries: { dev: other } });
        return undefined;
    } catch (err) {
        expect(err).to.be.instanceOf(ConfigError);
        return (err as Error).message;
    }
}

describe("ECR repository names across stacks", () => {
    const devInSameAccount: StackRegistry = { region: "us-west-2", allowedAccountIds: [ACCOUNT_ID], names: ["myapp", "platform/tools"] };

    it("refuses a name another stack file certainly creates in the same account and region, naming the switch", () => {
        const msg = collision({ "aws:allowedAccountIds": [ACCOUNT_ID] }, devInSameAccount);
        expect(msg).to.include(`eks-platform:ecrRepositories: got "myapp" (stack "dev" creates the same repository in account ${ACCOUNT_ID} and us-west-2; set ecrPrefixWithEnvironment: true`);
        expect(msg).to.include('got "platform/tools"');
    });

    it("leaves names alone where the accounts or regions differ, or where the account is not pinned (the preflight asks the account)", () => {
        expect(collision({ "aws:allowedAccountIds": [OTHER_ACCOUNT] }, devInSameAccount)).to.equal(undefined);
        expect(collision({ "aws:allowedAccountIds": [ACCOUNT_ID], "aws:region": "eu-west-1" }, devInSameAccount)).to.equal(undefined);
        expect(collision({}, devInSameAccount)).to.equal(undefined);
        expect(collision({ "aws:allowedAccountIds": [ACCOUNT_ID] }, { ...devInSameAccount, allowedAccountIds: [] })).to.equal(undefined);
    });

    it("resolves the clash with ecrPrefixWithEnvironment on either side", () => {
        expect(collision({ "aws:allowedAccountIds": [ACCOUNT_ID], ecrPrefixWithEnvironment: true }, devInSameAccount)).to.equal(undefined);
        expect(collision({ "aws:allowedAccountIds": [ACCOUNT_ID] }, { ...devInSameAccount, names: ["dev/myapp", "dev/platform/tools"] })).to.equal(undefined);
    });

    it("names each repository <environment>/<name> with the switch on, keeping resource names and output keys", async () => {
        const g = await buildStack("prod", { ecrPrefixWithEnvironment: true });
        const repos = g.ofType("aws:ecr/repository:Repository");
        expect(repos.map((r) => [r.name, r.inputs.name]).sort()).to.deep.equal([
            ["myapp", "prod/myapp"],
            ["platform-tools", "prod/platform/tools"],
        ]);
        expect(Object.keys(g.outputs.repositoryUrls).sort()).to.deep.equal(["myapp", "platform/tools"]);
        expect(g.outputs.repositoryUrls.myapp).to.match(/\/prod\/myapp$/);
        const plain = await stackGraph("prod");
        expect(plain.ofType("aws:ecr/repository:Repository").map((r) => r.inputs.name).sort()).to.deep.equal(["myapp", "platform/tools"]);
    });
});

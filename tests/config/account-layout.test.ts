import { expect } from "chai";
import * as path from "path";
import { otherStackCidrs } from "../../stacks/config/load";
import { otherStackRegistries } from "../../stacks/config/load";
import { validateConfig } from "../../stacks/config/validate";
import { configWarnings } from "../../stacks/config/warnings";
import { ACCOUNT_ID } from "../../tooling/offline/mocks";
import { PROJECT, configWith, fixturesDir } from "../../tooling/offline/stack-files";

const LAYOUTS = path.join(fixturesDir, "account-layout");

/** The warnings of the prod fixture, pinned to the test account (and `overrides`), beside the dev stack file of `layout`. */
function warningsBeside(layout: "shared-account" | "separate-accounts", overrides: Record<string, unknown> = {}): string[] {
    const dir = path.join(LAYOUTS, layout);
    const cfg = validateConfig({
        project: PROJECT,
        stack: "prod",
        values: configWith("prod", { "aws:allowedAccountIds": [ACCOUNT_ID], ...overrides }),
        otherStackCidrs: otherStackCidrs(dir, PROJECT, "prod"),
        otherStackRegistries: otherStackRegistries(dir, PROJECT, "prod"),
    });
    return configWarnings(cfg).filter((w) => w.includes("aws:allowedAccountIds"));
}

describe("account layout: two stack files in one account and region", () => {
    it("warns, naming both stacks, the account, the region and what isolation then rests on", () => {
        const [warning, ...more] = warningsBeside("shared-account");
        expect(more).to.deep.equal([]);
        expect(warning).to.include(`stacks "prod" and "dev" both pin account ${ACCOUNT_ID} (aws:allowedAccountIds) in us-west-2`);
        expect(warning).to.include("owner tags project=eks-platform and environment=prod on every resource");
        expect(warning).to.include("ARNs naming cluster eks-prod");
        expect(warning).to.include("state objects under the backend prefix");
        expect(warning).to.include("eks-platform:ecrPrefixWithEnvironment: true").and.include("README, Account layout");
        expect(warningsBeside("shared-account", { ecrPrefixWithEnvironment: true })[0]).to.include("ECR repositories under prod/ (ecrPrefixWithEnvironment)");
    });

    it("stays silent for separate accounts, another region, or a stack file that pins no account", () => {
        expect(warningsBeside("separate-accounts")).to.deep.equal([]);
        expect(warningsBeside("shared-account", { "aws:region": "eu-west-1" })).to.deep.equal([]);
        expect(warningsBeside("shared-account", { "aws:allowedAccountIds": undefined })).to.deep.equal([]);
    });
});

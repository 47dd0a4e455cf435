import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import * as path from "path";
import { OUTPUT_NAMES } from "../stacks/outputs";
import { serialized, settle } from "../tooling/offline/harness";
import { PlatformMocks } from "../tooling/offline/mocks";
import { PROJECT, configWith, fixturesDir } from "../tooling/offline/stack-files";

describe("index.ts (the program Pulumi runs)", () => {
    it("builds the dev fixture from its working directory and exports every declared output in order, without warnings", async () => {
        const warnings: string[] = [];
        const outputs = await serialized(async () => {
            const mocks = new PlatformMocks("us-west-2");
            await pulumi.runtime.setMocks(mocks, PROJECT, "dev", false);
            pulumi.runtime.setAllConfig(configWith("dev"));
            const consoleWarn = console.warn;
            console.warn = (...parts: unknown[]) => warnings.push(parts.join(" "));
            try {
                // index.ts reads the sibling stack files from the working directory, as under `pulumi up`: the
                // fixtures' folder, so a user's own stack files (a CIDR, a pinned account) cannot change this.
                const cwd = process.cwd();
                process.chdir(fixturesDir);
                try {
                    const exported = await pulumi.runtime.runInPulumiStack(async () => ({ ...(await require(path.join(__dirname, "..", "index"))) }));
                    await settle(mocks);
                    return exported;
                } finally {
                    process.chdir(cwd);
                }
            } finally {
                console.warn = consoleWarn;
            }
        });
        expect(Object.keys(outputs ?? {})).to.deep.equal(OUTPUT_NAMES);
        expect(outputs!.clusterName).to.equal("eks-dev");
        expect(outputs!.argocdUrl).to.equal(null);
        expect(warnings).to.deep.equal([]);
    });
});

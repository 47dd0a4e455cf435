import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import * as path from "path";
import { serialized, settle } from "./support/harness";
import { PlatformMocks } from "./support/mocks";
import { projectRoot } from "./support/paths";
import { PROJECT, configWith } from "./support/stack-files";

describe("index.ts (the program Pulumi runs)", () => {
    it("builds the dev stack from Pulumi.dev.yaml and exports every output, without warnings", async () => {
        const warnings: string[] = [];
        const outputs = await serialized(async () => {
            const mocks = new PlatformMocks("us-west-2");
            await pulumi.runtime.setMocks(mocks, PROJECT, "dev", false);
            pulumi.runtime.setAllConfig(configWith("dev"));
            const consoleWarn = console.warn;
            console.warn = (...parts: unknown[]) => warnings.push(parts.join(" "));
            try {
                // index.ts reads the sibling stack files from the working directory, as under `pulumi up`.
                const cwd = process.cwd();
                process.chdir(projectRoot);
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
        expect(Object.keys(outputs ?? {})).to.include.members([
            "vpcId", "privateSubnetIds", "repositoryUrls", "clusterName", "clusterEndpoint", "kubeconfig", "appSecretsKeyArn",
            "argocdUrl", "grafanaUrl", "argocdAdminPassword", "grafanaAdminPassword", "ciDeployRoleArn", "ciPreviewRoleArn", "wafAclArn",
        ]);
        expect(outputs!.clusterName).to.equal("eks-dev");
        expect(outputs!.argocdUrl).to.equal(null);
        expect(warnings).to.deep.equal([]);
    });
});

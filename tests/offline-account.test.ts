import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { buildOffline } from "../scripts/offline-stack";
import { architectureDiagram } from "./support/diagram";
import { ACCOUNT_ID } from "../tooling/offline/mocks";
import { copyStackFiles, editStackFile, removeCopy } from "./support/project-copy";
import { projectRoot } from "../tooling/offline/paths";
import { stackFileConfig } from "../tooling/offline/stack-files";
import { stackFileFailures } from "./support/stack-invariants";
import { stackNames } from "./support/stacks";

/** Every account an ARN in `value` names (AWS-owned ones such as `arn:aws:iam::aws:policy/…` name none). */
function arnAccounts(value: unknown): Set<string> {
    return new Set([...JSON.stringify(value).matchAll(/arn:aws[\w-]*:[\w-]*:[\w-]*:(\d{12}):/g)].map((m) => m[1]));
}

// Issue 19, Why 1: pinning the account (README, Before your first up, step 2) made the offline tools refuse
// the mocks' fixed account. Under the mocks the caller is now the file's pinned account.
describe("offline tools and tests with a pinned account (aws:allowedAccountIds)", () => {
    let dir: string;
    const accounts: Record<string, string> = {};
    before(() => {
        dir = copyStackFiles();
        // One account per environment, as README "Account layout" recommends.
        stackNames(dir).forEach((stack, i) => {
            accounts[stack] = String(210987654321 + i);
            editStackFile(dir, stack, { "aws:allowedAccountIds": [accounts[stack]] });
        });
    });
    after(() => removeCopy(dir));

    it("build every stack as `npm run render` and `npm run cost` do, as the pinned account, and draw its diagram", async () => {
        for (const stack of stackNames(dir)) {
            const graph = await buildOffline({ stack, dir, stackFile: path.join(dir, `Pulumi.${stack}.yaml`) }, () => undefined);
            expect(graph.one("pulumi:providers:aws").inputs.allowedAccountIds, stack).to.deep.equal(JSON.stringify([accounts[stack]]));
            // Besides the caller's, only accounts the file itself names (a full ARN in clusterAdminArns, say).
            const named = arnAccounts(stackFileConfig(stack, dir));
            expect([...arnAccounts(graph.resources.map((r) => r.inputs))].filter((a) => !named.has(a)), stack).to.deep.equal([accounts[stack]]);
            expect(architectureDiagram(graph), stack).to.match(/^flowchart LR\n/);
        }
    });

    it("keep every stack-file check green (cluster-admins given as role/<name> belong to the pinned account)", async () => {
        expect(await stackFileFailures(dir)).to.deep.equal([]);
    });

    it("use the placeholder account the README names for a file that pins none", async () => {
        expect(fs.readFileSync(path.join(projectRoot, "README.md"), "utf8")).to.include(`placeholder account \`${ACCOUNT_ID}\` when it pins none`);
        const unpinned = copyStackFiles();
        try {
            const [stack] = stackNames(unpinned);
            if (stackFileConfig(stack, unpinned)["aws:allowedAccountIds"] !== undefined) editStackFile(unpinned, stack, { "aws:allowedAccountIds": undefined });
            const named = arnAccounts(stackFileConfig(stack, unpinned));
            const graph = await buildOffline({ stack, dir: unpinned, stackFile: path.join(unpinned, `Pulumi.${stack}.yaml`) }, () => undefined);
            expect([...arnAccounts(graph.resources.map((r) => r.inputs))].filter((a) => !named.has(a))).to.deep.equal([ACCOUNT_ID]);
        } finally {
            removeCopy(unpinned);
        }
    });
});

import { expect } from "chai";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { addStackPerRecipe, copyStackFiles, editStackFile, removeCopy, setCiRepository } from "./support/project-copy";
import { stackGraph } from "./support/harness";
import { projectRoot } from "./support/paths";
import { STACK_INVARIANTS, stackFile, stackFileFailures } from "./support/stack-invariants";
import { STACKS_SCRIPT, stackNames } from "./support/stacks";

/** Edits a user makes to the stack files; each must leave every stack-file check green. */
const EDITS: Record<string, (dir: string) => void> = {
    "every stack moved to eu-west-1": (dir) => stackNames(dir).forEach((s) => editStackFile(dir, s, { "aws:region": "eu-west-1" })),
    "GitOps repository and CI repository of another org": (dir) =>
        stackNames(dir).forEach((s) => {
            editStackFile(dir, s, { gitopsRepoUrl: "https://github.com/acme-corp/gitops.git" });
            setCiRepository(dir, s, "acme-corp/eks-platform");
        }),
    "dev's public endpoint limited to 203.0.113.0/24": (dir) => editStackFile(dir, "dev", { endpointPublicAccess: true, publicAccessCidrs: ["203.0.113.0/24"] }),
    "prod's admin role renamed": (dir) => editStackFile(dir, "prod", { clusterAdminArns: ["role/acme-platform-admins"] }),
    "a staging stack added per README \"Adding a stack\"": (dir) => addStackPerRecipe(dir, "staging", "10.2.0.0/16"),
};

describe("stack-file checks survive a user's own config", () => {
    const dirs: string[] = [];
    const copy = () => {
        const dir = copyStackFiles();
        dirs.push(dir);
        return dir;
    };
    after(() => dirs.forEach(removeCopy));

    for (const [title, edit] of Object.entries(EDITS)) {
        it(`stay green with ${title}`, async () => {
            const dir = copy();
            edit(dir);
            expect(await stackFileFailures(dir)).to.deep.equal([]);
        });
    }

    it("stay green with all of those edits at once", async () => {
        const dir = copy();
        for (const edit of Object.values(EDITS)) edit(dir);
        expect(stackNames(dir)).to.include("staging");
        expect(await stackFileFailures(dir)).to.deep.equal([]);
    });

    it("a stack added per the recipe is previewed by CI with no workflow edit: it is in the matrix, keyed STAGING", () => {
        const dir = copy();
        addStackPerRecipe(dir, "staging", "10.2.0.0/16");
        const run = spawnSync(process.execPath, [STACKS_SCRIPT, "--matrix"], { encoding: "utf8", env: { ...process.env, STACKS_DIR: dir } });
        expect(run.status, run.stderr).to.equal(0);
        expect(JSON.parse(run.stdout).include).to.deep.include({ stack: "staging", key: "STAGING" });
    });

    it("refuses a stack file CI could not use: a .yml spelling, a name with capitals", () => {
        for (const file of ["Pulumi.staging.yml", "Pulumi.Staging.yaml"]) {
            const dir = copy();
            fs.copyFileSync(path.join(dir, "Pulumi.dev.yaml"), path.join(dir, file));
            expect(() => stackNames(dir), file).to.throw(file);
            const run = spawnSync(process.execPath, [STACKS_SCRIPT], { encoding: "utf8", env: { ...process.env, STACKS_DIR: dir } });
            expect(run.status, file).to.equal(1);
            expect(run.stderr, file).to.include(file);
        }
    });

    it("would notice a graph that does not follow its file: prod's graph judged by dev's values", async () => {
        const failed: string[] = [];
        for (const inv of STACK_INVARIANTS) {
            try {
                await inv.check(await stackGraph("prod", projectRoot), stackFile("dev", projectRoot));
            } catch {
                failed.push(inv.name);
            }
        }
        expect(failed).to.include.members(STACK_INVARIANTS.filter((i) => /VPC|protects|names the cluster|API endpoint/.test(i.name)).map((i) => i.name));
    });

    it("would go red on a broken edit: an overlapping CIDR, a value the config rejects", async () => {
        const overlapping = copy();
        addStackPerRecipe(overlapping, "staging", "10.0.128.0/17");
        const failures = await stackFileFailures(overlapping);
        expect(failures.join("\n")).to.match(/overlapping|vpcCidr/);
        const invalid = copy();
        editStackFile(invalid, "prod", { natStrategy: "sometimes" });
        expect((await stackFileFailures(invalid)).join("\n")).to.match(/prod: does not build: [^]*natStrategy[^]*sometimes/);
    });
});

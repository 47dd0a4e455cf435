import { expect } from "chai";
import { spawnSync } from "child_process";
import * as path from "path";
import { StackGraph, stackGraph } from "../tooling/offline/harness";
import { projectRoot } from "../tooling/offline/paths";
import { PROJECT_INVARIANTS, STACK_INVARIANTS, StackFile, stackFile } from "./support/stack-invariants";
import { STACKS_SCRIPT, stackKey, stackNames } from "./support/stacks";
import { beforeBuilding } from "./support/build-hook";

// The project's own stack files, whatever they hold: every check compares the graph with the file's
// values, so these stay green when a user edits a value or adds a stack.
const stacks = stackNames(projectRoot);

describe("stack files of the project", () => {
    for (const p of PROJECT_INVARIANTS) it(p.name, () => p.check(projectRoot, stacks));

    it("are the stacks CI previews and Jenkins walks: the list .github/scripts/stacks.js prints", () => {
        const run = (...args: string[]) => spawnSync(process.execPath, [STACKS_SCRIPT, ...args], { encoding: "utf8" });
        expect(JSON.parse(run().stdout)).to.deep.equal(stacks);
        expect(run("--lines").stdout.trim().split("\n")).to.deep.equal(stacks);
        expect(JSON.parse(run("--matrix").stdout)).to.deep.equal({ include: stacks.map((stack) => ({ stack, key: stackKey(stack) })) });
        for (const stack of stacks) expect(run("--key", stack).stdout.trim()).to.equal(stackKey(stack));
        expect(run("--key", "no-such-stack").status).to.not.equal(0);
        expect(run("--bogus").status).to.not.equal(0);
    });

    it("each give CI a region to assume its role in", () => {
        const script = path.join(projectRoot, ".github", "scripts", "stack-region.js");
        for (const stack of stacks) {
            const run = spawnSync(process.execPath, [script, stack], { encoding: "utf8" });
            expect(run.status, run.stderr).to.equal(0);
            expect(run.stdout.trim()).to.equal(stackFile(stack, projectRoot).get("aws:region"));
        }
    });

    for (const stack of stacks) {
        describe(`Pulumi.${stack}.yaml`, () => {
            let graph: StackGraph;
            let file: StackFile;
            beforeBuilding(async () => {
                graph = await stackGraph(stack, projectRoot);
                file = stackFile(stack, projectRoot);
            });
            for (const inv of STACK_INVARIANTS) it(inv.name, () => inv.check(graph, file));
        });
    }
});

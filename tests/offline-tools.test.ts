import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { PreflightError } from "../stacks/preflight";
import { programWarnings } from "../scripts/offline-stack";
import { buildStack } from "../tooling/offline/harness";
import { projectRoot } from "../tooling/offline/paths";
import { importedPaths, sourcesUnder } from "./support/source-imports";

describe("offline commands", () => {
    it("keep the warnings a failed build gave, so render and cost can repeat them with the error", async () => {
        let caught: (Error & { warnings?: string[] }) | undefined;
        try {
            // eu-central-1 has three zones under the mocks: four fail in the preflight, after its warnings.
            await buildStack("prod", { "aws:region": "eu-central-1", azCount: 4 });
        } catch (err) {
            caught = err as Error & { warnings?: string[] };
        }
        expect(caught).to.be.instanceOf(PreflightError);
        const warnings = programWarnings(caught!.warnings ?? []);
        expect(warnings.some((w) => w.startsWith("production stack deploys into account"))).to.equal(true);
        expect(warnings.some((w) => w.startsWith("prod: no alert reaches anyone"))).to.equal(true);
    });

    it("are product code: scripts/ and tooling/ import nothing from tests/", () => {
        const files = [...sourcesUnder("scripts"), ...sourcesUnder("tooling")];
        expect(files.map((f) => path.relative(projectRoot, f))).to.include.members(["scripts/render.ts", "scripts/cost.ts", "scripts/offline-stack.ts", "tooling/offline/harness.ts"]);
        const intoTests = files.flatMap((f) => importedPaths(f).filter((p) => p.split(path.sep)[0] === "tests").map((p) => `${path.relative(projectRoot, f)} → ${p}`));
        expect(intoTests).to.deep.equal([]);
    });

    it("draw the diagram from one transpile and one stack build: no type-check, no other test file", () => {
        const script = JSON.parse(fs.readFileSync(path.join(projectRoot, "package.json"), "utf8")).scripts.diagram as string;
        expect(script).to.match(/^node tests\/run\.js --build-only && /).and.not.include("tsc");
        expect(script.match(/\.build\/tests\/[\w/.-]+\.js/g)).to.deep.equal([".build/tests/diagram.test.js"]);
        // Its mocha timeout is the budget for the one build; `npm run diagram` measured 10 s on a loaded 2-core machine.
        expect(Number(/--timeout (\d+)/.exec(script)?.[1])).to.be.at.most(20_000);
    });
});

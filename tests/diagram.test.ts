import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { architectureDiagram } from "./support/diagram";
import { stackGraph } from "./support/harness";
import { projectRoot } from "./support/paths";

describe("architecture diagram", () => {
    it("in the README is the one generated from the dev stack's resource graph (`npm run diagram`)", async () => {
        const generated = architectureDiagram(await stackGraph("dev"));
        if (process.env.PRINT_DIAGRAM === "1") console.log(generated);
        const readme = fs.readFileSync(path.join(projectRoot, "README.md"), "utf8");
        const block = /```mermaid\n([\s\S]*?)\n```/.exec(readme)?.[1];
        expect(block, "README has a ```mermaid block").to.be.a("string");
        expect(block).to.equal(generated);
    });
});

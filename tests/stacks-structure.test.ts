import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { projectRoot } from "../tooling/offline/paths";
import { importGraph, importLevels } from "./support/source-imports";

/** A reader follows a parameter through stacks/ one import at a time: the chain stays short and never loops. */
describe("stacks/ structure", () => {
    const graph = importGraph("stacks");

    it("has no import cycle (type-only imports count)", () => {
        expect(graph.size).to.be.greaterThan(20);
        expect(importLevels(graph).cycles.map((cycle) => cycle.join(" → "))).to.deep.equal([]);
    });

    it("is at most 8 import levels deep (12 before the config was split by area)", () => {
        expect(importLevels(graph).levels).to.be.within(3, 8);
    });

    it("has no file over 300 lines", () => {
        const long = [...graph.keys()]
            .map((file) => ({ file, lines: fs.readFileSync(path.join(projectRoot, file), "utf8").split("\n").length - 1 }))
            .filter((f) => f.lines > 300);
        expect(long).to.deep.equal([]);
    });
});

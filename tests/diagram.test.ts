import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { DIAGRAM_STACK, architectureDiagram } from "./support/diagram";
import { StackGraph, stackGraph } from "../tooling/offline/harness";
import { projectRoot } from "../tooling/offline/paths";
import { stackNames } from "./support/stacks";
import { fixturesDir } from "../tooling/offline/stack-files";

const readme = fs.readFileSync(path.join(projectRoot, "README.md"), "utf8");
const architecture = /## Architecture\n([\s\S]*?)```mermaid/.exec(readme)?.[1].replace(/\s+/g, " ") ?? "";
/** The program's own component types in a graph (`eks-platform:<area>:<Type>` → Type). */
const components = (g: StackGraph) => new Set(g.resources.filter((r) => r.type.startsWith("eks-platform:") && r.type !== "eks-platform:policy:Waivers").map((r) => r.type.split(":").pop()!));

describe("architecture diagram", () => {
    it("in the README is the one generated from the dev fixture's resource graph (`npm run diagram`)", async () => {
        const generated = architectureDiagram(await stackGraph(DIAGRAM_STACK));
        if (process.env.PRINT_DIAGRAM === "1") console.log(generated);
        const block = /```mermaid\n([\s\S]*?)\n```/.exec(readme)?.[1];
        expect(block, "README has a ```mermaid block").to.be.a("string");
        expect(block).to.equal(generated);
    });

    // Issue 19, Why 10: the README called it the dev stack's (the shipped one has no external-dns) and said prod
    // had the same shape (it adds Velero).
    it("is said in the README to be of that fixture, with the components the other fixtures add named", async () => {
        expect(architecture).to.include(`The component tree of the ${DIAGRAM_STACK} test fixture (\`tests/fixtures/Pulumi.${DIAGRAM_STACK}.yaml\``);
        const shown = components(await stackGraph(DIAGRAM_STACK));
        for (const stack of stackNames(fixturesDir).filter((s) => s !== DIAGRAM_STACK)) {
            const added = [...components(await stackGraph(stack))].filter((c) => !shown.has(c));
            const sentence = new RegExp(`The ${stack} fixture's tree adds ([^.;]*)`).exec(architecture)?.[1] ?? "";
            expect([...sentence.matchAll(/`(\w+)`/g)].map((m) => m[1]), `README: "The ${stack} fixture's tree adds …"`).to.have.members(added);
        }
    });
});

import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { JENKINSFILE, readWorkflow, stepsOf, workflowFiles } from "./support/ci-access-workflows";
import { projectRoot } from "./support/paths";

const read = (file: string) => fs.readFileSync(path.join(projectRoot, file), "utf8");

describe("Node.js 22 everywhere", () => {
    it("pins 22 in .nvmrc and requires it in package.json, its types and the test transpile", () => {
        expect(read(".nvmrc").trim()).to.match(/^22\.\d+\.\d+$/);
        const pkg = JSON.parse(read("package.json"));
        expect(pkg.engines).to.deep.equal({ node: ">=22" });
        expect(pkg.devDependencies["@types/node"]).to.match(/^22\./);
        expect(read("tests/run.js")).to.include('target: "node22"');
    });

    it("sets up Node in every workflow job from .nvmrc, never from a version of its own", () => {
        let jobs = 0;
        for (const file of workflowFiles()) {
            const w = readWorkflow(file);
            expect(w.text, file).to.not.match(/node-version:/);
            for (const [id, job] of Object.entries<any>(w.doc.jobs)) {
                if (!job.steps) continue;
                jobs++;
                const setup = stepsOf(job).find((s) => s.uses?.startsWith("actions/setup-node@"));
                expect(setup?.with?.["node-version-file"], `${file} ${id}`).to.equal(".nvmrc");
            }
        }
        expect(jobs).to.be.at.least(4);
    });

    it("asks for Node.js 22 in the Jenkins agent and the README prerequisites, and nowhere for 20", () => {
        const prerequisites = /## Prerequisites\n([\s\S]*?)\n## /.exec(read("README.md"))?.[1] ?? "";
        expect(prerequisites).to.match(/Node\.js 22\b/);
        expect(fs.readFileSync(JENKINSFILE, "utf8")).to.match(/Node\.js 22\b/);
        for (const text of [read("README.md"), fs.readFileSync(JENKINSFILE, "utf8")]) expect(text).to.not.match(/Node(\.js)? 20\b/);
    });
});

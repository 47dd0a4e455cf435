import { expect } from "chai";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { JENKINSFILE, readWorkflow, stepsOf, workflowFiles } from "./support/ci-access-workflows";
import { projectRoot } from "../tooling/offline/paths";

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

    // Issue 19, Why 5: on Node 20, `npm ci` only warned and `npm test` died with `fs.globSync is not a function`.
    describe("an older Node stops at once with the fix, before anything else runs", () => {
        const message = (found: string) => `Node 22 or newer is needed (found ${found}); \`nvm use\` reads .nvmrc\n`;
        // Node as reported by an older release: the check reads process.versions.node.
        const preload = path.join(os.tmpdir(), "eks-platform-node-20.js");
        before(() => fs.writeFileSync(preload, "Object.defineProperty(process.versions, 'node', { value: '20.18.1' });\n"));
        after(() => fs.rmSync(preload, { force: true }));
        const asNode20 = (...args: string[]) => spawnSync(process.execPath, ["--require", preload, ...args], { cwd: projectRoot, encoding: "utf8" });

        it("in `npm test` (tests/run.js) and the check the npm scripts start with", () => {
            for (const script of ["tests/run.js", "scripts/node-version.js"]) {
                const run = asNode20(script, "--build-only");
                expect(run.status, script).to.equal(1);
                expect(run.stderr, script).to.equal(message("20.18.1"));
                expect(run.stdout, script).to.equal("");
            }
        });

        it("first in tests/run.js and in every npm script", () => {
            // The first module tests/run.js loads is the check (esbuild, fs.globSync and the rest come after it).
            expect(/require\("([^"]+)"\)/.exec(read("tests/run.js"))?.[1]).to.equal("../scripts/node-version");
            for (const [name, command] of Object.entries<string>(JSON.parse(read("package.json")).scripts)) {
                if (name === "build") continue;
                expect(command, name).to.match(/^node (tests\/run\.js\b|scripts\/node-version\.js && )/);
            }
        });

        it("with a real older Node where the machine has one (e.g. /usr/bin/node), from a check it can parse", function () {
            const old = [process.env.EKS_PLATFORM_OLD_NODE, "/usr/bin/node", "/usr/local/bin/node"].find((n) => n && fs.existsSync(n) && n !== process.execPath);
            const version = old ? spawnSync(old, ["-p", "process.versions.node"], { encoding: "utf8" }).stdout.trim() : "";
            if (!old || Number(version.split(".")[0]) >= 22) {
                console.log("  (no Node older than 22 on this machine: the check ran under a reported version above)");
                return this.skip();
            }
            const run = spawnSync(old, ["tests/run.js"], { cwd: projectRoot, encoding: "utf8" });
            expect([run.status, run.stderr], `${old} tests/run.js`).to.deep.equal([1, message(version)]);
        });
    });
});

import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { CODE_FOLDERS, buildInputs, codeDigest, codeRoot, keepable, restoredOutputs } from "../tooling/offline/graph-cache";
import { buildFresh } from "../tooling/offline/harness";
import { helmTemplate } from "../tooling/offline/helm";
import { RecordedResource } from "../tooling/offline/mocks";
import { projectRoot } from "../tooling/offline/paths";
import { parseManifests, releaseSpecs, renderStack } from "../tooling/offline/render";
import { basicScopes } from "../tooling/offline/schemas";
import { fixturesDir } from "../tooling/offline/stack-files";
import { requireReference } from "./support/reference";
import { ResultTable, cachedResult, cachedWithSources, resultsDir } from "../tooling/offline/result-cache";
import { GITOPS_DIR } from "./support/templates";
import { useStacks } from "./support/use-stacks";

/** Resources as text, but the clock: the Argo CD password's creation time (tests/render/wiring.test.ts). */
const stable = (rs: RecordedResource[]) => rs.map((r) => JSON.stringify([r.type, r.name, r.inputs, r.opts, r.engine]).replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ/g, "<time>"));

/** A key no earlier run has used: every test here starts from a miss. */
const fresh = () => `${process.pid}-${Date.now()}-${Math.random()}`;

// Issue 23: `npm test` keeps the results of deterministic steps (Helm renders, IAM decisions, the recipes'
// type-check) between runs. A cached result must never outlive a change to anything it was computed from.
describe("the result cache (tooling/offline/result-cache.ts)", () => {
    const dirs: string[] = [];
    after(() => dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
    const scratch = () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "eks-platform-cache-"));
        dirs.push(dir);
        return dir;
    };

    it("computes a result once per inputs, in this process and the next, and again for other inputs", async () => {
        const nonce = fresh();
        let computed = 0;
        const compute = async () => ++computed;
        expect(await cachedResult("test", { nonce, n: 1 }, compute)).to.equal(1);
        expect(await cachedResult("test", { nonce, n: 1 }, compute)).to.equal(1);
        expect(await cachedResult("test", { nonce, n: 2 }, compute)).to.equal(2);
        // Two callers at once: one computes, the other waits for it.
        const [a, b] = await Promise.all([cachedResult("test", { nonce, n: 3 }, compute), cachedResult("test", { nonce, n: 3 }, compute)]);
        expect([a, b, computed]).to.deep.equal([3, 3, 3]);
        fs.rmSync(path.join(resultsDir, "test"), { recursive: true, force: true });
    });

    it("renders a chart again when one of its files changes, and keeps a render when nothing did", async () => {
        const chart = path.join(scratch(), "myapp");
        fs.cpSync(path.join(GITOPS_DIR, "envs", "dev", "myapp"), chart, { recursive: true });
        const args = { releaseName: `cache-${process.pid}`, namespace: "dev", chartDir: chart, values: { nonce: fresh() }, kubeVersion: "1.35.0", includeCrds: false };
        const before = await helmTemplate(args);
        expect(await helmTemplate(args)).to.equal(before);
        const service = path.join(chart, "charts", "service", "templates", "service.yaml");
        fs.writeFileSync(service, fs.readFileSync(service, "utf8").replace(/^kind: Service$/m, "kind: Service\n# edited-after-render"));
        const after = await helmTemplate(args);
        expect(after).to.include("# edited-after-render");
        expect(before).to.not.include("# edited-after-render");
    });

    it("keeps table results per code: a change to the module that computes them starts a new table", async () => {
        const dir = scratch();
        const code = path.join(dir, "engine.js");
        fs.writeFileSync(code, `// ${fresh()}\n`);
        const documents = [{ Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: "*" }] }];
        const answers: string[] = [];
        const ask = (table: ResultTable<string>, answer: string) => table.answer(documents, { action: "s3:GetObject" }, async () => (answers.push(answer), answer));
        const first = new ResultTable<string>("test-table", [code]);
        expect(await ask(first, "first")).to.equal("first");
        first.flush();
        expect(await ask(new ResultTable<string>("test-table", [code]), "second"), "another process reads the first one's table").to.equal("first");
        fs.appendFileSync(code, "// changed\n");
        expect(await ask(new ResultTable<string>("test-table", [code]), "third")).to.equal("third");
        expect(answers).to.deep.equal(["first", "third"]);
        fs.rmSync(path.join(resultsDir, "test-table"), { recursive: true, force: true });
    });

    it("reuses a step that read files only while every one of them is unchanged", () => {
        const dir = scratch();
        const source = path.join(dir, "a.ts");
        fs.writeFileSync(source, "one");
        const inputs = { nonce: fresh() };
        const step = () => cachedWithSources("test-sources", inputs, dir, () => ({ value: fs.readFileSync(source, "utf8"), sources: [source] }));
        expect(step()).to.equal("one");
        fs.writeFileSync(source, "two");
        expect(step()).to.equal("two");
        fs.rmSync(path.join(resultsDir, "test-sources"), { recursive: true, force: true });
    });

    describe("needs builds that do not depend on what the process built before", () => {
        const stacks = useStacks();
        // The generated ids, ARNs and endpoints (mocks) are numbered per build: the same stack file gives the
        // same graph, so the renders and IAM decisions keyed by it are found again in the next run.
        it("the dev fixture built again, after other builds, has the same resources", async () => {
            await buildFresh("prod");
            const again = await buildFresh("dev");
            expect(stable(again.resources)).to.deep.equal(stable(stacks.dev.resources));
        });
    });

    // tooling/offline/graph-cache.ts: a stack build is read back instead of run while none of its inputs changed.
    describe("keeps stack builds", () => {
        const stacks = useStacks();

        it("under a key that changes with any component, stack or tooling module, stack file, sibling stack file, override or lock file", () => {
            // A copy of the running code with the same content has the same digest: the key is the content.
            const root = scratch();
            for (const folder of CODE_FOLDERS) fs.cpSync(path.join(codeRoot, folder), path.join(root, folder), { recursive: true });
            expect(codeDigest(root)).to.equal(codeDigest());
            const key = (dir: string, overrides: Record<string, unknown> = {}, code = codeDigest()) => JSON.stringify(buildInputs("dev", overrides, [], dir, code));
            const original = key(fixturesDir);
            const edits: [string, string][] = [
                ["a component", path.join("components", "cluster", "index.js")],
                ["a stacks module", path.join("stacks", "program.js")],
                ["the mocks", path.join("tooling", "offline", "mocks.js")],
            ];
            for (const [what, file] of edits) {
                const edited = path.join(root, fs.existsSync(path.join(codeRoot, file)) ? file : file.replace(/\.js$/, ".ts"));
                const before = fs.readFileSync(edited);
                fs.appendFileSync(edited, "\n// edited\n");
                expect(key(fixturesDir, {}, codeDigest(root)), `${what} edited`).to.not.equal(original);
                fs.writeFileSync(edited, before);
            }
            expect(key(fixturesDir, {}, codeDigest(root)), "the edits undone").to.equal(original);

            const project = scratch();
            fs.writeFileSync(path.join(project, "package-lock.json"), `${fs.readFileSync(path.join(projectRoot, "package-lock.json"), "utf8")} `);
            expect(codeDigest(codeRoot, project), "another lock file").to.not.equal(codeDigest());

            const files = scratch();
            for (const f of fs.readdirSync(fixturesDir).filter((f) => f.startsWith("Pulumi."))) fs.copyFileSync(path.join(fixturesDir, f), path.join(files, f));
            expect(key(files), "a copy of the fixtures").to.equal(original);
            fs.appendFileSync(path.join(files, "Pulumi.dev.yaml"), "# edited\n");
            expect(key(files), "the stack file edited").to.not.equal(original);
            fs.copyFileSync(path.join(fixturesDir, "Pulumi.dev.yaml"), path.join(files, "Pulumi.dev.yaml"));
            fs.appendFileSync(path.join(files, "Pulumi.prod.yaml"), "# edited\n");
            expect(key(files), "a sibling stack file edited (the CIDR and registry checks read it)").to.not.equal(original);
            fs.rmSync(path.join(files, "Pulumi.prod.yaml"));
            const withoutProd = key(files);
            expect(withoutProd, "a sibling stack file removed").to.not.equal(original);
            fs.writeFileSync(path.join(files, "Pulumi.yaml"), "name: eks-platform\n");
            expect(key(files), "a Pulumi.yaml added (its defaults apply)").to.not.equal(withoutProd);

            expect(key(fixturesDir, { azCount: 3 })).to.not.equal(original);
            expect(key(fixturesDir, { azCount: undefined }), "an override removing a key").to.not.equal(original);
            expect(JSON.stringify(buildInputs("dev", {}, ["azCount"], fixturesDir)), "a secret key").to.not.equal(original);
        });

        it("and reads one back as it was built: resources, outputs, warnings, and each output as secret as the program made it", async () => {
            const built = await buildFresh("dev");
            const kept = await keepable(built);
            expect(kept, "the dev graph survives JSON exactly").to.not.equal(null);
            const read = JSON.parse(JSON.stringify(kept)) as NonNullable<typeof kept>;
            expect(stable(read.resources)).to.deep.equal(stable(built.resources));
            expect(read.warnings).to.deep.equal(built.warnings);
            const restored = restoredOutputs(read);
            expect(Object.keys(restored)).to.deep.equal(Object.keys(built.rawOutputs));
            const secret = (v: unknown) => pulumi.isSecret(pulumi.output(v));
            const resolved = (v: unknown) => new Promise((resolve) => (pulumi.output(v) as pulumi.Output<unknown>).apply(resolve));
            for (const [name, value] of Object.entries(built.rawOutputs)) {
                expect(await secret(restored[name]), `${name} secret`).to.equal(await secret(value));
                expect(pulumi.Output.isInstance(restored[name]), `${name} an Output`).to.equal(pulumi.Output.isInstance(value));
                expect(await resolved(restored[name]), name).to.deep.equal(await resolved(value));
            }
            expect(await secret(restored.kubeconfig), "the kubeconfig stays a secret").to.equal(true);
            // And the suite's own dev graph (read from the cache or built) is that graph.
            expect(stable(stacks.dev.resources)).to.deep.equal(stable(built.resources));
        });
    });

    // scripts/type-check.js skips tsc only after a clean check on the same inputs: a first run (no build info,
    // no stamp) must check, and so must a run after any file the last check read changed.
    it("lets the type-check skip only a check that was clean on exactly these inputs", () => {
        const typeCheck = require(path.join(projectRoot, "scripts", "type-check.js")) as {
            upToDate(dir: string, project?: string): boolean;
            recordClean(dir: string, project: string): void;
        };
        const dir = scratch();
        expect(typeCheck.upToDate(dir, "project"), "nothing checked yet").to.equal(false);
        const declaration = path.join(dir, "lib.d.ts");
        fs.writeFileSync(declaration, "declare const a: number;\n");
        fs.writeFileSync(path.join(dir, "tsconfig.tsbuildinfo"), JSON.stringify({ version: "5.9.3", fileNames: ["lib.d.ts"] }));
        expect(typeCheck.upToDate(dir, "project"), "a build info, but no clean check").to.equal(false);
        typeCheck.recordClean(dir, "project");
        expect(typeCheck.upToDate(dir, "project")).to.equal(true);
        expect(typeCheck.upToDate(dir, "project edited"), "a project file changed").to.equal(false);
        fs.appendFileSync(declaration, "declare const b: string;\n");
        expect(typeCheck.upToDate(dir, "project"), "a declaration file it read changed").to.equal(false);
    });

    describe("keeps renders parsed", () => {
        const stacks = useStacks();
        // tooling/offline/render.ts keeps a render's objects (JSON) beside its YAML, under the render's key and the parser's code.
        it("and the objects read back are the parse of the YAML kept with them", async function () {
            requireReference(this);
            const scopes = basicScopes();
            const [first] = releaseSpecs(stacks.dev);
            const { releases } = await renderStack(stacks.dev, scopes, { include: (spec) => spec.resourceName === first.resourceName });
            expect(releases.map((r) => r.resourceName)).to.deep.equal([first.resourceName]);
            expect(releases[0].manifests).to.not.be.empty;
            expect(releases[0].manifests).to.deep.equal(parseManifests(releases[0].yaml, releases[0].namespace, scopes.clusterScoped));
        });
    });

    // scripts/test-order.js: the workers take files in the order given, so the longest go first.
    it("hands mocha the test files longest first by their slowest recent times, files not timed yet before them", () => {
        const order = require(path.join(projectRoot, "scripts", "test-order.js")) as {
            orderFiles(files: string[], times: Record<string, number>): string[];
            recordTimes(dir: string): void;
            readTimes(dir: string): Record<string, number>;
        };
        const times = { "b.test.js": 300, "c.test.js": 5000, "d.test.js": 300 };
        expect(order.orderFiles(["d.test.js", "a.test.js", "b.test.js", "c.test.js", "e.test.js"], times)).to.deep.equal(["a.test.js", "e.test.js", "c.test.js", "b.test.js", "d.test.js"]);
        // Each worker appends its files' times; after the run a slower time replaces the weight, a faster one only
        // takes a quarter off it (a file slow after an edit stays early for the next runs), and files gone are dropped.
        const dir = scratch();
        const [retimed, faster, gone, alsoGone] = ["tests/run.js", "tsconfig.json", ".build/tests/no-such.test.js", ".build/tests/nor-this.test.js"];
        fs.writeFileSync(path.join(dir, "last-run.json"), JSON.stringify({ "package.json": 7, [retimed]: 1, [faster]: 20000, [gone]: 9 }));
        fs.writeFileSync(path.join(dir, "worker-1.jsonl"), `${JSON.stringify({ file: retimed, ms: 1200 })}\n${JSON.stringify({ file: faster, ms: 600 })}\n`);
        fs.writeFileSync(path.join(dir, "worker-2.jsonl"), `${JSON.stringify({ file: "README.md", ms: 40 })}\n${JSON.stringify({ file: alsoGone, ms: 3 })}\n`);
        order.recordTimes(dir);
        expect(order.readTimes(dir)).to.deep.equal({ "package.json": 7, [retimed]: 1200, [faster]: 15000, "README.md": 40 });
        expect(fs.readdirSync(dir)).to.deep.equal(["last-run.json"]);
        expect(fs.readFileSync(path.join(projectRoot, "tests", "run.js"), "utf8")).to.include("testOrder.orderFiles(").and.include("testOrder.recordTimes()").and.include('"--require", timer');
    });

    it("is where the README says, and `npm test` prunes it", () => {
        const readme = fs.readFileSync(path.join(projectRoot, "README.md"), "utf8");
        expect(readme).to.include("rm -rf node_modules/.cache/eks-platform/results node_modules/.cache/eks-platform/tsc").and.include("EKS_PLATFORM_CACHE=off");
        expect(path.relative(projectRoot, resultsDir)).to.equal(path.join("node_modules", ".cache", "eks-platform", "results"));
        expect(fs.readFileSync(path.join(projectRoot, "tests", "run.js"), "utf8")).to.include("pruneResults()");
    });
});

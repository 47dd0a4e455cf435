import { expect } from "chai";
import { spawnSync } from "child_process";
import * as esbuild from "esbuild";
import * as fs from "fs";
import * as path from "path";
import { projectRoot } from "../tooling/offline/paths";
import { applyRecipe, contributorRecipes, copyDigest, copyProject, shareDeclarations, typeErrors } from "./support/contributor-recipes";
import { cachedResult, digest } from "../tooling/offline/result-cache";
import { removeCopy } from "./support/project-copy";
import { misplaced } from "./support/test-placement";
import { BUILD_HOOK_TIMEOUT_MS } from "./support/build-hook";

/** The contributor recipes in README order: Adding an add-on, Adding a policy rule, Adding a key. */
const RECIPES = ["add-on", "policy rule", "key"];

/** scripts/type-check.js (plain Node, run from the project, not from .build). */
const projectCheck = require(path.join(projectRoot, "scripts", "type-check.js")) as {
    checkNow(): { code: number; output: string; skipped: boolean; program?: import("typescript").Program };
};

// `npm test`'s type-check runs here, first, so that the recipe copies' checks below reuse the declarations it
// parsed (most of a check's cost) instead of parsing them again in another process.
describe("The project's type-check (tsc --noEmit over tsconfig.json, strict; incremental, skipped when nothing changed)", () => {
    it("finds no type error in the project", function () {
        this.timeout(BUILD_HOOK_TIMEOUT_MS);
        const checked = projectCheck.checkNow();
        shareDeclarations(checked.program);
        expect(checked.output, "tsc --noEmit").to.equal("");
        expect(checked.code).to.equal(0);
    });
});
after(() => shareDeclarations(undefined));

// Issue 21: the add-on and key recipes named files the code had left. The README's `recipe:` blocks are
// applied here to a scratch copy of the project, which must then type-check and pass the recipes' tests.
describe("README's contributor recipes, applied to a scratch copy", () => {
    const readme = fs.readFileSync(path.join(projectRoot, "README.md"), "utf8");
    const recipes = contributorRecipes(readme);
    let dir: string;
    const touched = new Map<string, Set<string>>();
    before(() => {
        dir = copyProject();
        for (const recipe of recipes) {
            const group = recipe.name.split(":")[0];
            touched.set(group, (touched.get(group) ?? new Set()).add(applyRecipe(dir, recipe)));
        }
    });
    after(() => removeCopy(dir));

    it("are the add-on, policy-rule and key recipes, in that order", () => {
        expect([...new Set(recipes.map((r) => r.name.split(":")[0]))]).to.deep.equal(RECIPES);
    });

    it("leave a copy that type-checks", function () {
        // A type-check of what the recipes touched reads the AWS provider's declarations: seconds of CPU, more
        // than mocha's default limit on a loaded 2-core machine (the cache makes a repeat run instant).
        this.timeout(BUILD_HOOK_TIMEOUT_MS);
        const files = [...touched.values()].flatMap((s) => [...s]);
        expect(typeErrors(dir, files)).to.deep.equal([]);
    });

    it("add a boolean key by editing the area's config file and the component that uses it, nothing else", () => {
        expect([...touched.get("key")!].sort()).to.deep.equal(["components/cluster/cert-manager/index.ts", "stacks/config/addons.ts"]);
    });

    it("add tests where the placement rule says, and they pass in the copy", async function () {
        this.timeout(BUILD_HOOK_TIMEOUT_MS);
        const tests = [...touched.values()].flatMap((s) => [...s]).filter((f) => f.endsWith(".test.ts"));
        expect(tests).to.deep.equal(["tests/cert-manager.test.ts", "tests/policy/sns.test.ts"]);
        expect(tests.map(misplaced)).to.deep.equal([undefined, undefined]);
        // A passing run is kept in the result cache under everything it can read: the copy's files, the
        // installed packages and Node's version; any change runs the tests again.
        const sources = ["components", "stacks", "policy", "tooling", "tests"].flatMap((d) => tsFiles(path.join(dir, d)));
        const inputs = { node: process.version, packages: digest(fs.readFileSync(path.join(projectRoot, "package-lock.json"))), files: copyDigest(dir), tests };
        const stdout = await cachedResult("recipe-tests", inputs, async () => {
            esbuild.buildSync({ entryPoints: sources, outdir: path.join(dir, ".build"), outbase: dir, format: "cjs", platform: "node", target: "node22", logLevel: "error" });
            const specs = tests.map((t) => path.join(".build", t.replace(/\.ts$/, ".js")));
            const run = spawnSync(process.execPath, [path.join(dir, "node_modules", ".bin", "mocha"), "--no-config", "--timeout", "60000", "--exit", ...specs], { cwd: dir, encoding: "utf8" });
            if (run.status !== 0) throw new Error(`the recipes' tests fail in the copy (exit ${run.status}):\n${run.stdout}${run.stderr}`);
            return run.stdout;
        });
        expect(stdout).to.include(`${tests.length} passing`);
    });

    it("fail on a step the code no longer fits: an anchor line gone, a file already there, a type error", () => {
        const scratch = copyProject();
        try {
            const [pin, component] = ["add-on: chart pin", "add-on: component"].map((name) => recipes.find((r) => r.name === name)!);
            expect(() => applyRecipe(scratch, { ...pin, body: pin.body.replace("metricsServer:", "metricServer:") })).to.throw(/0 lines containing "metricServer/);
            applyRecipe(scratch, component);
            expect(() => applyRecipe(scratch, component)).to.throw(/already exists/);
            expect(typeErrors(scratch, [applyRecipe(scratch, { name: "bad", lang: "ts", body: '// tests/bad.ts\nexport const n: number = "one";' })]).join("\n")).to.match(/tests\/bad\.ts:1: Type 'string' is not assignable/);
        } finally {
            removeCopy(scratch);
        }
    });
});

function tsFiles(dir: string): string[] {
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? tsFiles(path.join(dir, e.name)) : e.name.endsWith(".ts") ? [path.join(dir, e.name)] : []));
}

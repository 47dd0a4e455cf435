import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";
import { BUILDERS, BUILD_HOOK_TIMEOUT_MS } from "./support/build-hook";
import { projectRoot } from "../tooling/offline/paths";

const TEST_DIRS = ["tests", path.join("templates", "service", "test")];
const HOOKS = new Set(["before", "beforeEach", "after", "afterEach"]);

function sources(dir: string): string[] {
    return fs.readdirSync(path.join(projectRoot, dir), { withFileTypes: true }).flatMap((e) =>
        e.isDirectory() ? sources(path.join(dir, e.name)) : e.name.endsWith(".ts") ? [path.join(dir, e.name)] : [],
    );
}

/** `file:line hook` for every plain mocha hook in `text` whose callback calls a stack or chart builder. */
function buildingHooks(file: string, text: string): string[] {
    const found: string[] = [];
    // Parsing is the slow part: only files with a hook and a builder's name in them.
    if (!/\b(before|beforeEach|after|afterEach)\(/.test(text) || !BUILDERS.some((b) => text.includes(`${b}(`))) return found;
    const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
    const calls = (node: ts.Node): boolean =>
        (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && BUILDERS.includes(node.expression.text)) || (ts.forEachChild(node, calls) ?? false);
    const visit = (node: ts.Node): void => {
        if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && HOOKS.has(node.expression.text) && node.arguments.some(calls)) {
            found.push(`${file}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1} ${node.expression.text}`);
        }
        ts.forEachChild(node, visit);
    };
    visit(source);
    return found;
}

// Issue 19, Why 9: a first `npm test` on a loaded 2-core machine failed on a 20 s "before all" timeout of a hook
// that built the fixture stacks. Every hook that builds goes through beforeBuilding (a limit that holds).
describe("hooks that build stacks or render charts", () => {
    it("are beforeBuilding hooks, with a time limit that holds on a loaded machine", () => {
        const plain = TEST_DIRS.flatMap(sources).flatMap((file) => buildingHooks(file, fs.readFileSync(path.join(projectRoot, file), "utf8")));
        expect(plain, "use beforeBuilding (tests/support/build-hook.ts) for these").to.deep.equal([]);
        expect(BUILD_HOOK_TIMEOUT_MS).to.be.at.least(120_000);
        expect(JSON.parse(fs.readFileSync(path.join(projectRoot, ".mocharc.json"), "utf8")).timeout).to.be.below(BUILD_HOOK_TIMEOUT_MS);
    });

    it("would be found: a plain before hook that builds a stack, however deep the call", () => {
        const text = 'describe("x", () => { before(async () => { const g = await Promise.all([stackGraph("dev")]); }); });';
        expect(buildingHooks("x.test.ts", text)).to.deep.equal(["x.test.ts:1 before"]);
        expect(buildingHooks("y.test.ts", 'beforeBuilding(async () => { await stackGraph("dev"); });')).to.deep.equal([]);
    });
});

import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { projectRoot } from "../tooling/offline/paths";
import { HELPER_FOLDERS, TEST_FOLDERS, filesUnder, misplaced } from "./support/test-placement";

describe("test placement", () => {
    it("puts every file of tests/ where the README's rule says", () => {
        const files = filesUnder("tests");
        expect(files.filter((f) => f.endsWith(".test.ts")).length).to.be.greaterThan(80);
        expect(files.map(misplaced).filter(Boolean)).to.deep.equal([]);
    });

    it("refuses a test in a folder of its own, in a helper folder, and a helper beside the tests", () => {
        expect(misplaced("tests/cluster/karpenter.test.ts")).to.match(/tests live in/);
        expect(misplaced("tests/support/mocks.test.ts")).to.match(/holds no tests/);
        expect(misplaced("tests/config/fixture.ts")).to.match(/helpers go to tests\/support/);
        expect(misplaced("tests/policy/eks.test.ts")).to.equal(undefined);
    });

    it("is the rule the README states: every folder, and what it mirrors", () => {
        const readme = fs.readFileSync(path.join(projectRoot, "README.md"), "utf8");
        const rule = /\*\*Where a test goes\*\*[^]*?\n\n/.exec(readme)?.[0] ?? "";
        for (const [folder, mirrors] of Object.entries(TEST_FOLDERS)) {
            expect(rule, folder).to.include(`\`${folder}\``);
            const source = /^[\w/]+\/$/.exec(mirrors.split(",")[0])?.[0];
            if (source) expect(rule, folder).to.include(`\`${source}\``);
            if (source) expect(fs.existsSync(path.join(projectRoot, source)), source).to.equal(true);
        }
        for (const folder of HELPER_FOLDERS) expect(rule, folder).to.include(`\`${folder}\``);
    });
});

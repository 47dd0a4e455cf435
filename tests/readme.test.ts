import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { README_BEGIN, README_END, renderPulumiYaml, renderReadme } from "../stacks/config/docs";
import { CONFIG_KEYS, ConfigKey, allowedText } from "../stacks/config/keys";
import { projectRoot } from "../tooling/offline/paths";

const readme = fs.readFileSync(path.join(projectRoot, "README.md"), "utf8");

/** Cells of the README config table, by key. */
function configTable(): Map<string, string[]> {
    const rows = new Map<string, string[]>();
    const table = readme.slice(readme.indexOf(README_BEGIN), readme.indexOf(README_END));
    for (const line of table.split("\n")) {
        const cells = line.split(/(?<!\\)\|/).slice(1, -1).map((c) => c.trim());
        const key = /^`([^`]+)`$/.exec(cells[0] ?? "")?.[1];
        if (key) rows.set(key, cells);
    }
    return rows;
}

const show = (value: unknown) =>
    value === undefined ? "— (required)" : Array.isArray(value) ? (value.length ? value.map((v) => `\`${v}\``).join(", ") : "`[]`") : value === "" ? '`""`' : `\`${value}\``;

describe("README", () => {
    it("documents every config key with its type, default and allowed form, and no stack's own values", () => {
        const table = configTable();
        expect([...table.keys()]).to.have.members(["aws:region", ...Object.keys(CONFIG_KEYS)]);
        for (const [key, spec] of Object.entries(CONFIG_KEYS) as [ConfigKey, any][]) {
            const row = table.get(key)!;
            expect(row, key).to.have.length(5);
            expect(row[1], key).to.equal(spec.type);
            expect(row[2], `${key} default`).to.equal(show(spec.default));
            expect(row[3].replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/\\\|/g, "|"), `${key} allowed`).to.equal(allowedText(key));
        }
        // Users edit their stack files; a table quoting those values would drift with every edit.
        expect(readme.slice(readme.indexOf(README_BEGIN), readme.indexOf(README_END))).to.not.include("| dev |").and.not.include("eks-prod");
    });

    it("and Pulumi.yaml carry exactly what `npm run config:docs` generates from keys.ts", () => {
        expect(renderReadme(readme) === readme, "README.md is stale: run npm run config:docs").to.equal(true);
        const project = fs.readFileSync(path.join(projectRoot, "Pulumi.yaml"), "utf8");
        expect(renderPulumiYaml(project) === project, "Pulumi.yaml is stale: run npm run config:docs").to.equal(true);
    });

    it("names the two commands and the test command CI runs", () => {
        expect(readme).to.include("npm ci").and.include("npm test");
        expect(fs.readFileSync(path.join(projectRoot, ".ci/run"), "utf8")).to.match(/^npm ci\b/m).and.match(/^npm test$/m);
    });
});

import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { CONFIG_KEYS } from "../stacks/config/keys";
import { projectRoot } from "./support/paths";
import { stackFileConfig } from "./support/stack-files";

const readme = fs.readFileSync(path.join(projectRoot, "README.md"), "utf8");

/** Cells of the README config table, by key. */
function configTable(): Map<string, string[]> {
    const rows = new Map<string, string[]>();
    for (const line of readme.split("\n")) {
        const cells = line.split(/(?<!\\)\|/).slice(1, -1).map((c) => c.trim());
        const key = /^`([^`]+)`$/.exec(cells[0] ?? "")?.[1];
        if (key && cells.length === 6) rows.set(key, cells);
    }
    return rows;
}

const show = (value: unknown) =>
    value === undefined ? "—" : Array.isArray(value) ? (value.length ? value.map((v) => `\`${v}\``).join(", ") : "`[]`") : `\`${value}\``;

describe("README", () => {
    it("documents every config key with its type, default and the dev/prod values", () => {
        const table = configTable();
        const dev = stackFileConfig("dev", projectRoot);
        const prod = stackFileConfig("prod", projectRoot);
        for (const [key, spec] of Object.entries(CONFIG_KEYS) as [string, any][]) {
            const row = table.get(key);
            expect(row, `README row for ${key}`).to.not.equal(undefined);
            expect(row![1], key).to.equal(spec.type);
            expect(row![2], `${key} default`).to.equal(show(spec.default));
            const orDash = (v: unknown) => (Array.isArray(v) && v.length === 0 ? undefined : v);
            expect(row![3], `${key} dev`).to.equal(show(orDash(dev[`eks-platform:${key}`])));
            expect(row![4], `${key} prod`).to.equal(show(orDash(prod[`eks-platform:${key}`])));
        }
    });

    it("names the two commands and the test command CI runs", () => {
        expect(readme).to.include("npm ci").and.include("npm test");
        expect(fs.readFileSync(path.join(projectRoot, ".ci/run"), "utf8")).to.match(/^npm ci\b/m).and.match(/^npm test$/m);
    });
});

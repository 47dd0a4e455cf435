/**
 * `npm run config:docs`: regenerates the `config:` block of Pulumi.yaml and the README's
 * configuration table from stacks/config/keys.ts, and its stack outputs table from stacks/outputs.ts.
 * Run it after editing a key or an output; the tests fail while either file differs from a fresh render.
 */
import * as fs from "fs";
import * as path from "path";
import { renderPulumiYaml, renderReadme } from "../stacks/config/docs";
import { renderOutputsReadme } from "../stacks/output-docs";

const root = path.resolve(__dirname, "..");
for (const [file, render] of [["Pulumi.yaml", renderPulumiYaml], ["README.md", (text: string) => renderOutputsReadme(renderReadme(text))]] as const) {
    const full = path.join(root, file);
    const current = fs.readFileSync(full, "utf8");
    const next = render(current);
    if (next !== current) fs.writeFileSync(full, next);
    console.log(`${file}: ${next === current ? "up to date" : "regenerated"}`);
}

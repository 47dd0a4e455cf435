import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { PlatformConfig } from "../stacks/config/keys";
import { OUTPUTS_BEGIN, OUTPUTS_END, renderOutputsReadme } from "../stacks/output-docs";
import { OUTPUT_NAMES, OutputSpec, STACK_OUTPUTS, absentValue } from "../stacks/outputs";
import { beforeBuilding } from "./support/build-hook";
import { validatedConfig } from "./support/config-errors";
import { StackGraph } from "../tooling/offline/harness";
import { projectRoot } from "../tooling/offline/paths";
import { useStacks } from "./support/use-stacks";
import { DEV_WITH_OPTIONAL_FEATURES, PROD_WITHOUT_CI_WITH_SECRETS, devWithOptionalFeatures, prodWithoutCiWithSecrets } from "./support/variants";

const readme = fs.readFileSync(path.join(projectRoot, "README.md"), "utf8");
const spec = (name: (typeof OUTPUT_NAMES)[number]): OutputSpec => STACK_OUTPUTS[name];
/** An exported value a stack has: neither null nor an empty map. */
const present = (value: unknown) => value !== null && value !== undefined && !(typeof value === "object" && Object.keys(value as object).length === 0);

describe("stack outputs (stacks/outputs.ts)", () => {
    const stacks = useStacks();
    /** Every stack built here with its validated config: the fixtures, and variants with the features they leave off. */
    let built: { graph: StackGraph; cfg: PlatformConfig }[] = [];
    beforeBuilding(async () => {
        built = [
            ...stacks.all.map((graph) => ({ graph, cfg: validatedConfig(graph.stack, {}, []) })),
            ...(
                [
                    [DEV_WITH_OPTIONAL_FEATURES, await devWithOptionalFeatures()],
                    [PROD_WITHOUT_CI_WITH_SECRETS, await prodWithoutCiWithSecrets()],
                ] as const
            ).map(([v, graph]) => ({ graph, cfg: validatedConfig(v.stack, v.overrides, v.secretKeys) })),
        ];
    });

    it("in the README are the table `npm run config:docs` generates from the declaration", () => {
        expect(readme.indexOf(OUTPUTS_BEGIN), "README has the outputs markers").to.be.greaterThan(0);
        expect(readme.indexOf(OUTPUTS_END)).to.be.greaterThan(readme.indexOf(OUTPUTS_BEGIN));
        expect(renderOutputsReadme(readme) === readme, "README.md is stale: run npm run config:docs").to.equal(true);
    });

    it("are exactly the declared ones in every stack, a conditional one set exactly in the stacks its condition names", () => {
        for (const { graph, cfg } of built) {
            expect(Object.keys(graph.outputs), graph.stack).to.deep.equal(OUTPUT_NAMES);
            for (const name of OUTPUT_NAMES) {
                const s = spec(name);
                const value = graph.outputs[name];
                if (!s.when || s.when.has(cfg)) expect(present(value), `${graph.stack} ${name}: ${JSON.stringify(value)}`).to.equal(true);
                else expect(value, `${graph.stack} ${name}`).to.deep.equal(absentValue(s));
            }
        }
    });

    it("are checked here both ways: each conditional output is set in one stack built here and absent in another", () => {
        for (const name of OUTPUT_NAMES.filter((n) => spec(n).when)) {
            const has = built.map(({ cfg }) => spec(name).when!.has(cfg));
            expect(has, name).to.include(true).and.include(false);
        }
    });

    it("are secrets exactly where declared", async () => {
        for (const { graph } of built) {
            for (const name of OUTPUT_NAMES.filter((n) => present(graph.outputs[n]))) {
                expect(await pulumi.isSecret(pulumi.output(graph.rawOutputs[name])), `${graph.stack} ${name}`).to.equal(spec(name).secret);
            }
        }
    });
});

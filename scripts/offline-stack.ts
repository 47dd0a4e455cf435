/** What `npm run render` and `npm run cost` share: finding a stack file and building it offline under the test mocks. */
import * as fs from "fs";
import * as path from "path";
import { ChartPin } from "../components/versions";
import { StackGraph, stackGraph } from "../tests/support/harness";
import { pullChart, resolveChart } from "../tests/support/helm";
import { Scopes, basicScopes, schemaValidator } from "../tests/support/render";
import { referenceDir } from "../tests/support/reference";
import { projectRoot } from "../tests/support/paths";
import { fixturesDir } from "../tests/support/stack-files";

/** `Pulumi.<stack>.yaml` of the project root (or of the test fixtures with `--fixtures`), or exits with usage. */
export function stackFileFromArgs(command: string): { stack: string; dir: string; stackFile: string } {
    const args = process.argv.slice(2);
    const stack = args.find((a) => !a.startsWith("-"));
    const usage = (message: string): never => {
        const stacks = fs.readdirSync(projectRoot).map((f) => /^Pulumi\.(.+)\.ya?ml$/.exec(f)?.[1]).filter(Boolean);
        console.error(`${message}\nusage: npm run ${command} -- <stack> [--fixtures]\n  stacks here: ${stacks.join(", ") || "none"}\n  --fixtures  use tests/fixtures/Pulumi.<stack>.yaml instead of the project's stack file`);
        process.exit(2);
    };
    if (!stack) return usage("which stack?");
    const dir = args.includes("--fixtures") ? fixturesDir : projectRoot;
    const stackFile = ["yaml", "yml"].map((e) => path.join(dir, `Pulumi.${stack}.${e}`)).find((f) => fs.existsSync(f));
    if (!stackFile) return usage(`no Pulumi.${stack}.yaml in ${dir}`);
    return { stack, dir, stackFile };
}

/** The stack's graph under the mocks, as the tests build it; secure values become placeholders, still marked secret (see `configWith`). */
export function buildOffline(stack: string, dir: string): Promise<StackGraph> {
    return stackGraph(stack, dir);
}

/** The Kubernetes schemas from ../shared/reference when present, else the basic scopes (a plain clone has no reference files). */
export function renderScopes(): Scopes {
    return fs.existsSync(path.join(referenceDir, "kubernetes")) ? schemaValidator() : basicScopes();
}

/** Every chart available offline, else pulled (needs network) into the cache. */
export function ensureCharts(pins: ChartPin[]): void {
    for (const pin of pins) {
        try {
            resolveChart(pin);
        } catch {
            console.log(`pulling ${pin.chart}@${pin.version} (not in ${referenceDir})`);
            pullChart(pin);
        }
    }
}

/** What `npm run render` and `npm run cost` share: finding a stack file and building it offline under the test mocks. */
import * as fs from "fs";
import * as path from "path";
import { ChartPin } from "../components/versions";
import { readStackFile } from "../stacks/config/stack-files";
import { StackGraph, buildStack } from "../tests/support/harness";
import { pullChart, resolveChart } from "../tests/support/helm";
import { referenceDir } from "../tests/support/reference";
import { projectRoot } from "../tests/support/paths";
import { fixturesDir } from "../tests/support/stack-files";

/** Secure config values cannot be decrypted offline: each becomes a placeholder, still marked secret. */
export function secureKeys(stackFile: string): Record<string, string> {
    const config = readStackFile(stackFile);
    return Object.fromEntries(
        Object.entries(config)
            .filter(([, v]) => v !== null && typeof v === "object" && "secure" in (v as object))
            .map(([k]) => [k, `placeholder-for-${k.replace(/^.*:/, "")}-0`]),
    );
}

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

/** The stack's graph under the mocks, secure values replaced by placeholders. */
export function buildOffline(stack: string, dir: string, stackFile: string): Promise<StackGraph> {
    const secure = secureKeys(stackFile);
    return buildStack(stack, secure, Object.keys(secure), dir);
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

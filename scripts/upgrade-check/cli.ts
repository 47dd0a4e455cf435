/** The command line of `npm run upgrade-check`: arguments, credentials, one report per stack, the exit code. */
import * as path from "path";
import { buildOffline, ensureCharts, stackFileOf, stacksIn, toStderr } from "../offline-stack";
import { projectRoot } from "../../tooling/offline/paths";
import { configWith, fixturesDir } from "../../tooling/offline/stack-files";
import { helmBinary } from "../../tooling/offline/helm";
import { EksClientLike, eksClient } from "./account";
import { CannotCheck, formatReport, upgradeCheck } from "./check";
import { upgradeTarget } from "./target";

export interface CliIo {
    out: (text: string) => void;
    err: (line: string) => void;
    /** The account's client for a region and profile, or why there is none (the SDK's default chain unless a test says otherwise). */
    account?: (region: string, profile?: string) => Promise<{ client: EksClientLike } | { skipped: string }>;
}

const USAGE = `usage: npm run upgrade-check -- <stack> [<stack> …] [--to 1.NN] [--offline] [--fixtures]
  --to 1.NN   the version to upgrade to (default: the minor after the stack's kubernetesVersion)
  --offline   skip the account checks even when AWS credentials are at hand
  --fixtures  use tests/fixtures/Pulumi.<stack>.yaml instead of the project's stack file
exit code: 0 nothing blocks, 1 something blocks, 2 the check could not run`;

/** Runs the check for the stacks `args` name; resolves to the exit code. */
export async function runCli(args: readonly string[], io: CliIo = { out: (t) => process.stdout.write(t), err: toStderr }): Promise<number> {
    const rest = [...args];
    const toAt = rest.findIndex((a) => a === "--to" || a.startsWith("--to="));
    let to: string | undefined;
    if (toAt >= 0) {
        to = rest[toAt].includes("=") ? rest[toAt].split("=")[1] : rest[toAt + 1];
        rest.splice(toAt, rest[toAt].includes("=") ? 1 : 2);
        if (!to || to.startsWith("-")) return usage(io, "--to needs a version, such as --to 1.36");
    }
    const unknown = rest.filter((a) => a.startsWith("-") && !["--offline", "--fixtures"].includes(a));
    if (unknown.length > 0) return usage(io, `unknown option ${unknown.join(", ")}`);
    const dir = rest.includes("--fixtures") ? fixturesDir : projectRoot;
    const names = rest.filter((a) => !a.startsWith("-"));
    if (names.length === 0) return usage(io, `which stack? (stacks here: ${stacksIn(dir).join(", ") || "none"})`);
    const files = names.map((stack) => stackFileOf(stack, dir));
    const missing = names.filter((_, i) => !files[i]);
    if (missing.length > 0) return usage(io, `no ${missing.map((s) => `Pulumi.${s}.yaml`).join(", ")} in ${dir} (stacks here: ${stacksIn(dir).join(", ") || "none"})`);

    helmBinary();
    let code = 0;
    for (const file of files.map((f) => f!)) {
        const config = configWith(file.stack, {}, file.dir);
        const region = config["aws:region"];
        // Refused before the build when the stack file already says the version (the check repeats it on the graph).
        const stated = config["eks-platform:kubernetesVersion"];
        const early = stated ? upgradeTarget(stated, to) : undefined;
        if (early && !early.ok) {
            io.err(`${file.stack}: ${early.error}`);
            code = 2;
            continue;
        }
        try {
            const graph = await buildOffline(file, io.err);
            ensureCharts(graph.ofType("kubernetes:helm.sh/v3:Release").map((r) => ({ chart: r.inputs.chart, version: r.inputs.version, repo: r.inputs.repositoryOpts?.repo })));
            const account = rest.includes("--offline")
                ? { skipped: "offline run (--offline)" }
                : await (io.account ?? eksClient)(region, config["aws:profile"]);
            if ("client" in account && config["aws:assumeRoles"]) io.err(`${file.stack}: note: the stack file assumes roles (aws:assumeRoles); the account checks use the ambient credentials as they are`);
            const report = await upgradeCheck(graph, { to, stackFile: path.relative(projectRoot, file.stackFile), region, account, say: io.err });
            io.out(formatReport(report));
            code = Math.max(code, report.exitCode);
        } catch (err) {
            if (!(err instanceof CannotCheck)) throw err;
            io.err(err.message);
            code = 2;
        }
    }
    return code;
}

function usage(io: CliIo, message: string): number {
    io.err(`${message}\n${USAGE}`);
    return 2;
}

/**
 * `npm run cost -- <stack> [<stack> …] [--live]`: a monthly list-price estimate of each idle stack, before deploying.
 * Builds the stack offline under the Pulumi mocks of tooling/offline (as `npm run render` does), renders
 * its charts to find the platform pods that land on Karpenter nodes and their volumes, and prices the result with the dated table
 * in scripts/cost/prices.ts. `--live` then prices the same lines at AWS's current prices (scripts/cost/live.ts) and
 * prints them beside the table's. Progress (per stack and release) and the program's warnings go to stderr.
 */
import { helmBinary } from "../tooling/offline/helm";
import { formatLive } from "./cost/compare";
import { costModel } from "./cost/from-stack";
import { estimateCost, formatEstimate } from "./cost/estimate";
import { LIVE_FLAG, awsClientsFor, livePrices } from "./cost/live";
import { stackFileConfig } from "../tooling/offline/stack-files";
import { buildOffline, ensureCharts, renderOffline, renderScopes, stackFilesFromArgs, toStderr } from "./offline-stack";

async function main(): Promise<void> {
    const stacks = stackFilesFromArgs("cost", LIVE_FLAG);
    const live = process.argv.includes("--live");
    helmBinary();
    for (const [i, file] of stacks.entries()) {
        toStderr(`${file.stack}: costing stack ${i + 1} of ${stacks.length}`);
        const graph = await buildOffline(file);
        const releases = graph.ofType("kubernetes:helm.sh/v3:Release");
        ensureCharts(releases.map((r) => ({ chart: r.inputs.chart, version: r.inputs.version, repo: r.inputs.repositoryOpts?.repo })));
        const rendered = await renderOffline(graph, renderScopes());
        const estimate = estimateCost(costModel(graph, rendered));
        console.log(formatEstimate(file.stack, estimate));
        if (live) {
            toStderr(`${file.stack}: looking up live prices in ${estimate.region} ...`);
            // The stack file's aws:profile, as `pulumi up` and upgrade-check use it.
            const profile = stackFileConfig(file.stack, file.dir)["aws:profile"];
            console.log(`\n${formatLive(file.stack, estimate, await livePrices(estimate, awsClientsFor(typeof profile === "string" ? profile : undefined)))}`);
        }
    }
    process.exit(0);
}

main().catch((err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
});

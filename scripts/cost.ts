/**
 * `npm run cost -- <stack> [<stack> …]`: a monthly list-price estimate of each idle stack, before deploying.
 * Builds the stack offline under the Pulumi mocks of tooling/offline (as `npm run render` does), renders
 * its charts to find the platform pods that land on Karpenter nodes and their volumes, and prices the result with the dated table
 * in scripts/cost/prices.ts. Progress (per stack and release) and the program's warnings go to stderr.
 */
import { helmBinary } from "../tooling/offline/helm";
import { costModel } from "./cost/from-stack";
import { estimateCost, formatEstimate } from "./cost/estimate";
import { buildOffline, ensureCharts, renderOffline, renderScopes, stackFilesFromArgs, toStderr } from "./offline-stack";

async function main(): Promise<void> {
    const stacks = stackFilesFromArgs("cost");
    helmBinary();
    for (const [i, file] of stacks.entries()) {
        toStderr(`${file.stack}: costing stack ${i + 1} of ${stacks.length}`);
        const graph = await buildOffline(file);
        const releases = graph.ofType("kubernetes:helm.sh/v3:Release");
        ensureCharts(releases.map((r) => ({ chart: r.inputs.chart, version: r.inputs.version, repo: r.inputs.repositoryOpts?.repo })));
        const rendered = await renderOffline(graph, renderScopes());
        console.log(formatEstimate(file.stack, estimateCost(costModel(graph, rendered))));
    }
    process.exit(0);
}

main().catch((err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
});

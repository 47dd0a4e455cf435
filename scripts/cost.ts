/**
 * `npm run cost -- <stack>`: a monthly list-price estimate of the idle stack, before deploying. Builds
 * the stack offline under the test mocks (as `npm run render` does), renders its charts to find the
 * platform pods that land on Karpenter nodes and their volumes, and prices the result with the
 * dated table in scripts/cost/prices.ts.
 */
import { helmBinary } from "../tests/support/helm";
import { renderStack } from "../tests/support/render";
import { costModel } from "./cost/from-stack";
import { estimateCost, formatEstimate } from "./cost/estimate";
import { buildOffline, ensureCharts, renderScopes, stackFileFromArgs } from "./offline-stack";

async function main(): Promise<void> {
    const { stack, dir } = stackFileFromArgs("cost");
    helmBinary();
    const graph = await buildOffline(stack, dir);
    const releases = graph.ofType("kubernetes:helm.sh/v3:Release");
    ensureCharts(releases.map((r) => ({ chart: r.inputs.chart, version: r.inputs.version, repo: r.inputs.repositoryOpts?.repo })));
    const rendered = await renderStack(graph, renderScopes());
    console.log(formatEstimate(stack, estimateCost(costModel(graph, rendered))));
    process.exit(0);
}

main().catch((err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
});

/**
 * `npm run timeline -- <stack> [<stack> …] [--fixtures] [--destroy]`: the modeled critical path of a fresh
 * `pulumi up` of each stack, from the program's own dependency graph (built offline under the mocks of
 * tooling/offline, as `npm run render` does) weighed with the table in scripts/timeline/weights.ts; the
 * total; and the five resources whose speed-up would shorten it most. `--destroy` also prints the order
 * `pulumi destroy` deletes in, wave by wave. Progress goes to stderr.
 */
import { buildOffline, stackFilesFromArgs } from "./offline-stack";
import { teardown, teardownViolations } from "./timeline/destroy";
import { formatTimeline, timelineBudget } from "./timeline/report";

async function main(): Promise<void> {
    const stacks = stackFilesFromArgs("timeline", { "--destroy": "also print the order pulumi destroy deletes in, wave by wave, and check it" });
    let over = false;
    for (const file of stacks) {
        const graph = await buildOffline(file);
        const report = formatTimeline(graph);
        console.log(report.text);
        over ||= report.total > timelineBudget(graph);
        if (process.argv.includes("--destroy")) {
            console.log(`\n${graph.stack}: pulumi destroy, wave by wave (each wave's deletes run side by side)`);
            teardown(graph).waves.forEach((wave, i) => console.log(`  ${String(i + 1).padStart(3)}  ${wave.sort().join(", ")}`));
            const broken = teardownViolations(graph);
            console.log(broken.length ? broken.map((b) => `  out of order: ${b}`).join("\n") : "  order holds: workloads, NodePools, the Karpenter controller, then the system nodes");
            over ||= broken.length > 0;
        }
        console.log("");
    }
    process.exit(over ? 1 : 0);
}

main().catch((err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
});

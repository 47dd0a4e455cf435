/** The text `npm run timeline` prints for one stack. */
import { StackGraph } from "../../tooling/offline/harness";
import { speedUps, timeline } from "./model";

/** What a fresh `pulumi up` of any stack may take in the model, in minutes (tests/timeline.test.ts holds every stack to it). */
export const TIMELINE_BUDGET_MINUTES = 16;

const minutes = (m: number) => m.toFixed(2).padStart(6);

export function formatTimeline(graph: Pick<StackGraph, "stack" | "resources">, budget = TIMELINE_BUDGET_MINUTES): { text: string; total: number } {
    const t = timeline(graph);
    const lines = [
        `${t.stack}: modeled fresh pulumi up ${t.total.toFixed(2)} min (budget ${budget} min${t.total > budget ? ", OVER" : ""})`,
        "critical path (minutes from the start):",
        "   start  finish  own  resource",
        ...t.criticalPath.map((s) => `  ${minutes(s.start)}  ${minutes(s.finish)} ${s.minutes.toFixed(2).padStart(4)}  ${s.key}\n${" ".repeat(29)}${s.why}`),
        `total ${t.total.toFixed(2)} min, with ${t.criticalPath.filter((s) => s.minutes === 0 && !s.key.startsWith("pulumi:providers:") && !s.key.startsWith("(")).length} steps of seconds on the path counted as 0`,
        "speed-ups that would shorten it most (if that step took no time):",
        ...speedUps(graph, t).map(({ step, saves }, i) => `  ${i + 1}. ${step.key} (${step.minutes.toFixed(2)} min): ${saves.toFixed(2)} min shorter${saves === 0 ? ", as long as a path beside it stays" : ""}`),
    ];
    return { text: lines.join("\n"), total: t.total };
}

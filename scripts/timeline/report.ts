/** The text `npm run timeline` prints for one stack. */
import { StackGraph } from "../../tooling/offline/harness";
import { speedUps, timeline } from "./model";

/**
 * What a fresh `pulumi up` may take in the model, in minutes, per compute mode (tests/timeline.test.ts and the
 * stack-file invariants hold every stack to its mode's): `karpenter` runs control plane, CNI and system nodes
 * one after another before anything else (the floor issue #23 names: 16); `auto` has no node group or node
 * add-ons to wait for, so the control plane and the slowest release are the path (13.5 modeled, 14 allowed).
 */
export const TIMELINE_BUDGETS = { karpenter: 16, auto: 14 } as const;
/** The karpenter mode's budget, the default. */
export const TIMELINE_BUDGET_MINUTES = TIMELINE_BUDGETS.karpenter;

/** The budget of the stack's compute mode, read from its cluster (EKS Auto Mode: `computeConfig.enabled`). */
export function timelineBudget(graph: Pick<StackGraph, "resources">): number {
    const cluster = graph.resources.find((r) => r.type === "aws:eks/cluster:Cluster");
    return cluster?.inputs.computeConfig?.enabled ? TIMELINE_BUDGETS.auto : TIMELINE_BUDGETS.karpenter;
}

const minutes = (m: number) => m.toFixed(2).padStart(6);

export function formatTimeline(graph: Pick<StackGraph, "stack" | "resources">, budget = timelineBudget(graph)): { text: string; total: number } {
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

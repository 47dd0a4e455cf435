/** Each pinned chart's upstream-documented Kubernetes range (components/versions.ts CHART_COMPATIBILITY) against the target. */
import { CHARTS, CHART_COMPATIBILITY, KubernetesCompatibility } from "../../components/versions";
import type { ReleaseSpec } from "../../tooling/offline/render";
import { Finding } from "./findings";
import { withinMinors } from "./target";

const range = (c: KubernetesCompatibility) => (c.to ? `${c.from}–${c.to}` : `${c.from} and later`);

/** The entries of the charts `releases` install, judged for `target`. */
export function compatibilityFindings(releases: readonly Pick<ReleaseSpec, "chart" | "version">[], target: string): Finding[] {
    return (Object.keys(CHARTS) as (keyof typeof CHARTS)[])
        .filter((key) => releases.some((r) => r.chart === CHARTS[key].chart && r.version === CHARTS[key].version))
        .map((key): Finding => {
            const c: KubernetesCompatibility = CHART_COMPATIBILITY[key];
            const subject = `${CHARTS[key].chart.split("/").pop()} ${CHARTS[key].version} (CHARTS.${key})`;
            const cited = `${c.documented} (${c.source}, ${c.date})`;
            if (c.basis === "undocumented") return { severity: "ok", subject, message: `${c.documented} (${c.source}, ${c.date})` };
            if (withinMinors(target, c.from, c.to)) return { severity: "ok", subject, message: `Kubernetes ${target} is within the ${c.basis} range ${range(c)} (${c.source}, ${c.date})` };
            const change = `bump CHARTS.${key} to a release upstream documents for ${target}, and its CHART_COMPATIBILITY entry with the source (components/versions.ts)`;
            return c.basis === "supported"
                ? { severity: "block", subject, message: `upstream supports Kubernetes ${range(c)}, not ${target}: ${cited}`, fix: change }
                : { severity: "warn", subject, message: `upstream tested Kubernetes ${range(c)}, not yet ${target} (untested, not known broken): ${cited}`, fix: `when upstream lists ${target}, ${change}` };
        });
}

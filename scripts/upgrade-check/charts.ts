/**
 * Chart `kubeVersion` constraints (Chart.yaml, subcharts too) judged against the target version the way Helm
 * judges them (Masterminds semver), so a chart Helm would refuse to install is named before the upgrade.
 */
import * as fs from "fs";
import * as path from "path";
import { Range, SemVer } from "semver";
import { parse } from "yaml";
import { CHARTS } from "../../components/versions";
import { resolveChart } from "../../tooling/offline/helm";
import type { ReleaseSpec } from "../../tooling/offline/render";
import { Finding } from "./findings";

/**
 * Whether Helm admits `version` under `constraint`. Helm's semver (Masterminds) refuses a pre-release
 * version to every comparator that carries no pre-release itself; node-semver would admit it only when a
 * comparator names the same major.minor.patch. So each `||` alternative is tested with pre-releases
 * included, and a pre-release version passes it only when every version in it carries a pre-release
 * (`>=1.25.0-0`). EKS reports `v1.36.N-eks-<commit>`, a pre-release: `>=1.25.0` refuses it.
 */
export function helmAdmits(constraint: string, version: string): boolean {
    const v = new SemVer(version.replace(/^v/, ""));
    return constraint.split("||").some((alternative) => {
        const literals = alternative.match(/v?\d+(\.(\d+|[xX*]))*(-[0-9A-Za-z.-]+)?/g) ?? [];
        if (v.prerelease.length > 0 && !literals.every((l) => /-/.test(l))) return false;
        return new Range(alternative.trim() || "*", { includePrerelease: true }).test(v);
    });
}

/** The two versions a chart meets: `helm template --kube-version` offline, and what an EKS API server reports. */
export const kubeVersionsOf = (target: string) => ({ helm: `${target}.0`, eks: `${target}.0-eks-0000000` });

interface ChartMeta {
    name: string;
    version: string;
    kubeVersion?: string;
    dependencies?: { name: string; condition?: string }[];
}

const trees = new Map<string, ReturnType<typeof chartTree>>();

/** `chartTree` once per chart folder and process (a check runs once per stack, tests run it often). */
function chartTreeOnce(dir: string): ReturnType<typeof chartTree> {
    if (!trees.has(dir)) trees.set(dir, chartTree(dir));
    return trees.get(dir)!;
}

/** A chart folder and every subchart under its charts/ (folders), each with the values path that enables it. */
function chartTree(dir: string, chain: string[] = [], condition?: string): { dir: string; meta: ChartMeta; chain: string[]; condition?: string }[] {
    const meta = parse(fs.readFileSync(path.join(dir, "Chart.yaml"), "utf8")) as ChartMeta;
    const here = { dir, meta, chain: [...chain, `${meta.name} ${meta.version}`], condition };
    const sub = path.join(dir, "charts");
    const children = fs.existsSync(sub) ? fs.readdirSync(sub, { withFileTypes: true }).filter((e) => e.isDirectory() && fs.existsSync(path.join(sub, e.name, "Chart.yaml"))) : [];
    return [here, ...children.flatMap((e) => {
        const dep = meta.dependencies?.find((d) => d.name === e.name);
        // A subchart's condition is read from the parent's values, so nested conditions are prefixed.
        const prefix = chain.length > 0 ? `${here.chain.slice(1).map((c) => c.split(" ")[0]).join(".")}.` : "";
        return chartTree(path.join(sub, e.name), here.chain, dep?.condition ? `${prefix}${dep.condition.split(",")[0].trim()}` : undefined);
    })];
}

const valueAt = (values: unknown, dotted: string): unknown =>
    dotted.split(".").reduce<unknown>((v, k) => (v && typeof v === "object" ? (v as Record<string, unknown>)[k] : undefined), values);

/** The CHARTS key of a pinned chart, for the fix (`CHARTS.argoCd`); undefined for a chart the program does not pin. */
function pinOf(spec: Pick<ReleaseSpec, "chart" | "version">): string | undefined {
    return Object.entries(CHARTS).find(([, pin]) => pin.chart === spec.chart && pin.version === spec.version)?.[0];
}

export interface ChartVerdict {
    release: ReleaseSpec;
    findings: Finding[];
    /** Helm would refuse to render or install the release at the target: do not render it. */
    excluded: boolean;
}

/**
 * Every release's chart and enabled subcharts against `target`: a constraint that refuses the version Helm
 * renders with, or the EKS form of it, blocks, naming the chart and the change. `chartDirs`: where charts are.
 */
export function kubeVersionVerdicts(releases: readonly ReleaseSpec[], target: string, chartDirs?: string[]): ChartVerdict[] {
    const { helm, eks } = kubeVersionsOf(target);
    return releases.map((release) => {
        const root = resolveChart(release, chartDirs).dir;
        // The chart's defaults only matter for a subchart that fails: read them then (values.yaml runs to 200 KB).
        const defaults = (condition: string) => valueAt(parse(fs.readFileSync(path.join(root, "values.yaml"), "utf8")) ?? {}, condition);
        const findings: Finding[] = [];
        let excluded = false;
        for (const chart of chartTreeOnce(root)) {
            const constraint = chart.meta.kubeVersion;
            const subject = `release ${release.releaseName}: chart ${chart.chain.join(" > subchart ")}`;
            if (!constraint) {
                findings.push({ severity: "ok", subject, message: "declares no kubeVersion" });
                continue;
            }
            const admitsHelm = helmAdmits(constraint, helm);
            const admitsEks = helmAdmits(constraint, eks);
            const enabled = () => !chart.condition || (valueAt(release.values, chart.condition) ?? defaults(chart.condition) ?? true) !== false;
            if (admitsHelm && admitsEks) {
                findings.push({ severity: "ok", subject, message: `kubeVersion "${constraint}" admits ${target} (and EKS's v${target}.N-eks-…)` });
            } else if (!enabled()) {
                findings.push({ severity: "ok", subject, message: `kubeVersion "${constraint}" excludes ${target}, but the release disables it (${chart.condition}: false)` });
            } else {
                const pin = pinOf(release);
                const bump = pin ? `bump CHARTS.${pin} in components/versions.ts (and its files in ../shared/reference)` : `bump the chart of release ${release.releaseName}`;
                const why = admitsHelm
                    ? `kubeVersion "${constraint}" admits ${helm} but not EKS's v${target}.N-eks-<commit>, a semver pre-release (a constraint needs a -0 suffix, ">=1.25.0-0", to admit it): Helm refuses it on an EKS cluster`
                    : `kubeVersion "${constraint}" excludes Kubernetes ${target}: Helm refuses to install it`;
                findings.push({ severity: "block", subject, message: why, fix: `${bump} to a version whose ${chart.chain.length > 1 ? `subchart ${chart.meta.name} declares a kubeVersion that admits` : "kubeVersion admits"} ${target}` });
                if (chart.chain.length === 1 && !admitsHelm) excluded = true;
            }
        }
        return { release, findings, excluded };
    });
}

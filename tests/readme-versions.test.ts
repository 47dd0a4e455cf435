import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { LOAD_BALANCER_CONTROLLER_VERSION } from "../components/cluster/load-balancer-controller/iam-policy";
import { AUTO_MODE, CHARTS, KUBERNETES_VERSIONS } from "../components/versions";
import { README_BEGIN, README_END } from "../stacks/config/docs";
import { OUTPUTS_BEGIN, OUTPUTS_END } from "../stacks/output-docs";
import { projectRoot } from "../tooling/offline/paths";

const readme = fs.readFileSync(path.join(projectRoot, "README.md"), "utf8");

/** A place the README states a pinned version: the words around it (`{v}` is the version) and the value it names. */
interface Mention {
    names: string;
    version: string;
    context: string;
}

/** Every pinned version the README states, each with the constant it restates. */
const MENTIONS: Mention[] = [
    { names: "CHARTS.karpenter", version: CHARTS.karpenter.version, context: "controller (chart {v} + `karpenter-crd`)" },
    { names: "CHARTS.awsLoadBalancerController", version: CHARTS.awsLoadBalancerController.version, context: "| chart {v} with upstream's IAM policy" },
    { names: "LOAD_BALANCER_CONTROLLER_VERSION", version: LOAD_BALANCER_CONTROLLER_VERSION, context: "upstream's IAM policy ({v}) via Pod Identity" },
    { names: "LOAD_BALANCER_CONTROLLER_VERSION", version: LOAD_BALANCER_CONTROLLER_VERSION, context: "Upstream's `iam_policy.json` for {v} as typed data" },
    { names: "CHARTS.externalSecrets", version: CHARTS.externalSecrets.version, context: "| chart {v} with CRDs" },
    { names: "CHARTS.argoCd", version: CHARTS.argoCd.version, context: "Argo CD (chart {v})" },
    { names: "CHARTS.kubePrometheusStack", version: CHARTS.kubePrometheusStack.version, context: "kube-prometheus-stack ({v}: Prometheus" },
    { names: "CHARTS.metricsServer", version: CHARTS.metricsServer.version, context: "**metrics-server** (chart {v}," },
    { names: "CHARTS.externalDns", version: CHARTS.externalDns.version, context: "**external-dns** (chart {v})" },
    { names: "CHARTS.awsForFluentBit", version: CHARTS.awsForFluentBit.version, context: "(chart aws-for-fluent-bit {v}," },
    { names: "KUBERNETES_VERSIONS.default", version: KUBERNETES_VERSIONS.default, context: "Kubernetes {v} schema" },
    { names: "AUTO_MODE.minimumKubernetesVersion", version: AUTO_MODE.minimumKubernetesVersion, context: "**Where:** Kubernetes {v} or later" },
    { names: "KUBERNETES_VERSIONS.newestSupported", version: KUBERNETES_VERSIONS.newestSupported, context: "npm run upgrade-check -- prod --to {v}`" },
];

/** Numbers of the form of a version that are none: benchmark sections, prices, an example's own values. */
const NOT_VERSIONS = [
    /CIS \d+\.\d+\.\d+/g,
    /USD \d+\.\d+/g,
    // The timeline's minutes (Deploying a stack).
    /\d+\.\d+ min\b/g,
    /`appVersion: 0\.1\.0`/g,
    /unquoted `kubernetesVersion: 1\.30` \(YAML reads the number 1\.3\)/g,
    // How Helm reads a chart's kubeVersion (README, "Upgrading Kubernetes"): constraints, not pins.
    /`>=1\.25\.0(-0)?`/g,
    // The add-on recipe's example pin (cert-manager is no add-on of the platform).
    /certManager: \{ chart: "cert-manager", repo: "https:\/\/charts\.jetstack\.io", version: "v\d+\.\d+\.\d+" \}/g,
    // Its upstream-documented Kubernetes range (CHART_COMPATIBILITY), in the same recipe.
    /certManager: \{ basis: "supported", [^}]*\}/g,
];

const VERSION = /(?<![\w.\/-])v?\d+\.\d+(?:\.\d+)?(?![\w\/-]|\.\d)/g;

/**
 * What is wrong with the versions a README states: a mention missing or stating another version than the
 * constant it names, or a version-like number no mention covers (add it to MENTIONS, or NOT_VERSIONS if it
 * is none). The generated parts (config and outputs tables, the diagram) are checked by their own tests.
 */
export function versionProblems(text: string): string[] {
    const prose = withoutGenerated(text).replace(/\s+/g, " ");
    const problems: string[] = [];
    const covered: [number, number][] = [];
    for (const m of MENTIONS) {
        const [before, after] = m.context.split("{v}").map(escape);
        const found = [...prose.matchAll(new RegExp(`${before}(v?\\d+\\.\\d+(?:\\.\\d+)?)${after}`, "g"))];
        if (found.length === 0) problems.push(`no "${m.context}" (${m.names})`);
        for (const f of found) {
            if (f[1] !== m.version) problems.push(`"${m.context.replace("{v}", f[1])}": ${m.names} is ${m.version}`);
            covered.push([f.index!, f.index! + f[0].length]);
        }
    }
    for (const pattern of NOT_VERSIONS) for (const f of prose.matchAll(pattern)) covered.push([f.index!, f.index! + f[0].length]);
    for (const f of prose.matchAll(VERSION)) {
        if (!covered.some(([from, to]) => f.index! >= from && f.index! < to)) problems.push(`"${prose.slice(Math.max(0, f.index! - 40), f.index! + 20)}": ${f[0]} names no pinned version`);
    }
    return problems;
}

function withoutGenerated(text: string): string {
    let rest = text.replace(/```mermaid\n[\s\S]*?\n```/g, "");
    for (const [begin, end] of [[README_BEGIN, README_END], [OUTPUTS_BEGIN, OUTPUTS_END]]) {
        const from = rest.indexOf(begin);
        const to = rest.indexOf(end);
        if (from < 0 || to < from) throw new Error(`README lacks ${begin} … ${end}`);
        rest = rest.slice(0, from) + rest.slice(to);
    }
    return rest;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

describe("README versions", () => {
    it("states each pinned version as components/versions.ts (or the constant it names) has it, and no other version", () => {
        expect(versionProblems(readme)).to.deep.equal([]);
    });

    it("would notice a stale mention, a missing one and a version nothing names", () => {
        const stale = readme.replace(`Argo CD (chart ${CHARTS.argoCd.version})`, "Argo CD (chart 9.9.9)");
        expect(versionProblems(stale)).to.deep.equal([`"Argo CD (chart 9.9.9)": CHARTS.argoCd is ${CHARTS.argoCd.version}`]);
        const missing = readme.replace(`**external-dns** (chart ${CHARTS.externalDns.version})`, "**external-dns**");
        expect(versionProblems(missing)).to.deep.equal([`no "**external-dns** (chart {v})" (CHARTS.externalDns)`]);
        const unnamed = readme.replace("## Upgrading\n", "## Upgrading\n\nVelero 1.18 is installed.\n");
        expect(versionProblems(unnamed)).to.have.length(1);
        expect(versionProblems(unnamed)[0]).to.match(/: 1\.18 names no pinned version$/);
    });
});

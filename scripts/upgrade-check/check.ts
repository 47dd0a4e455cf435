/**
 * `npm run upgrade-check`, as a library: everything between a built stack graph and the printed report.
 * Renders every release at the target with Helm, validates the objects against the target's schema, lists
 * removed and deprecated APIs (the two versions' swaggers compared), judges each chart's kubeVersion and
 * upstream-documented range, adds the account's view when given a client, and orders the in-place upgrade.
 */
import * as fs from "fs";
import type { StackGraph } from "../../tooling/offline/harness";
import { Manifest, kubeVersion, releaseSpecs } from "../../tooling/offline/render";
import { knownCrds, loadSwagger, schemaValidator, swaggerFile } from "../../tooling/offline/schemas";
import { Say, renderOffline } from "../offline-stack";
import { AccountView, EksClientLike, accountView } from "./account";
import { ApiCatalog, apiCatalog, apiFindings, describeObject, removedApis } from "./apis";
import { kubeVersionVerdicts } from "./charts";
import { compatibilityFindings } from "./compatibility";
import { Finding, blocking, warnings } from "./findings";
import { PlanStep, upgradePlan } from "./plan";
import { upgradeTarget } from "./target";

/** A check that cannot run (a bad `--to`, a reference file missing): exit 2, with what to do. */
export class CannotCheck extends Error {}

export interface CheckOptions {
    /** `--to`; the next minor after the stack's version when absent. */
    to?: string;
    /** The stack file as the user names it, for the plan's config changes (`Pulumi.dev.yaml`). */
    stackFile: string;
    region: string;
    /** The account's client (credentials found), or why the account checks are skipped. */
    account: { client: EksClientLike } | { skipped: string };
    /** Folders of `<chart>-<version>` (the reference and the pull cache unless told). */
    chartDirs?: string[];
    /** Progress (stderr in the command; silent in tests). */
    say?: Say;
}

export interface Section {
    title: string;
    findings: Finding[];
}

export interface CheckReport {
    stack: string;
    clusterName: string;
    region: string;
    current: string;
    target: string;
    sections: Section[];
    /** Why the account checks did not run; undefined when they did. */
    accountSkipped?: string;
    plan: PlanStep[];
    /** 0: nothing blocks; 1: something does. */
    exitCode: 0 | 1;
}

const catalogs = new Map<string, ApiCatalog>();
function catalog(version: string): ApiCatalog {
    if (!fs.existsSync(swaggerFile(version))) {
        throw new CannotCheck(
            `no Kubernetes ${version} schema at ${swaggerFile(version)}: put the OpenAPI v2 document of Kubernetes ${version} there ` +
                `(api/openapi-spec/swagger.json of kubernetes/kubernetes branch release-${version}; ../shared/reference/SOURCES.md says how the others were taken)`,
        );
    }
    if (!catalogs.has(version)) catalogs.set(version, apiCatalog(loadSwagger(version), version));
    return catalogs.get(version)!;
}

/** The whole check of one stack; throws CannotCheck when it cannot run. */
export async function upgradeCheck(graph: StackGraph, options: CheckOptions): Promise<CheckReport> {
    const say = options.say ?? (() => undefined);
    const current = kubeVersion(graph);
    const resolved = upgradeTarget(current, options.to);
    if (!resolved.ok) throw new CannotCheck(`${graph.stack}: ${resolved.error}`);
    const target = resolved.target;
    const [from, to] = [catalog(current), catalog(target)];

    const releases = releaseSpecs(graph);
    const verdicts = kubeVersionVerdicts(releases, target, options.chartDirs);
    const excluded = new Set(verdicts.filter((v) => v.excluded).map((v) => v.release.releaseName));
    const validator = schemaValidator(target);
    const rendered = await renderOffline(graph, validator, say, { kubeVersion: target, chartDirs: options.chartDirs, include: (spec) => !excluded.has(spec.releaseName) });

    const apis = apiFindings(rendered.manifests, to, from, knownCrds());
    const named = new Set(apis.map((f) => f.subject));
    const schema = schemaFindings(rendered.manifests.filter((m) => !named.has(describeObject(m))), target, validator.errors.bind(validator));
    const removed = removedApis(from, to);

    const accountSkipped = "skipped" in options.account ? options.account.skipped : undefined;
    const clusterName: string = graph.one("aws:eks/cluster:Cluster").inputs.name;
    let account: AccountView | undefined;
    if ("client" in options.account) {
        say(`${graph.stack}: asking EKS in ${options.region} about ${target} (add-on builds, upgrade insights of ${clusterName}) ...`);
        const addons = graph.ofType("aws:eks/addon:Addon").map((a) => String(a.inputs.addonName));
        account = await accountView(options.account.client, { region: options.region, clusterName, addons: [...new Set(addons)].sort(), current, target });
    }

    const objects = `${rendered.manifests.length} objects of ${rendered.releases.length} releases and the program`;
    const sections: Section[] = [
        { title: `Schema: rendered with --kube-version ${target}, validated against swagger-${target}.json`, findings: orOk(schema, "all", `${objects} pass`) },
        {
            title: `APIs: ${target} against ${current} (${removed.length > 0 ? `${target} stops serving ${removed.join(", ")}` : `${target} stops serving nothing ${current} serves`})`,
            findings: orOk(apis, "all", "no object uses a removed, unserved, deprecated or pre-GA API"),
        },
        { title: "Chart kubeVersion constraints (Chart.yaml, subcharts too)", findings: verdicts.flatMap((v) => v.findings) },
        { title: "Upstream-documented compatibility (components/versions.ts CHART_COMPATIBILITY)", findings: compatibilityFindings(releases, target) },
    ];
    if (account) sections.push({ title: `Account: EKS in ${options.region}`, findings: account.findings });
    const blockers = sections.flatMap((s) => blocking(s.findings));
    const plan = upgradePlan({ graph, stackFile: options.stackFile, region: options.region, current, target, addonBuilds: account?.addonBuilds, blocking: blockers });
    return { stack: graph.stack, clusterName, region: options.region, current, target, sections, accountSkipped, plan, exitCode: blockers.length > 0 ? 1 : 0 };
}

/** An `ok` line standing for a section with nothing to report. */
const orOk = (findings: Finding[], subject: string, message: string): Finding[] => (findings.length > 0 ? findings : [{ severity: "ok", subject, message }]);

/**
 * Schema errors by object (its JSON) and version, once per process: a second check of a stack (tests run
 * several) validates nothing again. The validator only ever gains CRDs, which renders of the same charts add first.
 */
const validated = new Map<string, Map<string, string[]>>();

/** Objects the target's API server would refuse (unknown fields, wrong types, CRD rules). */
function schemaFindings(manifests: readonly Manifest[], target: string, errors: (o: Manifest["object"]) => string[]): Finding[] {
    if (!validated.has(target)) validated.set(target, new Map());
    const seen = validated.get(target)!;
    return manifests.flatMap((m): Finding[] => {
        const key = JSON.stringify(m.object);
        if (!seen.has(key)) seen.set(key, errors(m.object));
        const problems = seen.get(key)!;
        if (problems.length === 0) return [];
        const fix = m.source === "program" ? "change the object in the component that creates it (components/)" : `change the release's values, or bump the chart of release ${m.source} (components/versions.ts CHARTS) to a version that renders valid objects for ${target}`;
        return [{ severity: "block", subject: describeObject(m), message: `Kubernetes ${target} would refuse it: ${problems.join("; ")}`, fix }];
    });
}

const LABEL = { block: "BLOCK", warn: "WARN ", ok: "ok   " } as const;

/** The report as printed: sections, the plan, and a last line saying whether anything blocks. */
export function formatReport(r: CheckReport): string {
    const lines = [`Upgrade check of stack ${r.stack}: Kubernetes ${r.current} -> ${r.target}, cluster ${r.clusterName} in ${r.region}`];
    for (const s of r.sections) {
        lines.push("", s.title);
        for (const f of s.findings) {
            lines.push(`  ${LABEL[f.severity]}  ${f.subject === "all" ? "" : `${f.subject}: `}${f.message}`);
            if (f.fix && f.severity !== "ok") lines.push(`         fix: ${f.fix}`);
        }
    }
    if (r.accountSkipped) lines.push("", `Account: skipped, ${r.accountSkipped}; add-on builds and upgrade insights are not checked`);
    lines.push("", `Upgrade plan, in place (${r.current} -> ${r.target})`);
    r.plan.forEach((step, i) => lines.push(`  ${i + 1}. ${step.title}: ${step.detail}`, `     change: ${step.change}`));
    const blocks = r.sections.flatMap((s) => blocking(s.findings)).length;
    const warns = r.sections.flatMap((s) => warnings(s.findings)).length;
    const tail = `${warns} warning${warns === 1 ? "" : "s"}`;
    lines.push("", blocks > 0 ? `BLOCKED: ${blocks === 1 ? "1 finding blocks" : `${blocks} findings block`} the upgrade to ${r.target} (${tail}); fix ${blocks === 1 ? "it" : "them"} first` : `READY: nothing blocks the upgrade to ${r.target} (${tail})`);
    return `${lines.join("\n")}\n`;
}

import { Validator } from "@cfworker/json-schema";
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { CHARTS, IMAGES } from "../components/versions";
import { projectRoot } from "../tooling/offline/paths";
import { Extracted, defaultFilePatterns, extract, ignored, matchesAny, renovateSchema } from "./support/renovate";

const config = JSON.parse(fs.readFileSync(path.join(projectRoot, "renovate.json"), "utf8"));
const VERSIONS = "components/versions.ts";

/** Every file of the repository (no node_modules, .git or build output), `/`-separated and relative. */
function repositoryFiles(dir = projectRoot): string[] {
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
        if ([".git", "node_modules", ".build"].includes(e.name)) return [];
        const full = path.join(dir, e.name);
        return e.isDirectory() ? repositoryFiles(full) : [path.relative(projectRoot, full).split(path.sep).join("/")];
    });
}

/** The files a manager reads: its patterns select them and ignorePaths leaves them. */
const filesOf = (patterns: string[]): string[] => repositoryFiles().filter((f) => matchesAny(patterns, f) && !ignored(config.ignorePaths ?? [], f));

/** What the custom managers extract from `file` (its text, or `text` in its place). */
const extractedFrom = (file: string, text = fs.readFileSync(path.join(projectRoot, file), "utf8")): Extracted[] =>
    (config.customManagers as any[]).filter((m) => matchesAny(m.managerFilePatterns, file)).flatMap((m) => extract(m, text));

/** The pins of components/versions.ts as Renovate must see them: classic charts from their repository, OCI charts and images as registry tags. */
function expectedPins(charts: Record<string, { chart: string; repo?: string; version: string }> = CHARTS, images: Record<string, { repository: string; tag: string }> = IMAGES): Extracted[] {
    return [
        ...Object.values(charts).map((c) =>
            c.chart.startsWith("oci://")
                ? { depName: c.chart.slice("oci://".length), currentValue: c.version, datasource: "docker" }
                : { depName: c.chart, currentValue: c.version, datasource: "helm", registryUrl: c.repo },
        ),
        ...Object.values(images).map((i) => ({ depName: i.repository, currentValue: i.tag, datasource: "docker" })),
    ];
}
const sorted = (deps: Extracted[]) => [...deps].sort((a, b) => `${a.depName}@${a.currentValue}`.localeCompare(`${b.depName}@${b.currentValue}`));

/** `uses: owner/repo[/path]@<40 hex> # vX.Y.Z`: the form Renovate's github-actions manager pins and updates, SHA and comment together. */
const PINNED_USES = /^\s*(?:-\s+)?uses:\s*([\w.-]+\/[\w.\/-]+)@([0-9a-f]{40})\s+#\s*(v\d+\.\d+\.\d+)\s*$/;

describe("Renovate configuration (renovate.json)", () => {
    let schema: any;
    before(function () {
        this.timeout(120000);
        schema = renovateSchema();
    });

    it("is valid against the JSON schema Renovate publishes, and uses no option the schema does not know", () => {
        const result = new Validator(schema, "7", false).validate(config);
        expect(result.errors.map((e) => `${e.instanceLocation}: ${e.error}`)).to.deep.equal([]);
        // The schema lets unknown keys through; Renovate's validator refuses them (a typo is silently no rule).
        expect(unknownOptions(config, schema)).to.deep.equal([]);
        expect(unknownOptions({ ...config, packageRules: [{ matchPackageNames: ["x"], groupNam: "x" }] }, schema)).to.deep.equal(["packageRules[0].groupNam"]);
        expect(new Validator(schema, "7", false).validate({ ...config, minimumReleaseAge: 3 }).valid).to.equal(false);
    });

    it("extracts every chart and image pin of components/versions.ts with its datasource, name, version and repository", () => {
        expect(sorted(extractedFrom(VERSIONS))).to.deep.equal(sorted(expectedPins()));
        expect(Object.keys(CHARTS).length + Object.keys(IMAGES).length).to.equal(expectedPins().length);
    });

    it("would miss, and so fail on, a pin written in a form its patterns do not read", () => {
        const text = fs.readFileSync(path.join(projectRoot, VERSIONS), "utf8");
        const added = text.replace(
            "} as const satisfies Record<string, ChartPin>;",
            '    newChart: { repo: "https://charts.example.com", chart: "new-chart", version: "1.0.0" },\n} as const satisfies Record<string, ChartPin>;',
        );
        expect(added).to.not.equal(text);
        const withNew = { ...CHARTS, newChart: { chart: "new-chart", repo: "https://charts.example.com", version: "1.0.0" } };
        expect(sorted(extractedFrom(VERSIONS, added))).to.not.deep.equal(sorted(expectedPins(withNew)));
        // Written as the others are, it is found.
        const same = text.replace(
            "} as const satisfies Record<string, ChartPin>;",
            '    newChart: { chart: "new-chart", repo: "https://charts.example.com", version: "1.0.0" },\n} as const satisfies Record<string, ChartPin>;',
        );
        expect(sorted(extractedFrom(VERSIONS, same))).to.deep.equal(sorted(expectedPins(withNew)));
    });

    it("bumps the Renovate release the schema check reads", () => {
        const deps = extractedFrom("tests/support/renovate.ts");
        expect(deps).to.have.length(1);
        expect(deps[0]).to.include({ depName: "renovate", datasource: "npm" });
        expect(deps[0].currentValue).to.match(/^\d+\.\d+\.\d+$/);
    });

    it("reads every action pin of the platform's and the templates' workflows: each a full SHA with its release, in a file the github-actions manager reads", () => {
        expect(config.enabledManagers).to.include("github-actions");
        const files = filesOf(defaultFilePatterns("github-actions"));
        const workflows = repositoryFiles().filter((f) => /(^|\/)\.github\/workflows\/[^/]+\.ya?ml$/.test(f));
        expect(files).to.include.members(workflows);
        expect(workflows).to.include.members([".github/workflows/drift.yml", "templates/service/.github/workflows/release.yml"]);
        const problems: string[] = [];
        let pins = 0;
        for (const file of workflows) {
            for (const line of fs.readFileSync(path.join(projectRoot, file), "utf8").split("\n").filter((l) => /^\s*(-\s+)?uses:/.test(l))) {
                if (/uses:\s*\.\//.test(line)) continue;
                if (PINNED_USES.test(line)) pins++;
                else problems.push(`${file}: ${line.trim()}`);
            }
        }
        expect(problems).to.deep.equal([]);
        expect(pins).to.be.greaterThan(10);
        expect(PINNED_USES.test("      - uses: actions/checkout@v6")).to.equal(false);
        const github = (config.packageRules as any[]).find((r) => (r.matchManagers ?? []).includes("github-actions"));
        expect(github?.pinDigests).to.equal(true);
    });

    it("reads the template Dockerfile's digest-pinned base images, .nvmrc and every package.json", () => {
        expect(config.enabledManagers).to.include.members(["dockerfile", "nvm", "npm"]);
        const dockerfiles = filesOf(defaultFilePatterns("dockerfile"));
        expect(dockerfiles).to.include("templates/service/Dockerfile");
        for (const file of dockerfiles) {
            const froms = fs.readFileSync(path.join(projectRoot, file), "utf8").split("\n").filter((l) => /^FROM\s/i.test(l));
            expect(froms.length, file).to.be.greaterThan(0);
            for (const from of froms) expect(from, file).to.match(/^FROM\s+[\w./-]+:[\w.-]+@sha256:[0-9a-f]{64}(\s+AS\s+\w+)?$/);
        }
        expect(filesOf(defaultFilePatterns("nvm"))).to.deep.equal([".nvmrc"]);
        const packages = repositoryFiles().filter((f) => /(^|\/)package\.json$/.test(f));
        expect(filesOf(defaultFilePatterns("npm"))).to.include.members(packages);
        expect(packages).to.include.members(["package.json", "templates/service/package.json"]);
    });

    it("moves a chart and its CRD chart (Karpenter), and Velero with its plugin, in one pull request each", () => {
        const groupOf = (name: string): string | undefined =>
            (config.packageRules as any[]).filter((r) => r.groupName && (r.matchPackageNames ?? []).includes(name)).map((r) => r.groupName)[0];
        const depName = (key: keyof typeof CHARTS) => expectedPins({ [key]: CHARTS[key] } as any, {})[0].depName;
        // Every `<name>Crd` chart with its `<name>` chart.
        const pairs = Object.keys(CHARTS).filter((k) => k.endsWith("Crd")).map((k) => [k.slice(0, -3), k] as const);
        expect(pairs).to.deep.equal([["karpenter", "karpenterCrd"]]);
        for (const [chart, crd] of pairs) {
            expect(groupOf(depName(chart as keyof typeof CHARTS)), chart).to.be.a("string");
            expect(groupOf(depName(chart as keyof typeof CHARTS))).to.equal(groupOf(depName(crd as keyof typeof CHARTS)));
        }
        expect(groupOf(depName("velero"))).to.be.a("string").and.equal(groupOf(IMAGES.veleroPluginForAws.repository));
    });

    it("never merges by itself, runs on a schedule, and tells a chart bump's author what it needs", () => {
        const automerges = (rules: any[]) => rules.filter((r) => r.automerge === true);
        expect(config.automerge).to.equal(false);
        expect(automerges(config.packageRules)).to.deep.equal([]);
        expect(config.schedule).to.be.an("array").with.length.greaterThan(0);
        const note = (config.packageRules as any[]).find((r) => (r.matchFileNames ?? []).includes(VERSIONS) && r.prBodyNotes);
        expect(note?.prBodyNotes.join(" ")).to.include("../shared/reference/").and.include("EKS_PLATFORM_REQUIRE_REFERENCE=1 npm test");
    });
});

/** Options of `value` (and of its packageRules and customManagers) that the schema does not define, as paths. */
function unknownOptions(value: Record<string, unknown>, schema: any): string[] {
    const known = (definition: any): Set<string> => new Set((definition.items?.allOf ?? [definition.items]).flatMap((s: any) => Object.keys(s?.properties ?? {})));
    const top = new Set(Object.keys(schema.properties));
    const nested: Record<string, Set<string>> = { packageRules: known(schema.definitions.packageRules), customManagers: known(schema.definitions.customManagers) };
    const problems = Object.keys(value).filter((k) => !top.has(k) && k !== "$schema");
    for (const [key, allowed] of Object.entries(nested)) {
        ((value[key] as Record<string, unknown>[] | undefined) ?? []).forEach((item, i) => {
            for (const k of Object.keys(item)) if (!allowed.has(k) && !top.has(k)) problems.push(`${key}[${i}].${k}`);
        });
    }
    return problems;
}

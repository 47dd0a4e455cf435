import { expect } from "chai";
import { CHARTS, KUBERNETES_VERSIONS } from "../components/versions";
import { eksClient } from "../scripts/upgrade-check/account";
import { apiCatalog, apiFindings } from "../scripts/upgrade-check/apis";
import { helmAdmits } from "../scripts/upgrade-check/charts";
import { CheckReport, formatReport, upgradeCheck } from "../scripts/upgrade-check/check";
import { runCli } from "../scripts/upgrade-check/cli";
import { compatibilityFindings } from "../scripts/upgrade-check/compatibility";
import { Finding } from "../scripts/upgrade-check/findings";
import { upgradePlan } from "../scripts/upgrade-check/plan";
import { upgradeTarget } from "../scripts/upgrade-check/target";
import { StackGraph, stackGraph } from "../tooling/offline/harness";
import { chartSearchDirs } from "../tooling/offline/helm";
import { projectRoot } from "../tooling/offline/paths";
import { K8sObject, Manifest } from "../tooling/offline/render";
import { loadSwagger } from "../tooling/offline/schemas";
import { stackFileConfig } from "../tooling/offline/stack-files";
import { beforeBuilding } from "./support/build-hook";
import { requireReference } from "./support/reference";
import { FIXTURE_CHARTS, recordedEks, withRelease } from "./support/upgrade-check";
import { stackNames } from "./support/stacks";

/** `npm run upgrade-check` (README, "Upgrading Kubernetes"): the real stack files against 1.36, fixtures that must block, the account's view. */
const TARGET = "1.36";
/** Every stack file of the project (a user's added stack too), each checked against the minor after its own version. */
const STACKS = stackNames(projectRoot);
const versionOf = (stack: string) => String(stackFileConfig(stack, projectRoot)["eks-platform:kubernetesVersion"] ?? KUBERNETES_VERSIONS.default);
const nextMinor = (version: string) => `1.${Number(version.split(".")[1]) + 1}`;
/** The file's next minor when this program supports it; undefined when the file is on the newest already. */
const targetOf = (stack: string) => {
    const next = nextMinor(versionOf(stack));
    return Number(next.split(".")[1]) <= Number(KUBERNETES_VERSIONS.newestSupported.split(".")[1]) ? next : undefined;
};
const all = (r: CheckReport): Finding[] => r.sections.flatMap((s) => s.findings);
const ofSeverity = (r: CheckReport, severity: Finding["severity"]) => all(r).filter((f) => f.severity === severity);

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
    let out = "";
    const err: string[] = [];
    const code = await runCli(args, { out: (t) => (out += t), err: (l) => err.push(l) });
    return { code, out, err: err.join("\n") };
}

describe(`npm run upgrade-check: the stack files against Kubernetes ${TARGET}, offline`, () => {
    const runs: Record<string, { code: number; out: string; err: string }> = {};
    beforeBuilding(async function () {
        requireReference(this);
        for (const stack of STACKS) {
            const target = targetOf(stack);
            runs[stack] = await cli(target ? [stack, "--to", target, "--offline"] : [stack, "--offline"]);
        }
        // The step order is the fixture's (karpenter mode, cluster eks-dev): the shipped files are the user's to change.
        runs.fixtureDev = await cli(["dev", "--to", TARGET, "--offline", "--fixtures"]);
    });

    for (const stack of STACKS) {
        it(`${stack}: a clean report (exit 0, nothing blocks) whose plan names the file's own cluster, version and AMI alias`, () => {
            const { code, out, err } = runs[stack];
            const config = stackFileConfig(stack, projectRoot);
            const target = targetOf(stack);
            if (!target) {
                // A file already on the newest version this program knows: nothing to upgrade to, said plainly.
                expect(code).to.equal(2);
                expect(err).to.include(`${KUBERNETES_VERSIONS.newestSupported} is the newest it knows`);
                return;
            }
            expect(out, out).to.match(new RegExp(`^READY: nothing blocks the upgrade to ${target.replace(".", "\\.")}`, "m"));
            expect(out).to.not.match(/^ {2}BLOCK/m);
            expect(code).to.equal(0);
            expect(out).to.include(`cluster ${config["eks-platform:clusterName"]} in ${config["aws:region"]}`);
            expect(out).to.include(`set \`eks-platform:kubernetesVersion: "${target}"\` in Pulumi.${stack}.yaml (now "${versionOf(stack)}")`);
            expect(out).to.include("Account: skipped, offline run (--offline)");
            if (config["eks-platform:computeMode"] === "auto") {
                // Auto Mode patches its nodes itself: no alias to name, nothing to change.
                expect(out).to.include("Auto Mode nodes (the built-in system pool").and.include("change: no config change: Auto Mode chooses and patches its node AMIs itself");
                return;
            }
            const alias = String(config["eks-platform:karpenterAmiAlias"] ?? "al2023@latest");
            const karpenter = out.split("\n").findIndex((l) => l.includes(`karpenterAmiAlias ${alias}`));
            expect(karpenter, "the Karpenter step names the file's alias").to.be.greaterThan(0);
            const change = out.split("\n")[karpenter + 1];
            if (alias.endsWith("@latest")) expect(change).to.equal("     change: no config change");
            else expect(change).to.include(`set \`eks-platform:karpenterAmiAlias: al2023@v<release>\` in Pulumi.${stack}.yaml to a release built for ${target}`);
        });
    }

    it("plans an Auto Mode stack's upgrade without a node group or Karpenter: the control plane, its add-ons, then Auto Mode's own node replacement", async () => {
        const auto = await stackGraph("auto");
        const steps = upgradePlan({ graph: auto, stackFile: "Pulumi.auto.yaml", region: "us-west-2", current: "1.35", target: TARGET, blocking: [] });
        expect(steps.map((s) => s.title)).to.deep.equal(["Control plane", "Managed add-ons", "Auto Mode nodes (the built-in system pool, NodePool default)", "Other changes"]);
        expect(steps[1].detail).to.include("snapshot-controller").and.include("Auto Mode's built-in system pool runs them");
        expect(steps[2].change).to.equal("no config change: Auto Mode chooses and patches its node AMIs itself");
    });

    it("tells a stack on EXTENDED support to return to STANDARD once upgraded", async () => {
        const dev = await stackGraph("dev");
        const extended = { ...dev, one: (type: string, name?: string) => (type === "aws:eks/cluster:Cluster" ? { ...dev.one(type), inputs: { ...dev.one(type).inputs, upgradePolicy: { supportType: "EXTENDED" } } } : dev.one(type, name)) };
        const last = upgradePlan({ graph: extended, stackFile: "Pulumi.dev.yaml", region: "us-west-2", current: "1.35", target: TARGET, blocking: [] }).pop()!;
        expect(last.change).to.equal("once on 1.36, set `eks-platform:clusterSupportType: STANDARD` in Pulumi.dev.yaml again (EXTENDED costs 6x the control-plane price once a version leaves standard support)");
        expect(upgradePlan({ graph: dev, stackFile: "Pulumi.dev.yaml", region: "us-west-2", current: "1.35", target: TARGET, blocking: [] }).pop()!.change).to.equal("none besides kubernetesVersion");
    });

    it("lists the steps in the order EKS and Pulumi apply them: control plane, node add-ons, system nodes, add-ons on them, Karpenter nodes", () => {
        const steps = runs.fixtureDev.out.split("\n").filter((l) => /^ {2}\d\. /.test(l)).map((l) => l.replace(/^ {2}\d\. ([^:(]+).*$/, "$1").trim());
        expect(steps).to.deep.equal(["Control plane", "Managed add-ons the nodes need", "System node group eks-dev-system", "Managed add-ons on the system nodes", "Karpenter nodes", "Other changes"]);
    });
});

describe("npm run upgrade-check: what blocks an upgrade", () => {
    let dev: StackGraph;
    const chartDirs = [FIXTURE_CHARTS, ...chartSearchDirs()];
    const offline = { stackFile: "Pulumi.dev.yaml", region: "us-west-2", account: { skipped: "test" }, chartDirs, to: TARGET };
    beforeBuilding(async function () {
        requireReference(this);
        dev = await stackGraph("dev");
    });

    /** The check of the dev stack plus one fixture-chart release: exit 1 and exactly one blocking finding, returned. */
    async function theBlocker(name: string, chart: string): Promise<{ report: CheckReport; blocker: Finding }> {
        const report = await upgradeCheck(withRelease(dev, { name, namespace: "upgrade-check", chart, version: "0.1.0" }), offline);
        expect(report.exitCode).to.equal(1);
        const blockers = ofSeverity(report, "block");
        expect(blockers).to.have.length(1);
        return { report, blocker: blockers[0] };
    }

    it(`fails on an object of an API ${TARGET} removes, naming the object, its release and the version to use`, async function () {
        this.timeout(120_000);
        const { report, blocker } = await theBlocker("removed-api", "upgrade-removed-api");
        expect(blocker).to.deep.equal({
            severity: "block",
            subject: "Workload upgrade-check/training (scheduling.k8s.io/v1alpha1, release removed-api)",
            message: `Kubernetes ${TARGET} does not serve scheduling.k8s.io/v1alpha1 Workload (Kubernetes 1.35 still serves it: the upgrade removes it)`,
            fix: `bump the chart of release removed-api (components/versions.ts CHARTS) to a version that does: render it as scheduling.k8s.io/v1alpha2 Workload, the version ${TARGET} serves`,
        });
        const text = formatReport(report);
        expect(text).to.match(/^BLOCKED: 1 finding blocks the upgrade to 1\.36 \(\d+ warnings?\); fix it first$/m);
        expect(text).to.include("6. Other changes: what the findings above and the stack's support policy need");
    });

    it(`fails on an object the ${TARGET} schema refuses, naming it and what to change`, async function () {
        this.timeout(120_000);
        const { blocker } = await theBlocker("invalid", "upgrade-invalid");
        expect(blocker).to.deep.equal({
            severity: "block",
            subject: "ConfigMap upgrade-check/settings (v1, release invalid)",
            message: `Kubernetes ${TARGET} would refuse it: #/spec False boolean schema.`,
            fix: `change the release's values, or bump the chart of release invalid (components/versions.ts CHARTS) to a version that renders valid objects for ${TARGET}`,
        });
    });

    it(`fails on a chart whose kubeVersion excludes ${TARGET}, naming the release, the chart and the fix, without asking Helm to render it`, async function () {
        this.timeout(120_000);
        const { blocker } = await theBlocker("old-kube", "upgrade-old-kube");
        expect(blocker).to.deep.equal({
            severity: "block",
            subject: "release old-kube: chart upgrade-old-kube 0.1.0",
            message: `kubeVersion ">=1.25.0-0 <1.36.0-0" excludes Kubernetes ${TARGET}: Helm refuses to install it`,
            fix: `bump the chart of release old-kube to a version whose kubeVersion admits ${TARGET}`,
        });
    });

    it("refuses a target it cannot check: a jump of two minors, a version outside KUBERNETES_VERSIONS, the current one (exit 2, saying what is allowed)", async () => {
        expect(upgradeTarget("1.35")).to.deep.equal({ ok: true, target: "1.36" });
        expect(upgradeTarget("1.34", "1.36")).to.deep.include({ error: "--to 1.36: EKS upgrades one minor version at a time; check and upgrade to 1.35 first, then to the next" });
        expect(upgradeTarget("1.35", "1.37")).to.deep.include({ error: `--to 1.37 is outside the versions this program supports, ${KUBERNETES_VERSIONS.oldestSupported} to ${KUBERNETES_VERSIONS.newestSupported} (components/versions.ts KUBERNETES_VERSIONS); choose one of those` });
        expect(upgradeTarget("1.36")).to.deep.include({ error: "the version after the stack's 1.36 is 1.37, which is outside the versions this program supports, 1.32 to 1.36 (components/versions.ts KUBERNETES_VERSIONS); 1.36 is the newest it knows" });
        expect(upgradeTarget("1.35", "1.35")).to.have.property("error").that.includes("already runs Kubernetes 1.35");
        expect(upgradeTarget("1.35", "1.34")).to.have.property("error").that.includes("cannot downgrade");
        expect(upgradeTarget("1.35", "v1.36")).to.have.property("error").that.includes("of the form 1.NN");
        const run = await cli(["dev", "--to", "1.34", "--offline"]);
        expect(run.code).to.equal(2);
        expect(run.err).to.include("dev: --to 1.34: EKS cannot downgrade a cluster");
        expect((await cli(["--to", "1.36"])).err).to.match(/^which stack\?/);
        expect((await cli(["nosuch"])).code).to.equal(2);
    });
});

describe("npm run upgrade-check: the account's view (recorded EKS responses)", () => {
    let dev: StackGraph;
    const options = (client: ReturnType<typeof recordedEks>) => ({ stackFile: "Pulumi.dev.yaml", region: "us-west-2", account: { client }, to: TARGET });
    beforeBuilding(async function () {
        requireReference(this);
        dev = await stackGraph("dev");
    });

    it("asks for EKS's default build of every managed add-on for the target and the cluster's upgrade insights; an ERROR insight blocks with its APIs, clients and fix", async function () {
        this.timeout(120_000);
        const eks = recordedEks("eks-dev");
        const report = await upgradeCheck(dev, options(eks));
        // The add-ons the stack itself installs (an Auto Mode stack, or one without Velero, installs fewer).
        const installed = [...new Set(dev.ofType("aws:eks/addon:Addon").map((a) => String(a.inputs.addonName)))];
        expect(installed).to.include("vpc-cni");
        expect(eks.calls.filter((c) => c.startsWith("DescribeAddonVersions ")).sort()).to.deep.equal(installed.map((a) => `DescribeAddonVersions ${a} 1.36`).sort());
        expect(eks.calls).to.include.members([
            'ListInsights eks-dev {"categories":["UPGRADE_READINESS"],"kubernetesVersions":["1.36"]}',
            "DescribeInsight a1b2c3d4-5e6f-4a7b-8c9d-0e1f2a3b4c5d",
        ]);
        expect(eks.calls, "a passing insight needs no details").to.not.include("DescribeInsight b2c3d4e5-6f7a-4b8c-9d0e-1f2a3b4c5d6e");
        const account = report.sections.find((s) => s.title === "Account: EKS in us-west-2")!.findings;
        expect(account).to.deep.include({ severity: "ok", subject: "managed add-on vpc-cni", message: "EKS's default build for 1.36 is v1.21.1-eksbuild.3" });
        expect(ofSeverity(report, "block")).to.deep.equal([
            {
                severity: "block",
                subject: 'upgrade insight "Deprecated APIs removed in Kubernetes v1.36" (a1b2c3d4-5e6f-4a7b-8c9d-0e1f2a3b4c5d)',
                message:
                    "ERROR: Deprecated API usage detected within last 30 days and your cluster is on Kubernetes v1.35.; /apis/scheduling.k8s.io/v1alpha1/workloads stops being served in 1.36; use /apis/scheduling.k8s.io/v1alpha2/workloads; " +
                    "called by argocd-application-controller (412 requests in 30 days); resources: /apis/scheduling.k8s.io/v1alpha1/namespaces/ml/workloads/training",
                fix: "Update manifests and API clients to use newer Kubernetes APIs if applicable before upgrading to Kubernetes v1.36.; Kubernetes API deprecation guide: https://kubernetes.io/docs/reference/using-api/deprecation-guide/",
            },
        ]);
        expect(ofSeverity(report, "warn").map((f) => f.subject)).to.include('upgrade insight "Cluster health issues" (c3d4e5f6-7a8b-4c9d-0e1f-2a3b4c5d6e7f)');
        expect(report.exitCode).to.equal(1);
        expect(formatReport(report)).to.include("2. Managed add-ons the nodes need: kube-proxy (v1.36.0-eksbuild.4), eks-pod-identity-agent (v1.3.10-eksbuild.1), vpc-cni (v1.21.1-eksbuild.3)");
    });

    it("blocks when EKS has no build of a managed add-on for the target (the preflight's judgement), and passes a cluster that does not exist yet", async function () {
        this.timeout(120_000);
        const eks = recordedEks("not-this-cluster", (r) => r.addons.coredns.addons[0].addonVersions.forEach((v: any) => (v.compatibilities[0].clusterVersion = "1.35")));
        const report = await upgradeCheck(dev, options(eks));
        expect(ofSeverity(report, "block")).to.deep.equal([
            {
                severity: "block",
                subject: "managed add-on(s) coredns",
                message: "EKS in us-west-2 has no build of the managed add-on(s) coredns for Kubernetes 1.36 yet",
                fix: "stay on 1.35 until EKS publishes one (the preflight of `pulumi preview` stops the upgrade too)",
            },
        ]);
        expect(all(report)).to.deep.include({ severity: "ok", subject: "cluster eks-dev", message: "does not exist in us-west-2: no upgrade insights (a new cluster is created at the configured version)" });
    });

    it("without credentials says in one line that the account checks were skipped and why", async function () {
        this.timeout(60_000);
        const saved = Object.fromEntries(Object.entries(process.env).filter(([k]) => k.startsWith("AWS_")));
        try {
            for (const k of Object.keys(process.env)) if (k.startsWith("AWS_")) delete process.env[k];
            Object.assign(process.env, { AWS_EC2_METADATA_DISABLED: "true", AWS_SHARED_CREDENTIALS_FILE: "/nonexistent/credentials", AWS_CONFIG_FILE: "/nonexistent/config" });
            const found = await eksClient("us-west-2");
            expect(found).to.have.property("skipped").that.match(/^no AWS credentials from the SDK's default chain \(.+\)$/);
        } finally {
            for (const k of Object.keys(process.env)) if (k.startsWith("AWS_")) delete process.env[k];
            Object.assign(process.env, saved);
        }
        let text = "";
        const run = await runCli(["dev", "--to", TARGET], { out: (t) => (text += t), err: () => undefined, account: async () => ({ skipped: "no AWS credentials from the SDK's default chain (test)" }) });
        expect(run).to.equal(0);
        expect(text.split("\n").filter((l) => l.startsWith("Account"))).to.deep.equal(["Account: skipped, no AWS credentials from the SDK's default chain (test); add-on builds and upgrade insights are not checked"]);
    });
});

describe("npm run upgrade-check: the rules it applies", () => {
    it("reads kubeVersion as Helm does: a pre-release (EKS's v1.36.N-eks-…) passes only comparators that carry a pre-release themselves", () => {
        const cases: [string, string, boolean][] = [
            [">=1.25.0-0", "1.36.0", true],
            [">=1.25.0-0", "1.36.0-eks-0000000", true],
            ["^1.25.0-0", "1.36.0-eks-0000000", true],
            [">= 1.19.0-0", "1.36.0-eks-0000000", true],
            [">=1.25.0", "1.36.0", true],
            [">=1.25.0", "1.36.0-eks-0000000", false],
            [">=1.25.0-0 <1.37", "1.36.0-eks-0000000", false],
            [">=1.25.0-0 <1.36.0-0", "1.36.0", false],
            ["<1.30.0-0 || >=1.34.0-0", "1.36.0-eks-0000000", true],
        ];
        expect(cases.map(([c, v]) => [c, v, helmAdmits(c, v)])).to.deep.equal(cases);
    });

    it("holds the target to each chart's upstream-documented range: outside a supported range blocks, outside a tested one warns", () => {
        const releases = Object.values(CHARTS);
        const at = (target: string) => Object.fromEntries(compatibilityFindings(releases, target).map((f) => [f.subject.replace(/ .*/, ""), f.severity]));
        expect(at("1.36")).to.deep.include({ karpenter: "ok", "external-secrets": "ok", "argo-cd": "warn", "aws-for-fluent-bit": "ok" });
        expect(at("1.37")).to.deep.include({ karpenter: "block", "karpenter-crd": "block", "external-secrets": "block", "argo-cd": "warn", velero: "ok", "metrics-server": "ok" });
        expect(at("1.29")).to.deep.include({ karpenter: "block", "metrics-server": "block", "external-dns": "ok" });
        expect(compatibilityFindings(releases.filter((r) => r.chart === CHARTS.karpenter.chart), "1.37")[0].fix).to.equal(
            "bump CHARTS.karpenter to a release upstream documents for 1.37, and its CHART_COMPATIBILITY entry with the source (components/versions.ts)",
        );
    });

    it("reports removed, alpha and unserved APIs as blocking; beta APIs, deprecated kinds and deprecated CRD versions as warnings; GA ones not at all", function () {
        requireReference(this);
        const [current, target] = ["1.35", "1.36"].map((v) => apiCatalog(loadSwagger(v), v));
        const m = (apiVersion: string, kind: string, source = "app"): Manifest => ({ source, object: { apiVersion, kind, metadata: { name: "x", namespace: "n" } } });
        const crd: K8sObject = {
            apiVersion: "apiextensions.k8s.io/v1",
            kind: "CustomResourceDefinition",
            metadata: { name: "widgets.example.com" },
            spec: { group: "example.com", names: { kind: "Widget" }, versions: [{ name: "v1alpha1", served: true, deprecated: true }, { name: "v1beta1", served: false }, { name: "v1", served: true }] },
        };
        const findings = apiFindings(
            [m("policy/v1beta1", "PodDisruptionBudget"), m("scheduling.k8s.io/v1alpha1", "Workload", "program"), m("scheduling.k8s.io/v1alpha2", "Workload"), m("networking.k8s.io/v1beta1", "IPAddress"),
             m("v1", "Endpoints"), m("policy/v1", "PodDisruptionBudget"), m("autoscaling/v2", "HorizontalPodAutoscaler"), m("example.com/v1alpha1", "Widget"), m("example.com/v1beta1", "Widget"), m("example.com/v1", "Widget")],
            target,
            current,
            [crd],
        );
        expect(findings.map((f) => `${f.severity} ${f.subject}: ${f.message}`)).to.deep.equal([
            "block PodDisruptionBudget n/x (policy/v1beta1, release app): Kubernetes 1.36 does not serve policy/v1beta1 PodDisruptionBudget",
            "block Workload n/x (scheduling.k8s.io/v1alpha1, the program's own object): Kubernetes 1.36 does not serve scheduling.k8s.io/v1alpha1 Workload (Kubernetes 1.35 still serves it: the upgrade removes it)",
            "block Workload n/x (scheduling.k8s.io/v1alpha2, release app): scheduling.k8s.io/v1alpha2 is an alpha API, which EKS never enables",
            "warn IPAddress n/x (networking.k8s.io/v1beta1, release app): networking.k8s.io/v1beta1 is a beta API (off by default for new betas, removed within three releases of its GA)",
            "warn Endpoints n/x (v1, release app): Kubernetes 1.36 marks v1 Endpoints deprecated: This API is deprecated in v1.33+. Use discoveryv1.EndpointSlice.",
            "warn Widget n/x (example.com/v1alpha1, release app): its CRD widgets.example.com marks example.com/v1alpha1 deprecated",
            "block Widget n/x (example.com/v1beta1, release app): its CRD widgets.example.com does not serve example.com/v1beta1",
        ]);
        expect(findings[0].fix).to.equal("bump the chart of release app (components/versions.ts CHARTS) to a version that does: render it as policy/v1 PodDisruptionBudget, the version 1.36 serves");
        expect(findings[1].fix).to.equal("change the component that creates it (components/): render it as scheduling.k8s.io/v1alpha2 Workload, the version 1.36 serves");
    });
});

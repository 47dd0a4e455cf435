import { expect } from "chai";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import {
    JENKINSFILE,
    JENKINSFILE_DRIFT,
    Step,
    Workflow,
    actionOf,
    calledFile,
    effectivePermissions,
    isReusable,
    jobsOf,
    pinProblem,
    readWorkflow,
    resolvedWorkflow,
    stepsOf,
    upstreamJobs,
    usesLines,
    workflowErrors,
    workflowEvents,
    workflowFiles,
} from "./support/ci-access-workflows";
import { projectRoot } from "../tooling/offline/paths";
import { PROJECT, fixturesDir, stackFileConfig } from "../tooling/offline/stack-files";
import { STACKS_SCRIPT, previewLegs, stackKey, stackNames } from "./support/stacks";

const PULUMI = "pulumi/actions";
const AWS_CREDENTIALS = "aws-actions/configure-aws-credentials";
const STATIC_KEYS = /AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY|aws-access-key-id|aws-secret-access-key/i;
/** Per-stack role ARNs come from variables named by convention, keyed by the stack (`AWS_DEPLOY_ROLE_ARN_PROD`). */
const ROLE_FROM_VARS = /^\$\{\{ vars\[format\('AWS_(DEPLOY|PREVIEW)_ROLE_ARN_\{0\}', (matrix\.key|steps\.stack\.outputs\.key)\)\] \}\}$/;

/** Steps that run a pulumi command through pulumi/actions (one without `command` only installs the CLI). */
const pulumiSteps = (job: any): Step[] => stepsOf(job).filter((s) => actionOf(s) === PULUMI && s.with?.command);
/** Steps that run the Pulumi CLI themselves (drift.yml, which reads the exit code). */
const cliSteps = (job: any): Step[] => stepsOf(job).filter((s) => /\bpulumi (preview|up)\b/.test(s.run ?? ""));
/** The stack and command of a job's pulumi run, from pulumi/actions' inputs or the CLI step's STACK. */
const pulumiRun = (job: any): { stack?: string; command?: string } => {
    const action = pulumiSteps(job)[0];
    if (action) return { stack: action.with?.["stack-name"], command: action.with?.command };
    const cli = cliSteps(job)[0];
    return { stack: cli?.env?.STACK, command: /\bpulumi (preview|up)\b/.exec(cli?.run ?? "")?.[1] };
};
const credentialSteps = (job: any): Step[] => stepsOf(job).filter((s) => actionOf(s) === AWS_CREDENTIALS);
const runIndex = (job: any, command: string) => stepsOf(job).findIndex((s) => s.run?.trim() === command);
const stackOfUp = (job: any): string | undefined => pulumiSteps(job).find((s) => s.with?.command === "up")?.with?.["stack-name"];

describe("GitHub workflows", () => {
    const stacks = stackNames(projectRoot);
    let raw: Workflow[];
    /** The workflows that run on their own, with calls to pulumi-up.yml written out. */
    let entry: Workflow[];
    let preview: Workflow;
    let dev: Workflow;
    let prod: Workflow;
    /**
     * The jobs that run pulumi: preview.yml's and one per workflow calling pulumi-up.yml (deploy-dev, deploy-prod,
     * and any a user adds per README "Adding a stack"). Issue 19, Why 2: the checks below counted exactly 3.
     */
    const pulumiJobs = () => {
        const callers = raw.filter((w) => !isReusable(w)).flatMap((w) => jobsOf(w).filter(([, job]) => calledFile(job) === "pulumi-up.yml").map(([id]) => `${w.file} ${id}`));
        expect(callers, "deploy-dev.yml and deploy-prod.yml call pulumi-up.yml").to.include.members(["deploy-dev.yml up", "deploy-prod.yml up"]);
        return ["preview.yml preview", "drift.yml drift", ...callers];
    };
    before(() => {
        raw = workflowFiles().map(readWorkflow);
        entry = raw.filter((w) => !isReusable(w)).map((w) => resolvedWorkflow(w.file));
        [preview, dev, prod] = ["preview.yml", "deploy-dev.yml", "deploy-prod.yml"].map((f) => entry.find((w) => w.file === f)!);
    });

    it("are all accepted by GitHub's own workflow parser, per-stack variable lookups included", async function () {
        this.timeout(60000);
        expect(raw.map((w) => w.file)).to.include.members(["preview.yml", "deploy-dev.yml", "deploy-prod.yml", "pulumi-up.yml"]);
        for (const w of raw) expect(await workflowErrors(w.file, w.text), w.file).to.deep.equal([]);
    });

    it("would fail on what the parser rejects: bad permission values, unavailable contexts, a broken lookup", async function () {
        this.timeout(60000);
        const text = (file: string) => raw.find((w) => w.file === file)!.text;
        const edits: [string, string, string, RegExp][] = [
            ["preview.yml", "id-token: write", "id-token: writ", /./],
            ["pulumi-up.yml", "runs-on: ${{ inputs.runner }}", "runs-on: ${{ secrets.PULUMI_CONFIG_PASSPHRASE }}", /secrets/],
            ["preview.yml", "environment: ${{ matrix.environment }}", "environment: ${{ secrets.PULUMI_CONFIG_PASSPHRASE }}", /secrets/],
            ["pulumi-up.yml", "steps.stack.outputs.key)]", "steps.stack.outputs.key]", /Unexpected symbol/],
            ["preview.yml", "format('AWS_PREVIEW_ROLE_ARN_{0}'", "formatt('AWS_PREVIEW_ROLE_ARN_{0}'", /formatt/],
        ];
        for (const [file, from, to, error] of edits) {
            const broken = text(file).replace(from, to);
            expect(broken, `${file}: ${from}`).to.not.equal(text(file));
            expect((await workflowErrors(file, broken)).join("\n"), `${file}: ${to}`).to.match(error);
        }
    });

    it("previews on pull requests to main, deploys dev on pushes to main, prod only when run by hand; pulumi-up only when called", async function () {
        this.timeout(60000);
        const events = async (file: string) => workflowEvents(file, raw.find((w) => w.file === file)!.text);
        expect(await events("preview.yml")).to.deep.equal({ pull_request: { branches: ["main"] } });
        expect(await events("deploy-dev.yml")).to.deep.equal({ push: { branches: ["main"] } });
        expect(Object.keys(await events("deploy-prod.yml"))).to.deep.equal(["workflow_dispatch"]);
        expect(Object.keys(await events("pulumi-up.yml"))).to.deep.equal(["workflow_call"]);
    });

    it("previews every stack file that can run as a matrix the stack files produce, with the policy pack, commenting on the pull request", () => {
        const lister = preview.doc.jobs.stacks;
        const list = stepsOf(lister).find((s) => s.id === "list");
        expect(list?.run).to.include("node .github/scripts/stacks.js --preview").and.include("node .github/scripts/stacks.js --skipped");
        expect(list?.env).to.deep.equal({ VARS_JSON: "${{ toJSON(vars) }}" });
        expect(lister.outputs).to.deep.equal({ matrix: "${{ steps.list.outputs.matrix }}" });
        const job = preview.doc.jobs.preview;
        expect(job.needs).to.have.members(["test", "stacks"]);
        expect(job.strategy.matrix).to.equal("${{ fromJSON(needs.stacks.outputs.matrix) }}");
        expect(job["runs-on"]).to.equal("${{ matrix.runner }}");
        expect(job.environment).to.equal("${{ matrix.environment }}");
        // No leg at all (no stack with CI access) skips the job instead of failing on an empty matrix.
        expect(job.if).to.include(`needs.stacks.outputs.matrix != '{"include":[]}'`);
        const listed = (dir: string, vars: Record<string, string>) =>
            spawnSync(process.execPath, [STACKS_SCRIPT, "--preview"], { encoding: "utf8", env: { ...process.env, STACKS_DIR: dir, VARS_JSON: JSON.stringify(vars) } });
        const all = JSON.parse(listed(fixturesDir, { PROD_RUNNER_LABEL: "prod-jit", AUTO_RUNNER_LABEL: "auto-jit" }).stdout);
        expect(all.include).to.deep.equal([
            // The auto fixture: Auto Mode with CI access, a private API previewed from its own runner.
            { stack: "auto", key: "AUTO", environment: "", runner: "auto-jit" },
            { stack: "dev", key: "DEV", environment: "", runner: "ubuntu-latest" },
            { stack: "ipv6", key: "IPV6", environment: "", runner: "ubuntu-latest" },
            { stack: "prod", key: "PROD", environment: "preview-production", runner: "prod-jit" },
        ]);
        const [step] = pulumiSteps(job);
        expect(step.with).to.include({ command: "preview", "stack-name": "${{ matrix.stack }}", policyPacks: "policy", "comment-on-pr": true });
        expect(effectivePermissions(preview, job)).to.include({ "pull-requests": "write" });
        for (const stack of stacks) expect(preview.text, `preview.yml names stack ${stack}`).to.not.match(new RegExp(`stack:\\s*${stack}\\b`));
    });

    it("skips, with a notice and without failing, a private stack whose runner variable is unset and a stack without CI access", () => {
        const run = (dir: string, mode: string, vars: Record<string, string> = {}) =>
            spawnSync(process.execPath, [STACKS_SCRIPT, mode], { encoding: "utf8", env: { ...process.env, STACKS_DIR: dir, VARS_JSON: JSON.stringify(vars) } });
        const legs = run(fixturesDir, "--preview");
        expect(legs.status).to.equal(0);
        expect(JSON.parse(legs.stdout).include.map((l: any) => l.stack)).to.deep.equal(["dev", "ipv6"]);
        const notices = run(fixturesDir, "--skipped");
        expect(notices.status).to.equal(0);
        // The auto-ipv6 fixture has no CI access; the auto fixture's API is private, as prod's.
        const noCi = [`::notice title=preview auto-ipv6 skipped::stack auto-ipv6 has no CI access (ciRepository is unset): not previewed`];
        const noRunner = (s: string) => `::notice title=preview ${s} skipped::stack ${s} has a private API endpoint and variable ${s.toUpperCase()}_RUNNER_LABEL is unset: not previewed`;
        expect(notices.stdout.trim().split("\n")).to.deep.equal([...noCi, noRunner("auto"), noRunner("prod")]);
        expect(run(fixturesDir, "--skipped", { PROD_RUNNER_LABEL: "prod-jit", AUTO_RUNNER_LABEL: "auto-jit" }).stdout.trim().split("\n")).to.deep.equal(noCi);
        // Issue 19, Why 2: this asserted the shipped files have no CI, which README step 2 asks users to add.
        // The project's own files: a leg exactly for each stack whose file names a ciRepository (every
        // runner variable set), each other stack skipped with its notice.
        const runners = Object.fromEntries(stacks.map((s) => [`${stackKey(s)}_RUNNER_LABEL`, `${s}-runner`]));
        const withCi = stacks.filter((s) => stackFileConfig(s, projectRoot)[`${PROJECT}:ciRepository`]);
        const project = previewLegs(runners, projectRoot);
        expect(project.legs.map((l) => l.stack)).to.deep.equal(withCi);
        expect(project.skipped.map((s) => s.reason)).to.deep.equal(stacks.filter((s) => !withCi.includes(s)).map((s) => `stack ${s} has no CI access (ciRepository is unset): not previewed`));
    });

    it("holds a protected stack's credentials and passphrase only in jobs of that stack's reviewed GitHub environments", () => {
        // Per stack and command, the GitHub environments its role trusts: a preview its ciPreviewEnvironment, an
        // update its ciDeployEnvironments; from its own file when that gives CI access, else from its fixture (prod
        // previews in preview-production, deploys in production). Issue 19, Why 2: a stack added by the README's
        // recipe has no fixture (this read tests/fixtures/Pulumi.staging.yaml), and deploys from an environment
        // while its pull-request previews, like dev's, run in none.
        const ciDir = (stack: string) => (stackFileConfig(stack, projectRoot)[`${PROJECT}:ciRepository`] || !fs.existsSync(path.join(fixturesDir, `Pulumi.${stack}.yaml`)) ? projectRoot : fixturesDir);
        const protectedIn = (stack: string, command: string): string[] | undefined => {
            const config = stackFileConfig(stack, ciDir(stack));
            const envs = (command === "preview" ? [config[`${PROJECT}:ciPreviewEnvironment`]] : ((config[`${PROJECT}:ciDeployEnvironments`] as string[] | undefined) ?? [])).filter(Boolean) as string[];
            return envs.length > 0 ? envs : undefined;
        };
        expect([protectedIn("prod", "preview"), protectedIn("prod", "up")]).to.deep.equal([["preview-production"], ["production"]]);
        // The preview legs of every stack of the project, each with the CI settings above and its runner set.
        const settings = fs.mkdtempSync(path.join(os.tmpdir(), "eks-platform-ci-"));
        for (const stack of stacks) fs.copyFileSync(path.join(ciDir(stack), `Pulumi.${stack}.yaml`), path.join(settings, `Pulumi.${stack}.yaml`));
        const legs = previewLegs(Object.fromEntries(stacks.map((s) => [`${stackKey(s)}_RUNNER_LABEL`, `${s}-jit`])), settings).legs;
        fs.rmSync(settings, { recursive: true, force: true });
        const checked: string[] = [];
        for (const w of entry) {
            for (const [id, job] of jobsOf(w)) {
                const runs = job.strategy ? legs.map((leg) => JSON.parse(JSON.stringify(job).replace(/\$\{\{ matrix\.(\w+) \}\}/g, (_, k: string) => (leg as any)[k] ?? ""))) : [job];
                for (const leg of runs) {
                    const holds = credentialSteps(leg).length > 0 || stepsOf(leg).some((s) => JSON.stringify(s.env ?? {}).includes("PULUMI_CONFIG_PASSPHRASE"));
                    if (!holds) continue;
                    const { stack, command } = pulumiRun(leg);
                    expect(stacks, `${w.file} ${id}`).to.include(stack);
                    const envs = protectedIn(stack!, command!);
                    if (!envs) continue;
                    checked.push(`${w.file} ${id} ${stack}`);
                    expect(envs, `${w.file} ${id} (${stack}) holds credentials outside a protected environment`).to.include(leg.environment);
                }
            }
        }
        expect(checked, "prod's deploy, preview and drift legs").to.include.members(["deploy-prod.yml up prod", "preview.yml preview prod", "drift.yml drift prod"]);
    });

    it("enforces the policy pack on every pulumi command and logs in to the backend from a variable", () => {
        let count = 0;
        for (const w of entry) {
            for (const [id, job] of jobsOf(w)) {
                for (const s of pulumiSteps(job)) {
                    count++;
                    expect(s.with, `${w.file} ${id}`).to.include({ policyPacks: "policy", "cloud-url": "${{ vars.PULUMI_BACKEND_URL }}" });
                    expect(s.env, `${w.file} ${id}`).to.deep.equal({ PULUMI_CONFIG_PASSPHRASE: "${{ secrets.PULUMI_CONFIG_PASSPHRASE }}" });
                }
                for (const s of cliSteps(job)) {
                    count++;
                    // One command per logical line: a `\` continuation joins the next.
                    expect(s.run!.replace(/\\\n\s*/g, ""), `${w.file} ${id}`).to.match(/pulumi (preview|up) [^\n]*--policy-pack policy/).and.include('pulumi login "$PULUMI_BACKEND_URL"');
                    expect(s.env, `${w.file} ${id}`).to.include({ PULUMI_BACKEND_URL: "${{ vars.PULUMI_BACKEND_URL }}", PULUMI_CONFIG_PASSPHRASE: "${{ secrets.PULUMI_CONFIG_PASSPHRASE }}" });
                }
            }
        }
        expect(count).to.equal(pulumiJobs().length);
    });

    it("sets up Node 22 from .nvmrc, runs npm ci, and npm test in the job or one it waits for, before any credentials or pulumi command", () => {
        let guarded = 0;
        for (const w of entry) {
            for (const [id, job] of jobsOf(w)) {
                const steps = stepsOf(job);
                const where = `${w.file} ${id}`;
                const npm = runIndex(job, "npm ci") >= 0;
                expect(steps.find((s) => actionOf(s) === "actions/setup-node")?.with, where).to.deep.equal(
                    npm ? { "node-version-file": ".nvmrc", cache: "npm" } : { "node-version-file": ".nvmrc" },
                );
                if (runIndex(job, "npm test") >= 0) expect(runIndex(job, "npm ci"), where).to.be.within(0, runIndex(job, "npm test") - 1);
                const firstAws = steps.findIndex((s) => actionOf(s) === AWS_CREDENTIALS || actionOf(s) === PULUMI);
                if (firstAws < 0) continue;
                guarded++;
                expect(runIndex(job, "npm ci"), where).to.be.within(0, firstAws - 1);
                const testedHere = runIndex(job, "npm test") >= 0 && runIndex(job, "npm test") < firstAws;
                const testedUpstream = upstreamJobs(w, id).some((up) => runIndex(w.doc.jobs[up], "npm test") >= 0);
                expect(testedHere || testedUpstream, `${where} runs pulumi untested`).to.equal(true);
            }
        }
        expect(guarded).to.equal(pulumiJobs().length);
    });

    it("gets AWS credentials only through OIDC: id-token write, the stack's role ARN from variables, the stack's region", () => {
        let count = 0;
        for (const w of entry) {
            for (const [id, job] of jobsOf(w)) {
                for (const s of credentialSteps(job)) {
                    count++;
                    const where = `${w.file} ${id}`;
                    expect(effectivePermissions(w, job), where).to.include({ "id-token": "write" });
                    expect(Object.keys(s.with ?? {}).filter((k) => /key|token|secret/i.test(k)), where).to.deep.equal([]);
                    expect(String(s.with?.["role-to-assume"]), where).to.match(ROLE_FROM_VARS);
                    expect(s.with?.["aws-region"], where).to.equal("${{ steps.stack.outputs.region }}");
                    const read = stepsOf(job).find((x) => x.id === "stack")?.run ?? "";
                    expect(read, where).to.include("node .github/scripts/stack-region.js");
                    if (String(s.with?.["role-to-assume"]).includes("steps.stack.outputs.key")) expect(read, where).to.include("node .github/scripts/stacks.js --key");
                }
            }
        }
        expect(count).to.equal(pulumiJobs().length);
    });

    it("contains no static AWS keys, in the workflows or the Jenkinsfile", () => {
        const texts = [...raw.map((w) => [w.file, w.text]), ["Jenkinsfile", fs.readFileSync(JENKINSFILE, "utf8")], ["Jenkinsfile.drift", fs.readFileSync(JENKINSFILE_DRIFT, "utf8")]];
        for (const [file, text] of texts) expect(text, file).to.not.match(STATIC_KEYS);
        expect("aws-access-key-id: ${{ secrets.KEY }}").to.match(STATIC_KEYS);
    });

    it("grants write scopes only to the jobs that need them, and a caller exactly what the called job asks", () => {
        for (const w of raw) expect(w.doc.permissions, w.file).to.deep.equal({ contents: "read" });
        for (const w of entry) {
            for (const [id, job] of jobsOf(w)) {
                const perms = effectivePermissions(w, job);
                if (job.calls) expect(job.callerPermissions, `${w.file} ${id} caller`).to.deep.equal(perms);
                expect(perms["id-token"] === "write", `${w.file} ${id} id-token`).to.equal(credentialSteps(job).length > 0);
                const comments = pulumiSteps(job).some((s) => s.with?.["comment-on-pr"] === true);
                expect(perms["pull-requests"] === "write", `${w.file} ${id} pull-requests`).to.equal(comments);
                // Only the drift job writes issues: its own `Drift: <stack>` issue, through drift-issue.js.
                const filesIssues = stepsOf(job).some((s) => actionOf(s) === "actions/github-script" && String(s.with?.script).includes(".github/scripts/drift-issue.js"));
                expect(perms.issues === "write", `${w.file} ${id} issues`).to.equal(filesIssues);
                expect(Object.entries(perms).filter(([k, v]) => v === "write" && !["id-token", "pull-requests", "issues"].includes(k))).to.deep.equal([]);
            }
        }
    });

    it("updates prod only from main behind the protected production environment; pushes update only stacks without one", () => {
        const [[, job]] = jobsOf(prod);
        expect(job.environment).to.equal("production");
        expect(job.if).to.equal("github.ref == 'refs/heads/main'");
        expect(pulumiSteps(job).map((s) => [s.with?.command, s.with?.["stack-name"]])).to.deep.equal([["up", "prod"]]);
        for (const w of entry) {
            for (const [id, other] of jobsOf(w)) {
                const stack = stackOfUp(other);
                if (stack === undefined) continue;
                expect(stacks, `${w.file} ${id} updates a stack without a stack file`).to.include(stack);
                if (stack === "prod") expect(`${w.file}:${id}`).to.equal("deploy-prod.yml:up");
                // A pushed update has no reviewer: it names no environment, so its token's subject is the branch its role trusts.
                if ("push" in (w.doc.on ?? {})) expect(other.environment ?? null, `${w.file} ${id}`).to.equal(null);
                else expect(Object.keys(w.doc.on), `${w.file} ${id}`).to.deep.equal(["workflow_dispatch"]);
            }
        }
        expect(jobsOf(dev)[0][1].environment ?? null).to.equal(null);
    });

    it("never runs two updates of one stack at once nor cancels one; previews cancel stale runs", () => {
        for (const w of [dev, prod]) {
            expect(w.doc.concurrency, w.file).to.equal(undefined);
            for (const [id, job] of jobsOf(w)) {
                expect(job.concurrency, `${w.file} ${id}`).to.deep.equal({ group: `pulumi-up-${stackOfUp(job)}`, "cancel-in-progress": false });
            }
        }
        expect(preview.doc.concurrency).to.deep.equal({ group: "preview-${{ github.event.pull_request.number }}", "cancel-in-progress": true });
    });

    it("deploys through the one reusable pulumi-up.yml, each caller naming an existing stack", () => {
        for (const w of [dev, prod]) {
            const callers = jobsOf(readWorkflow(w.file));
            expect(callers.map(([, job]) => calledFile(job)), w.file).to.deep.equal(["pulumi-up.yml"]);
            for (const [, job] of callers) {
                expect(stacks).to.include(job.with.stack);
                expect(job.secrets).to.deep.equal({ PULUMI_CONFIG_PASSPHRASE: "${{ secrets.PULUMI_CONFIG_PASSPHRASE }}" });
            }
        }
        expect(() => resolvedWorkflow("deploy-dev.yml")).to.not.throw();
    });

    it("pins every action to a full commit SHA with a comment naming the release", () => {
        for (const w of raw) {
            const lines = usesLines(w.text);
            const structural = jobsOf(w).flatMap(([, job]) => [...(job.uses ? [job.uses] : []), ...stepsOf(job).filter((s) => s.uses)]);
            expect(lines.length, w.file).to.equal(structural.length);
            for (const line of lines) expect(pinProblem(line), `${w.file}: ${line.trim()}`).to.equal(undefined);
        }
        const sha = "de0fac2e4500dabe0009e67214ff5f5447ce83dd";
        expect(pinProblem("      - uses: actions/checkout@main")).to.match(/commit SHA/);
        expect(pinProblem("      - uses: actions/checkout@v4")).to.match(/commit SHA/);
        expect(pinProblem("      - uses: actions/checkout@v6.0.2")).to.match(/commit SHA/);
        expect(pinProblem(`      - uses: actions/checkout@${sha}`)).to.match(/vX\.Y\.Z/);
        expect(pinProblem(`      - uses: actions/checkout@${sha} # v6`)).to.match(/vX\.Y\.Z/);
        expect(pinProblem(`      - uses: actions/checkout@${sha} # v6.0.2`)).to.equal(undefined);
        expect(pinProblem("    uses: ./.github/workflows/pulumi-up.yml")).to.equal(undefined);
    });

    it("reads each stack's region from its stack file, and refuses names that are not stacks", () => {
        const script = path.join(projectRoot, ".github", "scripts", "stack-region.js");
        for (const stack of stacks) expect(spawnSync(process.execPath, [script, stack]).status, stack).to.equal(0);
        for (const bad of ["../package", "no-such-stack", "Dev"]) expect(spawnSync(process.execPath, [script, bad]).status, bad).to.not.equal(0);
    });
});

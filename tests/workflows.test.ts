import { expect } from "chai";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import {
    JENKINSFILE,
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
import { projectRoot } from "./support/paths";
import { STACKS_SCRIPT, stackNames } from "./support/stacks";

const PULUMI = "pulumi/actions";
const AWS_CREDENTIALS = "aws-actions/configure-aws-credentials";
const STATIC_KEYS = /AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY|aws-access-key-id|aws-secret-access-key/i;
/** Per-stack role ARNs come from variables named by convention, keyed by the stack (`AWS_DEPLOY_ROLE_ARN_PROD`). */
const ROLE_FROM_VARS = /^\$\{\{ vars\[format\('AWS_(DEPLOY|PREVIEW)_ROLE_ARN_\{0\}', (matrix\.key|steps\.stack\.outputs\.key)\)\] \}\}$/;

const pulumiSteps = (job: any): Step[] => stepsOf(job).filter((s) => actionOf(s) === PULUMI);
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
            ["preview.yml", "vars[format('{0}_RUNNER_LABEL'", "secrets[format('{0}_RUNNER_LABEL'", /secrets/],
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

    it("previews every stack file as a matrix the stack files produce, with the policy pack, commenting on the pull request", () => {
        const lister = preview.doc.jobs.stacks;
        expect(stepsOf(lister).find((s) => s.id === "list")?.run).to.include("node .github/scripts/stacks.js --matrix");
        expect(lister.outputs).to.deep.equal({ matrix: "${{ steps.list.outputs.matrix }}" });
        const job = preview.doc.jobs.preview;
        expect(job.needs).to.have.members(["test", "stacks"]);
        expect(job.strategy.matrix).to.equal("${{ fromJSON(needs.stacks.outputs.matrix) }}");
        const listed = JSON.parse(spawnSync(process.execPath, [STACKS_SCRIPT, "--matrix"], { encoding: "utf8" }).stdout);
        expect(listed.include.map((i: any) => i.stack)).to.deep.equal(stacks);
        const [step] = pulumiSteps(job);
        expect(step.with).to.include({ command: "preview", "stack-name": "${{ matrix.stack }}", policyPacks: "policy", "comment-on-pr": true });
        expect(effectivePermissions(preview, job)).to.include({ "pull-requests": "write" });
        // A stack's own runner (private API) by convention, else a GitHub-hosted one.
        expect(job["runs-on"]).to.equal("${{ vars[format('{0}_RUNNER_LABEL', matrix.key)] || 'ubuntu-latest' }}");
        for (const stack of stacks) expect(preview.text, `preview.yml names stack ${stack}`).to.not.match(new RegExp(`stack:\\s*${stack}\\b`));
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
            }
        }
        expect(count).to.equal(3);
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
        expect(guarded).to.equal(3);
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
        expect(count).to.equal(3);
    });

    it("contains no static AWS keys, in the workflows or the Jenkinsfile", () => {
        const texts = [...raw.map((w) => [w.file, w.text]), ["Jenkinsfile", fs.readFileSync(JENKINSFILE, "utf8")]];
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
                expect(Object.entries(perms).filter(([k, v]) => v === "write" && k !== "id-token" && k !== "pull-requests")).to.deep.equal([]);
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

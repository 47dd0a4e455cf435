import { expect } from "chai";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import {
    JENKINSFILE,
    Step,
    Workflow,
    actionOf,
    effectivePermissions,
    jobsOf,
    pinProblem,
    readWorkflow,
    stepsOf,
    upstreamJobs,
    usesLines,
    workflowErrors,
    workflowEvents,
    workflowFiles,
} from "./support/ci-access-workflows";
import { projectRoot } from "./support/paths";
import { stackFileConfig } from "./support/stack-files";

const PULUMI = "pulumi/actions";
const AWS_CREDENTIALS = "aws-actions/configure-aws-credentials";
const STATIC_KEYS = /AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY|aws-access-key-id|aws-secret-access-key/i;

const pulumiSteps = (job: any): Step[] => stepsOf(job).filter((s) => actionOf(s) === PULUMI);
const credentialSteps = (job: any): Step[] => stepsOf(job).filter((s) => actionOf(s) === AWS_CREDENTIALS);
const runIndex = (job: any, command: string) => stepsOf(job).findIndex((s) => s.run?.trim() === command);

describe("GitHub workflows", () => {
    let all: Workflow[];
    let preview: Workflow;
    let dev: Workflow;
    let prod: Workflow;
    before(() => {
        all = workflowFiles().map(readWorkflow);
        [preview, dev, prod] = ["preview.yml", "deploy-dev.yml", "deploy-prod.yml"].map(readWorkflow);
    });

    it("are all accepted by GitHub's own workflow parser", async function () {
        this.timeout(60000);
        expect(all.map((w) => w.file)).to.include.members(["preview.yml", "deploy-dev.yml", "deploy-prod.yml"]);
        for (const w of all) expect(await workflowErrors(w.file, w.text), w.file).to.deep.equal([]);
    });

    it("would fail on what the parser rejects: bad permission values, unavailable contexts", async function () {
        this.timeout(60000);
        const badPermission = preview.text.replace("id-token: write", "id-token: writ");
        const secretInRunsOn = dev.text.replace("runs-on: ubuntu-latest", "runs-on: ${{ secrets.PULUMI_CONFIG_PASSPHRASE }}");
        expect(badPermission).to.not.equal(preview.text);
        expect(secretInRunsOn).to.not.equal(dev.text);
        expect(await workflowErrors("preview.yml", badPermission)).to.have.length.greaterThan(0);
        expect((await workflowErrors("deploy-dev.yml", secretInRunsOn)).join("\n")).to.match(/secrets/);
    });

    it("previews on pull requests to main, deploys dev on pushes to main, and prod only when run by hand", async function () {
        this.timeout(60000);
        expect(await workflowEvents(preview.file, preview.text)).to.deep.equal({ pull_request: { branches: ["main"] } });
        expect(await workflowEvents(dev.file, dev.text)).to.deep.equal({ push: { branches: ["main"] } });
        const prodEvents = await workflowEvents(prod.file, prod.text);
        expect(Object.keys(prodEvents)).to.deep.equal(["workflow_dispatch"]);
    });

    it("previews dev and prod as a matrix, with the policy pack, commenting on the pull request", () => {
        const job = preview.doc.jobs.preview;
        expect(job.strategy.matrix.stack).to.deep.equal(["dev", "prod"]);
        const [step] = pulumiSteps(job);
        expect(step.with).to.include({ command: "preview", "stack-name": "${{ matrix.stack }}", policyPacks: "policy", "comment-on-pr": true });
        expect(effectivePermissions(preview, job)).to.include({ "pull-requests": "write" });
    });

    it("enforces the policy pack on every pulumi command and logs in to the backend from a variable", () => {
        for (const w of all) {
            for (const [id, job] of jobsOf(w)) {
                for (const s of pulumiSteps(job)) {
                    expect(s.with, `${w.file} ${id}`).to.include({ policyPacks: "policy", "cloud-url": "${{ vars.PULUMI_BACKEND_URL }}" });
                    expect(s.env, `${w.file} ${id}`).to.deep.equal({ PULUMI_CONFIG_PASSPHRASE: "${{ secrets.PULUMI_CONFIG_PASSPHRASE }}" });
                }
            }
        }
    });

    it("runs npm ci, and npm test in the job or one it waits for, on Node 20 before any credentials or pulumi command", () => {
        let guarded = 0;
        for (const w of all) {
            for (const [id, job] of jobsOf(w)) {
                const steps = stepsOf(job);
                const where = `${w.file} ${id}`;
                expect(steps.find((s) => actionOf(s) === "actions/setup-node")?.with, where).to.deep.equal({ "node-version": 20, cache: "npm" });
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

    it("gets AWS credentials only through OIDC: id-token write, a role ARN from variables, the stack's region", () => {
        let count = 0;
        for (const w of all) {
            for (const [id, job] of jobsOf(w)) {
                for (const s of credentialSteps(job)) {
                    count++;
                    expect(effectivePermissions(w, job), `${w.file} ${id}`).to.include({ "id-token": "write" });
                    expect(Object.keys(s.with ?? {}).filter((k) => /key|token|secret/i.test(k)), `${w.file} ${id}`).to.deep.equal([]);
                    const role = String(s.with?.["role-to-assume"]);
                    const fromVars = role === "${{ matrix.role }}" ? job.strategy.matrix.include.map((i: any) => i.role) : [role];
                    for (const r of fromVars) expect(r, `${w.file} ${id}`).to.match(/^\$\{\{ vars\.AWS_(DEPLOY|PREVIEW)_ROLE_ARN_(DEV|PROD) \}\}$/);
                    expect(s.with?.["aws-region"]).to.equal("${{ steps.stack.outputs.region }}");
                    expect(stepsOf(job).find((x) => x.id === "stack")?.run).to.include("node .github/scripts/stack-region.js");
                }
            }
        }
        expect(count).to.equal(3);
    });

    it("contains no static AWS keys, in the workflows or the Jenkinsfile", () => {
        const texts = [...all.map((w) => [w.file, w.text]), ["Jenkinsfile", fs.readFileSync(JENKINSFILE, "utf8")]];
        for (const [file, text] of texts) expect(text, file).to.not.match(STATIC_KEYS);
        expect("aws-access-key-id: ${{ secrets.KEY }}").to.match(STATIC_KEYS);
    });

    it("grants write scopes only to the jobs that need them", () => {
        for (const w of all) {
            expect(w.doc.permissions, w.file).to.deep.equal({ contents: "read" });
            for (const [id, job] of jobsOf(w)) {
                const perms = effectivePermissions(w, job);
                expect(perms["id-token"] === "write", `${w.file} ${id} id-token`).to.equal(credentialSteps(job).length > 0);
                const comments = pulumiSteps(job).some((s) => s.with?.["comment-on-pr"] === true);
                expect(perms["pull-requests"] === "write", `${w.file} ${id} pull-requests`).to.equal(comments);
                expect(Object.entries(perms).filter(([k, v]) => v === "write" && k !== "id-token" && k !== "pull-requests")).to.deep.equal([]);
            }
        }
    });

    it("updates prod only from main behind the protected production environment; no other job touches prod with `up`", () => {
        const [[, job]] = jobsOf(prod);
        expect(job.environment).to.equal("production");
        expect(job.if).to.equal("github.ref == 'refs/heads/main'");
        expect(pulumiSteps(job).map((s) => [s.with?.command, s.with?.["stack-name"]])).to.deep.equal([["up", "prod"]]);
        for (const w of all) {
            for (const [id, other] of jobsOf(w)) {
                const upsProd = pulumiSteps(other).some((s) => s.with?.command === "up" && s.with?.["stack-name"] !== "dev");
                if (upsProd) expect(`${w.file}:${id}`).to.equal("deploy-prod.yml:up");
            }
        }
        // Dev must not name an environment: its token's subject has to be the main ref its role trusts.
        expect(jobsOf(dev)[0][1].environment).to.equal(undefined);
    });

    it("never runs two updates of one stack at once nor cancels one; previews cancel stale runs", () => {
        expect(dev.doc.concurrency).to.deep.equal({ group: "pulumi-up-dev", "cancel-in-progress": false });
        expect(prod.doc.concurrency).to.deep.equal({ group: "pulumi-up-prod", "cancel-in-progress": false });
        expect(preview.doc.concurrency).to.deep.equal({ group: "preview-${{ github.event.pull_request.number }}", "cancel-in-progress": true });
        for (const w of [dev, prod]) for (const [, job] of jobsOf(w)) expect(job.concurrency, w.file).to.equal(undefined);
    });

    it("pins every action to a full commit SHA with a comment naming the release", () => {
        for (const w of all) {
            const lines = usesLines(w.text);
            const structural = jobsOf(w).flatMap(([, job]) => stepsOf(job).filter((s) => s.uses));
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
    });

    it("reads each stack's region from its stack file", () => {
        const script = path.join(projectRoot, ".github", "scripts", "stack-region.js");
        for (const stack of ["dev", "prod"]) {
            const run = spawnSync(process.execPath, [script, stack], { encoding: "utf8" });
            expect(run.status, run.stderr).to.equal(0);
            expect(run.stdout.trim()).to.equal(stackFileConfig(stack, projectRoot)["aws:region"]);
        }
        for (const bad of ["../package", "staging"]) expect(spawnSync(process.execPath, [script, bad]).status, bad).to.not.equal(0);
    });
});

describe("Jenkinsfile", () => {
    const text = fs.readFileSync(JENKINSFILE, "utf8");
    const code = text.split("\n").filter((l) => !l.trim().startsWith("//")).join("\n");
    const stageAt = (name: string) => code.indexOf(`stage('${name}')`);

    it("installs, tests, previews dev and prod, waits for approval, then updates prod, in that order", () => {
        const order = ["Install", "Test", "Preview dev", "Preview prod", "Approve prod", "Deploy prod"].map(stageAt);
        expect(order.every((i) => i >= 0), String(order)).to.equal(true);
        expect([...order].sort((a, b) => a - b)).to.deep.equal(order);
        expect(code.slice(stageAt("Install"), stageAt("Test"))).to.include("sh 'npm ci'");
        expect(code.slice(stageAt("Test"), stageAt("Preview dev"))).to.include("sh 'npm test'");
    });

    it("previews both stacks with the policy pack", () => {
        expect(code).to.include("pulumi preview --stack dev --policy-pack policy");
        expect(code).to.include("pulumi preview --stack prod --policy-pack policy");
    });

    it("asks a named group for approval before, and only before, the one prod update", () => {
        const input = code.indexOf("input {");
        const up = code.indexOf("pulumi up");
        expect(input).to.be.within(stageAt("Approve prod"), stageAt("Deploy prod"));
        expect(up).to.be.greaterThan(stageAt("Deploy prod"));
        expect(code.match(/pulumi up/g)).to.have.length(1);
        expect(code.slice(up)).to.match(/^pulumi up --stack prod --policy-pack policy --yes/);
        expect(code.slice(input, stageAt("Deploy prod"))).to.match(/submitter '[\w-]+'/);
        expect(code.slice(stageAt("Approve prod"), input)).to.match(/beforeInput true/);
    });

    it("never builds twice at once and assumes roles instead of holding keys", () => {
        expect(code).to.match(/options\s*\{[^}]*disableConcurrentBuilds\(\)/);
        expect(code.match(/withAWS\(role: env\.AWS_(PREVIEW|DEPLOY)_ROLE_ARN_(DEV|PROD),/g)).to.have.length(3);
        expect(code).to.not.match(/credentials\('aws|AmazonWebServicesCredentialsBinding/);
    });
});

import { expect } from "chai";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { projectRoot } from "../tooling/offline/paths";
import { Step, Workflow, actionOf, readWorkflow, stepsOf, workflowErrors, workflowEvents } from "./support/ci-access-workflows";
import { FakeGithub, Issue, fakeGithub } from "./support/fake-github";

/** The script drift.yml runs (loaded from the source tree: the file CI runs is the file under test). */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const drift = require(path.join(projectRoot, ".github", "scripts", "drift-issue.js")) as {
    EXPECT_NO_CHANGES_EXIT: number;
    BODY_LIMIT: number;
    syncDriftIssue(args: { github: FakeGithub; owner: string; repo: string; stack: string; exitCode: string | number; log: string; runUrl: string }): Promise<string>;
};
const SCRIPT = path.join(projectRoot, ".github", "scripts", "drift-issue.js");
const RUN = "https://github.com/acme/eks-platform/actions/runs/42";
const DIFF = "Previewing update (dev):\n  ~ aws:eks/cluster:Cluster cluster update [diff: ~tags]\nResources:\n    ~ 1 to update\n";

describe("Drift detection (drift.yml, drift-issue.js)", () => {
    let w: Workflow;
    let job: any;
    const step = (pred: (s: Step) => boolean): Step => {
        const found = stepsOf(job).find(pred);
        if (!found) throw new Error("drift.yml: step not found");
        return found;
    };
    before(() => {
        w = readWorkflow("drift.yml");
        job = w.doc.jobs.drift;
    });

    describe("the workflow", () => {
        it("is accepted by GitHub's parser and runs nightly and on demand, on main only", async function () {
            this.timeout(60000);
            expect(await workflowErrors(w.file, w.text)).to.deep.equal([]);
            const events = await workflowEvents(w.file, w.text);
            expect(Object.keys(events).sort()).to.deep.equal(["schedule", "workflow_dispatch"]);
            expect(events.schedule).to.have.length(1);
            // Minute and hour fixed, every day of every month and week: once a night.
            expect(events.schedule[0].cron).to.match(/^\d{1,2} \d{1,2} \* \* \*$/);
            for (const id of Object.keys(w.doc.jobs)) expect(w.doc.jobs[id].if, id).to.match(/^github\.ref == 'refs\/heads\/main'/);
        });

        it("grants the drift job contents read, id-token write and issues write, and nothing else; the others read only", () => {
            expect(w.doc.permissions).to.deep.equal({ contents: "read" });
            expect(job.permissions).to.deep.equal({ contents: "read", "id-token": "write", issues: "write" });
            for (const [id, other] of Object.entries<any>(w.doc.jobs)) if (id !== "drift") expect(other.permissions, id).to.equal(undefined);
            // The issues-writing token stays out of .git/config, where npm's install scripts and the program could read it.
            const checkout = stepsOf(job).find((s) => actionOf(s) === "actions/checkout");
            expect(checkout?.with?.["persist-credentials"]).to.equal(false);
        });

        it("uses the stack's read-only preview role, never the deploy role, and runs no command that writes", () => {
            const credentials = stepsOf(job).filter((s) => actionOf(s) === "aws-actions/configure-aws-credentials");
            expect(credentials).to.have.length(1);
            expect(credentials[0].with?.["role-to-assume"]).to.equal("${{ vars[format('AWS_PREVIEW_ROLE_ARN_{0}', matrix.key)] }}");
            expect(w.text).to.not.match(/DEPLOY_ROLE/);
            const scripts = stepsOf(job).map((s) => s.run ?? "").join("\n");
            expect(scripts).to.not.match(/pulumi (up|refresh|destroy|import|state|stack (import|rm))\b|--yes/);
            // Helm releases stay out of the refresh (their records are Secrets the read-only view cannot list; preview-coverage relies on it).
            expect(scripts.replace(/\\\n\s*/g, "")).to.match(/pulumi preview --stack "\$STACK" --refresh --expect-no-changes --diff --non-interactive .*--exclude 'urn:pulumi:\*\*kubernetes:helm\.sh\/v3:Release::\*\*'/);
        });

        it("checks one leg per stack that can run, in the stack's preview environment and on its runner", () => {
            expect(w.doc.jobs.stacks.steps.find((s: Step) => s.id === "list").run).to.include("node .github/scripts/stacks.js --preview").and.include("--skipped");
            expect(job.strategy).to.deep.equal({ "fail-fast": false, matrix: "${{ fromJSON(needs.stacks.outputs.matrix) }}" });
            expect(job.environment).to.equal("${{ matrix.environment }}");
            expect(job["runs-on"]).to.equal("${{ matrix.runner }}");
            expect(job.needs).to.deep.equal(["test", "stacks"]);
            expect(w.doc.concurrency).to.deep.equal({ group: "drift", "cancel-in-progress": false });
        });

        it("passes exit 0 and 7 on to the summary and issue steps, and fails the leg on any other exit before an issue is touched", () => {
            const preview = step((s) => s.id === "preview");
            const summaryStep = step((s) => (s.run ?? "").includes("drift-issue.js summary"));
            const issueStep = step((s) => actionOf(s) === "actions/github-script");
            const order = [preview, summaryStep, issueStep].map((s) => stepsOf(job).indexOf(s));
            expect([...order].sort((a, b) => a - b)).to.deep.equal(order);
            // The issue step has no `if`: it runs only when the summary step (which fails on a broken preview) passed.
            expect((issueStep as any).if).to.equal(undefined);
            for (const [code, summaryOk] of [[0, true], [7, true], [255, false], [1, false]] as const) {
                const run = runPreviewStep(preview.run!, code);
                expect(run.status, `preview step, pulumi exit ${code}: ${run.stderr}`).to.equal(0);
                expect(run.output, `exit ${code}`).to.equal(`exit-code=${code}\n`);
                // The step as written, run from the checkout's root as GitHub does (the log is there too).
                fs.copyFileSync(path.join(run.dir, "preview.log"), path.join(run.dir, "summary-input.log"));
                const script = summaryStep.run!.replace("node .github/scripts/drift-issue.js", `node ${JSON.stringify(SCRIPT)}`);
                expect(script).to.not.equal(summaryStep.run);
                const real = spawnSync("bash", ["-eo", "pipefail", "-c", script], { cwd: run.dir, encoding: "utf8", env: { ...process.env, STACK: "dev", EXIT_CODE: String(code), GITHUB_STEP_SUMMARY: path.join(run.dir, "summary.md") } });
                expect(real.status === 0, `summary step, exit ${code}: ${real.stderr}`).to.equal(summaryOk);
                const written = fs.existsSync(path.join(run.dir, "summary.md")) ? fs.readFileSync(path.join(run.dir, "summary.md"), "utf8") : "";
                if (code === 7) expect(written).to.include("### dev: drift").and.include("~ 1 to update");
                if (code === 0) expect(written).to.include("### dev: no drift");
                if (!summaryOk) expect(real.stderr).to.include("::error title=drift check of dev failed::").and.include(`exited with "${code}"`);
                fs.rmSync(run.dir, { recursive: true, force: true });
            }
        });

        it("syncs the issue through the script's own github-script step, with the run's link and the preview log", async () => {
            const script = String(step((s) => actionOf(s) === "actions/github-script").with?.script);
            const dir = fs.mkdtempSync(path.join(os.tmpdir(), "eks-platform-drift-"));
            fs.writeFileSync(path.join(dir, "preview.log"), DIFF);
            const github = fakeGithub([]);
            const messages: string[] = [];
            const core = { info: (m: string) => messages.push(`info ${m}`), warning: (m: string) => messages.push(`warning ${m}`) };
            const env = { GITHUB_WORKSPACE: projectRoot, GITHUB_SERVER_URL: "https://github.com", GITHUB_REPOSITORY: "acme/eks-platform", GITHUB_RUN_ID: "42", STACK: "dev", EXIT_CODE: "7" };
            const saved = { ...process.env };
            const cwd = process.cwd();
            Object.assign(process.env, env);
            process.chdir(dir);
            try {
                const AsyncFunction = Object.getPrototypeOf(async () => undefined).constructor;
                await new AsyncFunction("require", "github", "context", "core", script)(require, github, { repo: { owner: "acme", repo: "eks-platform" } }, core);
            } finally {
                process.chdir(cwd);
                for (const key of Object.keys(env)) if (saved[key] === undefined) delete process.env[key];
                Object.assign(process.env, saved);
                fs.rmSync(dir, { recursive: true, force: true });
            }
            expect(github.issues).to.have.length(1);
            expect(github.issues[0]).to.include({ title: "Drift: dev", state: "open" });
            expect(github.issues[0].body).to.include(`Latest run: ${RUN}`).and.include("~ 1 to update");
            expect(messages).to.deep.equal(["info drift issue of dev: created #1", "warning stack dev drifts: created #1"]);
        });
    });

    describe("the issue logic (drift-issue.js against a fake GitHub)", () => {
        const sync = (github: FakeGithub, stack: string, exitCode: number | string, log = DIFF) => drift.syncDriftIssue({ github, owner: "acme", repo: "eks-platform", stack, exitCode, log, runUrl: RUN });
        const other = (number: number, title: string, labels: string[] = ["drift"], extra: Partial<Issue> = {}): Issue => ({ number, title, body: "keep", state: "open", labels, comments: [], ...extra });

        it("opens one issue `Drift: <stack>` labelled drift for a drifting stack, then updates that one, never a second", async () => {
            const github = fakeGithub([]);
            expect(await sync(github, "dev", drift.EXPECT_NO_CHANGES_EXIT)).to.equal("created #1");
            expect(github.issues.map((i) => [i.title, i.labels, i.state])).to.deep.equal([["Drift: dev", ["drift"], "open"]]);
            expect(await sync(github, "dev", 7)).to.equal("unchanged #1");
            expect(await sync(github, "dev", 7, DIFF.replace("~tags", "~version"))).to.equal("updated #1");
            expect(github.issues).to.have.length(1);
            expect(github.issues[0].body).to.include("~version").and.not.include("~tags");
            expect(await sync(github, "prod", 7)).to.equal("created #2");
        });

        it("closes a clean stack's issue with a comment, and does nothing for a clean stack without one", async () => {
            const github = fakeGithub([]);
            await sync(github, "dev", 7);
            expect(await sync(github, "dev", 0)).to.equal("closed #1");
            expect(github.issues[0].state).to.equal("closed");
            expect(github.issues[0].comments).to.have.length(1);
            expect(github.issues[0].comments[0]).to.include("No drift in stack `dev`").and.include(RUN);
            expect(await sync(github, "dev", 0)).to.equal("none");
            // Drift again after a close: a new issue, the closed one stays closed.
            expect(await sync(github, "dev", 7)).to.equal("created #2");
            expect(github.calls.filter((c) => c.startsWith("update #1"))).to.have.length(1);
        });

        it("never touches another issue: other titles, other stacks, unlabelled look-alikes, pull requests", async () => {
            const github = fakeGithub([
                other(10, "Drift: prod"),
                other(11, "Drift: dev", []),
                other(12, "Drift: dev-2"),
                other(13, "Drift: dev", ["drift"], { pull_request: {} }),
                other(14, "Node bump", ["dependencies"]),
            ]);
            expect(await sync(github, "dev", 7)).to.equal("created #15");
            expect(await sync(github, "dev", 0)).to.equal("closed #15");
            for (const n of [10, 11, 12, 13, 14]) {
                const issue = github.issues.find((i) => i.number === n)!;
                expect(issue, `#${n}`).to.include({ state: "open", body: "keep" });
                expect(issue.comments, `#${n}`).to.deep.equal([]);
            }
            expect(github.calls.filter((c) => /#1[0-4]\b/.test(c))).to.deep.equal([]);
        });

        it("refuses, touching nothing, a preview that failed for another reason than drift", async () => {
            const github = fakeGithub([other(1, "Drift: dev")]);
            for (const code of [255, 1, 2, "", "x"]) {
                let error: Error | undefined;
                await sync(github, "dev", code).catch((e: Error) => (error = e));
                expect(error?.message, String(code)).to.match(/neither 0 \(no drift\) nor 7 \(drift\)/);
            }
            expect(github.calls).to.deep.equal([]);
        });

        it("keeps the body under GitHub's limit and its diff fenced, however long or odd the log", async () => {
            const github = fakeGithub([]);
            const long = "```\n" + "~ aws:ec2/tag:Tag t update\n".repeat(10000) + "\x1b[31mred\x1b[0m";
            await sync(github, "dev", 7, long);
            const body = github.issues[0].body;
            expect(body.length).to.be.at.most(drift.BODY_LIMIT);
            expect(body).to.include("more characters cut").and.not.include("\x1b[");
            // The fence is longer than any backtick run of the log, so the log cannot end the block early.
            expect(body).to.match(/^````diff$/m);
            expect(body.trimEnd().endsWith("````")).to.equal(true);
        });
    });
});

/** Runs the preview step's script with a fake `pulumi` that prints a diff and exits `code`; returns what it wrote to GITHUB_OUTPUT. */
function runPreviewStep(script: string, code: number): { status: number | null; stderr: string; output: string; dir: string } {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "eks-platform-drift-"));
    const bin = path.join(dir, "bin");
    fs.mkdirSync(bin);
    fs.writeFileSync(path.join(bin, "pulumi"), `#!/bin/sh\n[ "$1" = login ] && exit 0\nprintf '%s' ${JSON.stringify(DIFF)}\nexit ${code}\n`, { mode: 0o755 });
    const output = path.join(dir, "output");
    // GitHub runs `run:` with bash -eo pipefail: a failing command that is not handled fails the step.
    const run = spawnSync("bash", ["-eo", "pipefail", "-c", script], {
        cwd: dir,
        encoding: "utf8",
        env: { ...process.env, PATH: `${bin}:${process.env.PATH}`, STACK: "dev", PULUMI_BACKEND_URL: "s3://state/eks-platform", GITHUB_OUTPUT: output },
    });
    return { status: run.status, stderr: run.stderr, output: fs.existsSync(output) ? fs.readFileSync(output, "utf8") : "", dir };
}

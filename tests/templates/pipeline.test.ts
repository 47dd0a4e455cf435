import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import {
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
} from "../support/ci-access-workflows";
import { SERVICE_DIR, readServiceWorkflow, serviceWorkflowFiles } from "../support/templates";

const AWS_CREDENTIALS = "aws-actions/configure-aws-credentials";
const TRIVY = "aquasecurity/trivy-action";
const APP_TOKEN = "actions/create-github-app-token";
const STATIC_KEYS = /AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY|aws-access-key-id|aws-secret-access-key|secrets\.GITHUB_TOKEN|secrets\.[A-Z_]*PAT\b/i;

const index = (job: any, test: (s: Step) => boolean) => stepsOf(job).findIndex(test);
const pushIndex = (job: any) => index(job, (s) => /docker push|imagetools create/.test(s.run ?? ""));

describe("service template: GitHub workflows", () => {
    let all: Workflow[];
    let ci: Workflow;
    let release: Workflow;
    let production: Workflow;
    before(() => {
        all = serviceWorkflowFiles().map(readServiceWorkflow);
        [ci, release, production] = ["ci.yml", "release.yml", "production.yml"].map(readServiceWorkflow);
    });

    it("are accepted by GitHub's workflow parser, and trigger on pull requests, pushes to main and tags, and by hand", async function () {
        this.timeout(60000);
        expect(all.map((w) => w.file)).to.deep.equal(["ci.yml", "production.yml", "release.yml"]);
        for (const w of all) expect(await workflowErrors(w.file, w.text), w.file).to.deep.equal([]);
        expect(await workflowEvents(ci.file, ci.text)).to.deep.equal({ pull_request: { branches: ["main"] } });
        expect(await workflowEvents(release.file, release.text)).to.deep.equal({ push: { branches: ["main"], tags: ["v*.*.*"] } });
        expect(Object.keys(await workflowEvents(production.file, production.text))).to.deep.equal(["workflow_dispatch"]);
    });

    it("tests and builds pull requests without any credentials", () => {
        expect(ci.doc.jobs.build.needs).to.equal("test");
        expect(stepsOf(ci.doc.jobs.test).map((s) => s.run).filter(Boolean)).to.deep.equal(["npm ci", "npm test"]);
        for (const [id, job] of jobsOf(ci)) {
            expect(effectivePermissions(ci, job), id).to.deep.equal({ contents: "read" });
            expect(stepsOf(job).filter((s) => [AWS_CREDENTIALS, APP_TOKEN].includes(actionOf(s) ?? "")), id).to.deep.equal([]);
        }
    });

    it("on main and release tags: test, build, Trivy gate, then push; publishes only after the push", () => {
        const { test, image, gitops } = release.doc.jobs;
        expect(stepsOf(test).map((s) => s.run).filter(Boolean)).to.deep.equal(["npm ci", "npm test"]);
        expect(upstreamJobs(release, "image")).to.deep.equal(["test"]);
        expect(upstreamJobs(release, "gitops")).to.deep.equal(["image", "test"]);
        const build = index(image, (s) => /docker build/.test(s.run ?? ""));
        const scan = index(image, (s) => actionOf(s) === TRIVY);
        const credentials = index(image, (s) => actionOf(s) === AWS_CREDENTIALS);
        expect(build).to.be.at.least(0);
        expect(scan).to.be.greaterThan(build);
        expect(credentials, "no credentials before the scan passed").to.be.greaterThan(scan);
        expect(pushIndex(image)).to.be.greaterThan(credentials);
        expect(stepsOf(image)[scan].with).to.deep.equal({ "image-ref": "${{ env.IMAGE }}", format: "table", "ignore-unfixed": true, severity: "CRITICAL,HIGH", "exit-code": 1 });
        expect(image.env.IMAGE).to.match(/:\$\{\{ github\.sha \}\}$/);
        expect(stepsOf(image)[build].run).to.include('"$IMAGE"');
        // Dev on main, staging on a release tag, never production.
        const publish = stepsOf(gitops).find((s) => s.run?.includes("gitops.sh publish"))!;
        expect(publish.env?.TARGET).to.equal("${{ github.ref_type == 'tag' && 'staging' || 'dev' }}");
        expect(publish.run).to.include('"$TARGET" "${{ github.sha }}"');
    });

    it("gets AWS credentials only through OIDC with role ARNs from variables, and only in jobs that push images", () => {
        let count = 0;
        for (const w of all) {
            expect(w.text, w.file).to.not.match(STATIC_KEYS);
            for (const [id, job] of jobsOf(w)) {
                const steps = stepsOf(job).filter((s) => actionOf(s) === AWS_CREDENTIALS);
                expect(effectivePermissions(w, job)["id-token"] === "write", `${w.file} ${id}`).to.equal(steps.length > 0);
                for (const s of steps) {
                    count++;
                    expect(Object.keys(s.with ?? {}).filter((k) => /key|token|secret/i.test(k)), `${w.file} ${id}`).to.deep.equal([]);
                    expect(s.with?.["role-to-assume"], `${w.file} ${id}`).to.match(/^\$\{\{ vars\.AWS_ECR_(PUSH|PULL)_ROLE_ARN_(DEV|PROD) \}\}$/);
                }
            }
        }
        expect(count).to.equal(3);
    });

    it("writes to the GitOps repo only with a GitHub App token scoped to that repository", () => {
        let publishers = 0;
        for (const w of all) {
            for (const [id, job] of jobsOf(w)) {
                const writes = stepsOf(job).some((s) => s.run?.includes("gitops.sh commit"));
                if (!writes) continue;
                publishers++;
                const steps = stepsOf(job);
                const token = steps.find((s) => actionOf(s) === APP_TOKEN)!;
                expect(token?.with, `${w.file} ${id}`).to.deep.equal({
                    "app-id": "${{ vars.GITOPS_APP_ID }}",
                    "private-key": "${{ secrets.GITOPS_APP_PRIVATE_KEY }}",
                    owner: "${{ github.repository_owner }}",
                    repositories: "${{ vars.GITOPS_REPOSITORY }}",
                });
                const checkout = steps.find((s) => actionOf(s) === "actions/checkout" && s.with?.path === "gitops")!;
                expect(checkout.with?.token, `${w.file} ${id}`).to.equal(`\${{ steps.${token.id}.outputs.token }}`);
                // The service checkout must not leave the job's own token in git's config.
                expect(steps.find((s) => actionOf(s) === "actions/checkout" && s.with?.path === "service")?.with?.["persist-credentials"]).to.equal(false);
            }
        }
        expect(publishers).to.equal(2);
    });

    it("deploys production only by hand, from main, behind the protected environment, after staging ran the version", () => {
        const { promote, smoke } = production.doc.jobs;
        expect(promote.environment).to.equal("production");
        expect(promote.if).to.equal("github.ref == 'refs/heads/main'");
        expect(production.doc.on.workflow_dispatch.inputs.version).to.include({ required: true, type: "string" });
        const run = stepsOf(promote).map((s) => s.run ?? "").join("\n");
        expect(run).to.include('gitops.sh promote gitops "${{ vars.APP_NAME }}" staging production "$VERSION"');
        expect(run).to.match(/\^\[0-9a-f\]\{40\}\$/);
        // The image moves by manifest: the digest staging ran, not a rebuild.
        expect(run).to.include("docker buildx imagetools create").and.not.include("docker build ");
        expect(smoke.needs).to.equal("promote");
        expect(stepsOf(smoke).map((s) => s.run ?? "").join("\n")).to.include('"$URL/healthz"').and.include('\\"version\\":\\"$VERSION\\"');
        // No other workflow names production or promotes.
        for (const w of [ci, release]) {
            expect(w.text, w.file).to.not.match(/environment:\s*production|gitops\.sh promote/);
            for (const [, job] of jobsOf(w)) expect(job.environment).to.equal(undefined);
        }
        expect(production.doc.concurrency).to.deep.equal({ group: "production", "cancel-in-progress": false });
    });

    it("pins every action to a full commit SHA with its release, the same SHAs as the platform's own workflows", () => {
        const platformPins = new Map(
            workflowFiles()
                .flatMap((f) => usesLines(readWorkflow(f).text))
                // Local reusable workflows (`./.github/workflows/…`) are part of the repository, not pinned.
                .map((l) => /uses:\s*([^@\s]+)@(\S+)/.exec(l))
                .filter((m): m is RegExpExecArray => m !== null)
                .map(([, action, sha]) => [action, sha] as const),
        );
        for (const w of all) {
            const lines = usesLines(w.text);
            expect(lines.length, w.file).to.equal(jobsOf(w).flatMap(([, job]) => stepsOf(job).filter((s) => s.uses)).length);
            for (const line of lines) {
                expect(pinProblem(line), `${w.file}: ${line.trim()}`).to.equal(undefined);
                const [, action, sha] = /uses:\s*([^@\s]+)@(\S+)/.exec(line)!;
                if (platformPins.has(action)) expect(sha, `${w.file}: ${action}`).to.equal(platformPins.get(action));
            }
        }
    });
});

describe("service template: Jenkinsfile", () => {
    const code = fs.readFileSync(path.join(SERVICE_DIR, "Jenkinsfile"), "utf8");
    const stageAt = (name: string) => code.indexOf(`stage('${name}')`);

    it("runs the workflows' stages in order: test, build, scan, push, publish, approval, promotion, smoke", () => {
        const order = ["Install", "Test", "Build", "Scan", "Push", "Publish dev", "Publish staging", "Approve production", "Promote production", "Smoke production"].map(stageAt);
        for (const at of order) expect(at).to.be.greaterThan(-1);
        expect(order).to.deep.equal([...order].sort((a, b) => a - b));
        expect(code.slice(stageAt("Scan"), stageAt("Push"))).to.include("trivy image --ignore-unfixed --severity CRITICAL,HIGH --exit-code 1");
        expect(code.slice(stageAt("Push"), stageAt("Publish dev"))).to.include("docker push");
        expect(code.slice(stageAt("Build"), stageAt("Push"))).to.not.include("docker push");
    });

    it("gates production behind an input for a named group, outside any agent, and promotes only what staging ran", () => {
        const approve = code.slice(stageAt("Approve production"), stageAt("Promote production"));
        expect(approve).to.include("agent none").and.include("beforeInput true").and.match(/input message: .*submitter: '[\w-]+'/);
        const promote = code.slice(stageAt("Promote production"), stageAt("Smoke production"));
        expect(promote).to.include('gitops.sh promote gitops "$APP_NAME" staging production "$VERSION"');
        expect(code.slice(0, stageAt("Approve production"))).to.not.include("production \"$");
    });

    it("assumes roles and uses a deploy key; holds no static keys or tokens", () => {
        expect(code).to.not.match(STATIC_KEYS);
        expect(code.match(/withAWS\(role: env\.AWS_ECR_\w+_ROLE_ARN_\w+/g)).to.have.length(3);
        expect(code.match(/sshagent\(credentials: \['gitops-deploy-key'\]\)/g)).to.have.length(3);
    });
});

import { expect } from "chai";
import * as fs from "fs";
import { CONFIG_KEYS } from "../stacks/config/keys";
import { JENKINSFILE, JENKINSFILE_DRIFT } from "./support/ci-access-workflows";

/** The text from `from` to the brace that closes the first block opened after it. */
function blockAt(code: string, from: number): string {
    let depth = 0;
    for (let i = code.indexOf("{", from); i < code.length; i++) {
        if (code[i] === "{") depth++;
        if (code[i] === "}" && --depth === 0) return code.slice(from, i + 1);
    }
    throw new Error(`unbalanced braces after ${code.slice(from, from + 40)}`);
}

describe("Jenkinsfile", () => {
    const text = fs.readFileSync(JENKINSFILE, "utf8");
    const code = text.split("\n").filter((l) => !l.trim().startsWith("//")).join("\n");
    const header = text.split("\n").filter((l) => l.startsWith("//")).join("\n");
    const stageAt = (name: string) => code.indexOf(`stage('${name}')`);
    const stage = (name: string) => blockAt(code, stageAt(name));
    /** The preview helper every preview stage calls. */
    const previews = blockAt(code, code.indexOf("def previewStacks("));
    /** The stages that run on an agent, by label. */
    const onLabel = (label: string) => [...code.matchAll(/stage\('([^']+)'\)/g)].map((m) => m[1]).filter((name) => stage(name).includes(`agent { label '${label}' }`));

    it("installs, tests, previews every stack, waits for approval, then updates prod, in that order", () => {
        const order = ["Install", "Test", "Preview", "Preview reviewed stacks", "Approve prod", "Deploy prod"].map(stageAt);
        expect(order.every((i) => i >= 0), String(order)).to.equal(true);
        expect([...order].sort((a, b) => a - b)).to.deep.equal(order);
        expect(code.slice(stageAt("Install"), stageAt("Test"))).to.include("sh 'npm ci'");
        expect(code.slice(stageAt("Test"), stageAt("Preview"))).to.include("sh 'npm test'");
    });

    it("previews every stack the stack files list, with the policy pack and the stack's own read-only role", () => {
        expect(previews).to.include("node .github/scripts/stacks.js --lines");
        expect(previews).to.match(/for \(stack in stacks\)/);
        expect(previews).to.include('env["AWS_PREVIEW_ROLE_ARN_${key}"]');
        expect(previews).to.include("pulumi preview --stack \"$STACK\" --policy-pack policy");
        expect(previews).to.include("node .github/scripts/stack-region.js \"$STACK\"");
        // The stacks of the other kind are skipped before their role or passphrase is touched.
        expect(previews).to.include("node .github/scripts/stacks.js --preview-environment");
        const skip = previews.indexOf("reviewed != (reviewedIn != '')");
        expect(skip).to.be.greaterThan(0);
        expect(previews.indexOf("continue", skip)).to.be.lessThan(previews.indexOf("withCredentials"));
        expect(previews.indexOf("continue", skip)).to.be.lessThan(previews.indexOf("withAWS"));
        // No stack is named in the pipeline's code: a new stack file is previewed as it is.
        expect(previews).to.not.match(/--stack (dev|prod)\b/);
    });

    it("runs branch and pull-request code only on the eks-platform label; the prod label only for main, judged before the agent", () => {
        expect(code).to.match(/^pipeline \{\s*agent none/m);
        const labels = new Set([...code.matchAll(/agent \{ label '([^']+)' \}/g)].map((m) => m[1]));
        expect([...labels].sort()).to.deep.equal(["eks-platform", "eks-platform-prod"]);
        expect(onLabel("eks-platform-prod")).to.deep.equal(["Preview reviewed stacks", "Deploy prod"]);
        for (const name of onLabel("eks-platform-prod")) {
            const block = stage(name);
            const when = block.indexOf("when {");
            expect(when, name).to.be.greaterThan(0).and.lessThan(block.indexOf("agent {"));
            expect(blockAt(block, when), name).to.match(/^when \{\s*beforeAgent true\s*branch 'main'\s*\}$/);
        }
        // The branch agent's stages run for every branch and pull request, and preview no reviewed stack.
        expect(onLabel("eks-platform")).to.deep.equal(["Verify"]);
        expect(stage("Verify")).to.not.include("when {");
        expect(stage("Verify")).to.include("previewStacks(false)").and.not.include("previewStacks(true)");
        expect(stage("Preview reviewed stacks")).to.include("previewStacks(true)");
        expect(stage("Deploy prod")).to.include("withAWS(role: env.AWS_DEPLOY_ROLE_ARN_PROD,");
    });

    it("documents the prod agent: a node of its own for this job's main only, its role in ciProdAgentRoleArns", () => {
        for (const key of ["ciTrustedRoleArns", "ciProdAgentRoleArns", "ciPreviewEnvironment"]) {
            expect(Object.keys(CONFIG_KEYS), key).to.include(key);
            expect(header, key).to.include(key);
        }
        expect(header).to.include("agent label `eks-platform-prod`");
        expect(header).to.include("Only build jobs with label expressions matching this node");
        expect(header).to.include("Restrict jobs execution at node").and.include("^eks-platform/main$");
        expect(header).to.include("beforeAgent true");
    });

    it("asks a named group for approval before, and only before, the one prod update", () => {
        const input = code.indexOf("input {");
        const up = code.indexOf("pulumi up");
        expect(input).to.be.within(stageAt("Approve prod"), stageAt("Deploy prod"));
        expect(stageAt("Preview reviewed stacks")).to.be.lessThan(stageAt("Approve prod"));
        expect(up).to.be.greaterThan(stageAt("Deploy prod"));
        expect(code.match(/pulumi up/g)).to.have.length(1);
        expect(code.slice(up)).to.match(/^pulumi up --stack prod --policy-pack policy --yes/);
        expect(code.slice(input, stageAt("Deploy prod"))).to.match(/submitter '[\w-]+'/);
        expect(code.slice(stageAt("Approve prod"), input)).to.match(/beforeInput true/);
    });

    it("binds each stack's passphrase only inside that stack's own stage, never one for all stacks", () => {
        expect(code).to.not.match(/credentials\('pulumi-config-passphrase'\)/);
        expect(previews).to.include('withCredentials([string(credentialsId: "pulumi-config-passphrase-${stack}", variable: \'PULUMI_CONFIG_PASSPHRASE\')])');
        expect(code.slice(0, stageAt("Deploy prod"))).to.not.include("PULUMI_CONFIG_PASSPHRASE");
        expect(stage("Deploy prod")).to.include("credentials('pulumi-config-passphrase-prod')");
    });

    it("never builds twice at once and assumes roles instead of holding keys", () => {
        expect(code).to.match(/options\s*\{[^}]*disableConcurrentBuilds\(\)/);
        expect(code.match(/withAWS\(role: /g)).to.have.length(2);
        expect(code).to.match(/withAWS\(role: env\.AWS_DEPLOY_ROLE_ARN_PROD,/);
        expect(code).to.not.match(/credentials\('aws|AmazonWebServicesCredentialsBinding/);
    });
});

describe("Jenkinsfile.drift (the twin of drift.yml)", () => {
    const text = fs.readFileSync(JENKINSFILE_DRIFT, "utf8");
    const code = text.split("\n").filter((l) => !l.trim().startsWith("//")).join("\n");
    const header = text.split("\n").filter((l) => l.startsWith("//")).join("\n");
    const stage = (name: string) => blockAt(code, code.indexOf(`stage('${name}')`));
    const checks = blockAt(code, code.indexOf("def driftStacks("));

    it("runs every night on its own, one build at a time", () => {
        expect(code).to.match(/triggers\s*\{\s*cron\('H \d{1,2} \* \* \*'\)\s*\}/);
        expect(code).to.match(/options\s*\{[^}]*disableConcurrentBuilds\(\)/);
        expect(code).to.match(/^pipeline \{\s*agent none/m);
    });

    it("checks every stack the stack files list, each with its own read-only preview role and passphrase, never the deploy role", () => {
        expect(checks).to.include("node .github/scripts/stacks.js --lines").and.match(/for \(stack in stacks\)/);
        expect(checks).to.include('env["AWS_PREVIEW_ROLE_ARN_${key}"]');
        expect(code).to.not.match(/DEPLOY_ROLE|pulumi (up|refresh|destroy|import)\b|--yes/);
        expect(checks).to.include('withCredentials([string(credentialsId: "pulumi-config-passphrase-${stack}", variable: \'PULUMI_CONFIG_PASSPHRASE\')])');
        expect(checks.replace(/\\\n\s*/g, "")).to.match(/pulumi preview --stack "\$STACK" --refresh --expect-no-changes --diff --non-interactive --color never\s+--policy-pack policy --exclude 'urn:pulumi:\*\*kubernetes:helm\.sh\/v3:Release::\*\*'/);
        expect(checks).to.not.match(/--stack (dev|prod)\b/);
        expect(code.match(/withAWS\(role: /g)).to.have.length(1);
    });

    it("checks reviewed stacks only on the prod agent and the others only on the branch agents, as the Jenkinsfile previews them", () => {
        expect(stage("Drift")).to.include("agent { label 'eks-platform' }").and.include("driftStacks(false)").and.not.include("driftStacks(true)");
        expect(stage("Drift of reviewed stacks")).to.include("agent { label 'eks-platform-prod' }").and.include("driftStacks(true)");
        const skip = checks.indexOf("reviewed != (reviewedIn != '')");
        expect(skip).to.be.greaterThan(0);
        expect(checks.indexOf("continue", skip)).to.be.lessThan(checks.indexOf("withCredentials"));
        expect(header).to.include("^(eks-platform/main|eks-platform-drift)$").and.include("Script Path `Jenkinsfile.drift`");
    });

    it("marks the build unstable on drift (exit 7), fails it on any other failed preview, and publishes the diff", () => {
        expect(checks).to.include("sh(returnStatus: true, script: '''pulumi preview");
        expect(checks).to.include('archiveArtifacts artifacts: "drift-${stack}.log"');
        // The exit code is judged by the same script as drift.yml's summary step.
        expect(checks).to.include("node .github/scripts/drift-issue.js summary '${code}'");
        expect(checks).to.match(/if \(summary != 0\) \{\s*error /);
        expect(blockAt(checks, checks.indexOf("if (code == 7)"))).to.match(/^if \(code == 7\) \{[\s\S]*\bunstable "/);
        expect(checks.indexOf("if (summary != 0)")).to.be.lessThan(checks.indexOf("if (code == 7)"));
    });
});

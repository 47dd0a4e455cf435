import { expect } from "chai";
import * as fs from "fs";
import { JENKINSFILE } from "./support/ci-access-workflows";

describe("Jenkinsfile", () => {
    const text = fs.readFileSync(JENKINSFILE, "utf8");
    const code = text.split("\n").filter((l) => !l.trim().startsWith("//")).join("\n");
    const stageAt = (name: string) => code.indexOf(`stage('${name}')`);

    it("installs, tests, previews every stack, waits for approval, then updates prod, in that order", () => {
        const order = ["Install", "Test", "Preview", "Approve prod", "Deploy prod"].map(stageAt);
        expect(order.every((i) => i >= 0), String(order)).to.equal(true);
        expect([...order].sort((a, b) => a - b)).to.deep.equal(order);
        expect(code.slice(stageAt("Install"), stageAt("Test"))).to.include("sh 'npm ci'");
        expect(code.slice(stageAt("Test"), stageAt("Preview"))).to.include("sh 'npm test'");
    });

    it("previews every stack the stack files list, with the policy pack and the stack's own read-only role", () => {
        const previews = code.slice(stageAt("Preview"), stageAt("Approve prod"));
        expect(previews).to.include("node .github/scripts/stacks.js --lines");
        expect(previews).to.match(/for \(stack in stacks\)/);
        expect(previews).to.include('env["AWS_PREVIEW_ROLE_ARN_${key}"]');
        expect(previews).to.include("pulumi preview --stack \"$STACK\" --policy-pack policy");
        expect(previews).to.include("node .github/scripts/stack-region.js \"$STACK\"");
        // A stack previewed only after review (ciPreviewEnvironment) is skipped off main, before its role or passphrase is touched.
        const skip = previews.indexOf("env.BRANCH_NAME != 'main'");
        expect(previews).to.include("node .github/scripts/stacks.js --preview-environment");
        expect(skip).to.be.greaterThan(0);
        expect(previews.indexOf("continue", skip)).to.be.lessThan(previews.indexOf("withCredentials"));
        expect(previews.indexOf("continue", skip)).to.be.lessThan(previews.indexOf("withAWS"));
        // No stack is named in the pipeline's code: a new stack file is previewed as it is.
        expect(previews).to.not.match(/--stack (dev|prod)\b/);
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

    it("binds each stack's passphrase only inside that stack's own stage, never one for all stacks", () => {
        expect(code).to.not.match(/credentials\('pulumi-config-passphrase'\)/);
        const previews = code.slice(stageAt("Preview"), stageAt("Approve prod"));
        expect(previews).to.include('withCredentials([string(credentialsId: "pulumi-config-passphrase-${stack}", variable: \'PULUMI_CONFIG_PASSPHRASE\')])');
        expect(code.slice(0, stageAt("Preview"))).to.not.include("PULUMI_CONFIG_PASSPHRASE");
        expect(code.slice(stageAt("Deploy prod"))).to.include("credentials('pulumi-config-passphrase-prod')");
    });

    it("never builds twice at once and assumes roles instead of holding keys", () => {
        expect(code).to.match(/options\s*\{[^}]*disableConcurrentBuilds\(\)/);
        expect(code.match(/withAWS\(role: /g)).to.have.length(2);
        expect(code).to.match(/withAWS\(role: env\.AWS_DEPLOY_ROLE_ARN_PROD,/);
        expect(code).to.not.match(/credentials\('aws|AmazonWebServicesCredentialsBinding/);
    });
});

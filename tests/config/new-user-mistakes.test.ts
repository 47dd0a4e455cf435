import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { otherStackCidrs } from "../../stacks/config/load";
import { ConfigError } from "../../stacks/config/reader";
import { otherStackNames } from "../../stacks/config/stack-names";
import { validateConfig } from "../../stacks/config/validate";
import { errorFor, thrown } from "../support/config-errors";
import { PROJECT, configWith, fixturesDir, stackFileConfig } from "../../tooling/offline/stack-files";

/** Validates a fixture stack with `overrides`, beside the stack files of `dir`; the problems, none when accepted. */
function problemsBeside(dir: string, stack: string, overrides: Record<string, unknown>): string[] {
    try {
        validateConfig({ project: PROJECT, stack, values: configWith(stack, overrides), otherStackCidrs: {}, otherStackNames: otherStackNames(dir, PROJECT, stack) });
        return [];
    } catch (err) {
        expect(err).to.be.instanceOf(ConfigError);
        return (err as ConfigError).problems;
    }
}

const accepted = (stack: string, overrides: Record<string, unknown>) =>
    validateConfig({ project: PROJECT, stack, values: configWith(stack, overrides), otherStackCidrs: otherStackCidrs(fixturesDir, PROJECT, stack), otherStackNames: otherStackNames(fixturesDir, PROJECT, stack) });

describe("a new user's mistakes, refused naming the key, the value and what is allowed", () => {
    it("a GitOps repository given as its web page, with the clone URL and the branch to set instead", () => {
        expect(errorFor("dev", { gitopsRepoUrl: "https://github.com/acme-corp/gitops/tree/main" })).to.include(
            'eks-platform:gitopsRepoUrl: got "https://github.com/acme-corp/gitops/tree/main" (a web page of the repository, not a URL git can clone; set https://github.com/acme-corp/gitops.git and gitopsRevision: main); allowed: empty, or an https://',
        );
        for (const page of ["https://gitlab.com/acme/infra/gitops/-/tree/main", "https://bitbucket.org/acme/gitops/src/main/", "https://github.com/acme-corp/gitops/blob/main/envs/dev/app.yaml", "https://github.com/acme-corp/gitops#readme"]) {
            expect(errorFor("dev", { gitopsRepoUrl: page }), page).to.include("(a web page of the repository, not a URL git can clone");
        }
        for (const clone of ["https://github.com/acme-corp/gitops", "https://gitlab.com/acme/src/gitops.git", "git@github.com:acme-corp/gitops.git"]) {
            expect(accepted("dev", { gitopsRepoUrl: clone }).platform.gitops?.repoUrl, clone).to.equal(clone);
        }
    });

    it("a host name without a certificate, which no Ingress would ever serve", () => {
        expect(errorFor("dev", { argocdHostname: "argocd.dev.example.com" })).to.include(
            'eks-platform:argocdHostname: got "argocd.dev.example.com" (ingressCertificateArn is empty, so no Ingress is created and nothing would answer at this name; set ingressCertificateArn',
        );
        expect(errorFor("dev", { grafanaHostname: "grafana.dev.example.com" })).to.include('eks-platform:grafanaHostname: got "grafana.dev.example.com" (ingressCertificateArn is empty');
    });

    it("an ARN of another partition than the region's, in any ARN-valued key", () => {
        const cn = "arn:aws-cn:iam::111122223333:role/platform-operators";
        expect(errorFor("dev", { clusterAdminArns: [cn] })).to.include(
            `eks-platform:clusterAdminArns: got "${cn}" (an aws-cn ARN, but us-west-2 is in the aws partition; ARNs there start arn:aws:); allowed:`,
        );
        expect(errorFor("dev", { kmsBreakGlassArn: "arn:aws-us-gov:iam::111122223333:role/break-glass" })).to.include('eks-platform:kmsBreakGlassArn: got "arn:aws-us-gov:iam::111122223333:role/break-glass" (an aws-us-gov ARN');
        expect(errorFor("dev", { namespaceAccess: [`${cn} view dev`] })).to.include(`eks-platform:namespaceAccess: got "${cn} view dev" (an aws-cn ARN`);
        expect(errorFor("dev", { "aws:assumeRoles": [{ roleArn: "arn:aws-cn:iam::111122223333:role/deploy" }] })).to.include('aws:assumeRoles: got "arn:aws-cn:iam::111122223333:role/deploy" (an aws-cn ARN');
        const cert = "arn:aws-cn:acm:us-west-2:111122223333:certificate/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d";
        const once = thrown("dev", { ingressCertificateArn: cert, argocdHostname: "argocd.dev.example.com", grafanaHostname: "grafana.dev.example.com" }).problems;
        expect(once.filter((p) => p.includes("ingressCertificateArn"))).to.have.length(1);
        // The same ARN in its own partition's region is fine.
        expect(errorFor("dev", { "aws:region": "cn-north-1", clusterAdminArns: [cn], azCount: 9 })).to.not.include("partition");
    });

    it("the stack's own VPC, or a subnet of it, as a network outside the cluster", () => {
        for (const cidr of ["10.0.0.0/16", "10.0.4.0/24"]) {
            expect(errorFor("dev", { privateAccessCidrs: [cidr] })).to.include(
                `eks-platform:privateAccessCidrs: got "${cidr}" (inside this stack's own vpcCidr 10.0.0.0/16; list only networks outside the VPC`,
            );
        }
        expect(accepted("dev", { privateAccessCidrs: ["10.20.0.0/16", "10.0.0.0/8"] }).cluster.privateAccessCidrs).to.deep.equal(["10.20.0.0/16", "10.0.0.0/8"]);
    });

    it("a copied stack file that kept its source's environment or clusterName, unless both files pin different accounts", () => {
        const copied = problemsBeside(fixturesDir, "prod", { environment: "dev", clusterName: "eks-dev", ecrMutableTags: [] });
        expect(copied).to.include.members([
            'eks-platform:environment: got "dev" (stack "dev" has the same environment: the environment tag and the role names derived from it would be shared; give this stack file its own, or pin different accounts in both files (aws:allowedAccountIds)); allowed: lowercase letters, digits and \'-\', 2-16 characters, starting with a letter; no other stack file\'s, unless both pin different accounts (aws:allowedAccountIds)',
        ]);
        expect(copied.join("\n")).to.include('eks-platform:clusterName: got "eks-dev" (stack "dev" names its cluster the same: IAM role names derived from it are account-wide');
        const layouts = path.join(fixturesDir, "account-layout");
        const pinned = { environment: "dev", clusterName: "eks-dev", "aws:allowedAccountIds": ["111122223333"] };
        expect(problemsBeside(path.join(layouts, "separate-accounts"), "prod", pinned).join("\n")).to.not.match(/environment:|clusterName:/);
        expect(problemsBeside(path.join(layouts, "shared-account"), "prod", pinned).join("\n")).to.include('eks-platform:environment: got "dev"');
    });

    it("tag exclusions that leave no tag immutable, and any exclusion in prod", () => {
        expect(errorFor("dev", { ecrMutableTags: ["*"] })).to.include('eks-platform:ecrMutableTags: got "*" (matches every tag, so no tag would stay immutable; name the tags that move, e.g. latest)');
        expect(errorFor("prod", { ecrMutableTags: ["latest"] })).to.include(
            'eks-platform:ecrMutableTags: got ["latest"] (prod keeps every image tag immutable: the policy pack\'s ecr-immutable-tags refuses any exclusion there); allowed:',
        );
        expect(thrown("prod", { ecrMutableTags: ["*"] }).problems.filter((p) => p.includes("ecrMutableTags"))).to.have.length(1);
        expect(accepted("dev", { ecrMutableTags: ["latest", "dev-*"] }).registry.mutableTagFilters).to.deep.equal(["latest", "dev-*"]);
    });
});

describe("a new user's mistakes, reported once and where they are", () => {
    it("a key set twice in a stack file: the file, the line, the key and where it was first set", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "stack-files-"));
        try {
            const text = fs.readFileSync(path.join(fixturesDir, "Pulumi.dev.yaml"), "utf8");
            const lines = text.split("\n");
            const first = lines.findIndex((l) => l.startsWith("  eks-platform:vpcCidr:")) + 1;
            fs.writeFileSync(path.join(dir, "Pulumi.staging.yaml"), `${text.trimEnd()}\n  eks-platform:vpcCidr: 10.2.0.0/16\n`);
            const line = text.trimEnd().split("\n").length + 1;
            const expected = `Pulumi.staging.yaml line ${line}: eks-platform:vpcCidr is set a second time (first on line ${first}); a stack file sets each key once: delete one of the two lines`;
            // The program reads its sibling stack files; the offline tools read the stack's own.
            expect(() => otherStackCidrs(dir, PROJECT, "dev")).to.throw(ConfigError).with.property("problems").that.deep.equals([expected]);
            expect(() => stackFileConfig("staging", dir)).to.throw(ConfigError, expected);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("a bad host name once, not a second time as an empty one", () => {
        const cert = "arn:aws:acm:us-west-2:111122223333:certificate/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d";
        const problems = thrown("dev", { ingressCertificateArn: cert, argocdHostname: "Argo CD", grafanaHostname: "grafana.dev.example.com" }).problems;
        expect(problems.filter((p) => p.includes("argocdHostname"))).to.deep.equal(['eks-platform:argocdHostname: got "Argo CD"; allowed: empty, or a DNS name such as argocd.example.com; set exactly when ingressCertificateArn is; under one of externalDnsDomains when those are listed']);
    });
});

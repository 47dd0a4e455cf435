import { expect } from "chai";
import * as fs from "fs";
import { CONFIG_KEYS } from "../../stacks/config/keys";
import { otherStackCidrs } from "../../stacks/config/load";
import { validateConfig } from "../../stacks/config/validate";
import { projectRoot } from "../../tooling/offline/paths";
import { PROJECT, configWith, secretKeysOf, stackFileConfig } from "../../tooling/offline/stack-files";
import { errorFor } from "../support/config-errors";

describe("mistakes that used to pass silently", () => {
    it("a region that does not exist, suggesting the one meant", () => {
        expect(errorFor("dev", { "aws:region": "us-weast-2" })).to.include(
            'aws:region: got "us-weast-2" (did you mean us-east-2 or us-west-2?); allowed: an AWS region code of the commercial, GovCloud or China partition',
        );
        expect(errorFor("dev", { "aws:region": "mars-north-1" })).to.include('aws:region: got "mars-north-1"; allowed: an AWS region code');
        for (const region of ["us-gov-west-1", "cn-northwest-1", "eu-central-2"]) {
            const cert = { "aws:region": region };
            expect(() => validateConfig({ project: PROJECT, stack: "dev", values: configWith("dev", cert), otherStackCidrs: {} }), region).to.not.throw();
        }
    });
    it("several GitOps apps that would all deploy the same path", () => {
        expect(errorFor("dev", { gitopsApps: ["web", "api"], gitopsPath: "envs/{env}" })).to.include(
            'eks-platform:gitopsPath: got "envs/{env}" (gitopsApps lists 2 apps, which would all deploy this same path); allowed: a relative path containing {env} (and optionally {app}), no \'..\'; containing {app} when gitopsApps lists more than one app',
        );
        expect(() => validateConfig({ project: PROJECT, stack: "dev", values: configWith("dev", { gitopsApps: ["web", "api"], gitopsPath: "apps/{app}/{env}" }), otherStackCidrs: {} })).to.not.throw();
    });
    it("extra tags that would override the tags the program sets", () => {
        for (const tag of ["environment=development", "project=other", "managed-by=terraform"]) {
            const key = tag.split("=")[0];
            expect(errorFor("dev", { extraTags: [tag] })).to.include(`eks-platform:extraTags: got "${tag}" (the program sets the ${key} tag itself); allowed: a list of items, each a key=value tag`);
        }
    });
    it("a misspelt config namespace, suggesting the project's", () => {
        expect(errorFor("dev", { "eks-platfrom:azCount": 2 })).to.include(
            'eks-platfrom:azCount: unknown config namespace "eks-platfrom"; did you mean eks-platform:azCount?; allowed namespaces: eks-platform, aws, awsx, eks, kubernetes, pulumi, random',
        );
    });
    it("an unquoted Kubernetes version that YAML read as a number", () => {
        expect(errorFor("dev", { kubernetesVersion: 1.3 })).to.include(
            'eks-platform:kubernetesVersion: got "1.3" (YAML read an unquoted 1.30 as the number 1.3; quote it: "1.30"); allowed: a version of the form 1.NN',
        );
    });
    it("instance types of an unknown family or size", () => {
        expect(errorFor("dev", { systemNodeInstanceTypes: ["t3.mediun"] })).to.include(
            'eks-platform:systemNodeInstanceTypes: got "t3.mediun" (not an EC2 instance size; did you mean medium?); allowed: a non-empty list of unique items, each an EC2 instance type <family>.<size>',
        );
        expect(errorFor("dev", { systemNodeInstanceTypes: ["t9.medium"] })).to.include('got "t9.medium" (not an EC2 instance family');
        for (const type of ["m6i.24xlarge", "c7g.metal", "m7i.metal-48xl", "t3.nano"]) {
            expect(errorFor("dev", { systemNodeInstanceTypes: [type], azCount: 9 }), type).to.not.include("systemNodeInstanceTypes");
        }
    });
    it("placeholder repositories where a repository decides what the stack trusts", () => {
        for (const repo of ["your-org/eks-platform", "<org>/<repo>", "example/eks-platform", "owner/repo", "eks-platform/eks-platform", "REPLACE-WITH-YOUR-ORG/eks-platform"]) {
            expect(errorFor("dev", { ciRepository: repo }), repo).to.include(`eks-platform:ciRepository: got "${repo}" (a placeholder, not a real repository`).and.include("allowed: empty, or a GitHub repository");
        }
        for (const url of ["https://github.com/your-org/gitops.git", "https://example.com/platform/gitops.git", "https://github.com/eks-platform/gitops.git", "git@github.com:owner/repo.git"]) {
            expect(errorFor("dev", { gitopsRepoUrl: url }), url).to.include(`eks-platform:gitopsRepoUrl: got "${url}" (a placeholder, not a real repository`).and.include("allowed: empty, or an https://");
        }
    });
});

describe("shipped stack files", () => {
    const stacks = fs.readdirSync(projectRoot).flatMap((f) => /^Pulumi\.(.+)\.ya?ml$/.exec(f)?.[1] ?? []);

    it("exist", () => expect(stacks).to.not.be.empty);
    it("trust no outside repository by default: an unset ciRepository or gitopsRepoUrl means none", () => {
        expect([CONFIG_KEYS.ciRepository.default, CONFIG_KEYS.gitopsRepoUrl.default]).to.deep.equal(["", ""]);
    });
    for (const stack of stacks.length ? stacks : ["dev", "prod"]) {
        it(`${stack}: validates, and trusts a CI repository or syncs a GitOps repository only where the file names one`, () => {
            const own = stackFileConfig(stack, projectRoot);
            const cfg = validateConfig({ project: PROJECT, stack, values: configWith(stack, {}, projectRoot), otherStackCidrs: otherStackCidrs(projectRoot, PROJECT, stack), secretKeys: secretKeysOf(stack, projectRoot) });
            expect(cfg.environment).to.equal(own["eks-platform:environment"]);
            expect(cfg.ci?.repository).to.equal(own["eks-platform:ciRepository"] || undefined);
            expect(cfg.platform.gitops?.repoUrl).to.equal(own["eks-platform:gitopsRepoUrl"] || undefined);
        });
    }
});

import { expect } from "chai";
import { Decision } from "./support/iam-engine";
import { StackGraph, buildStack } from "../tooling/offline/harness";
import { GithubClaims, githubTokenDecision, roleSessionDecision } from "./support/github-trust";
import { ACCOUNT_ID } from "../tooling/offline/mocks";
import { stackFileConfig } from "../tooling/offline/stack-files";
import { useStacks } from "./support/use-stacks";
import { beforeBuilding } from "./support/build-hook";

const ROLE = "aws:iam/role:Role";
/** The Jenkins agent that builds every branch and pull request, and the one that builds main alone. */
const BRANCH_AGENT = `arn:aws:iam::${ACCOUNT_ID}:role/jenkins-agent`;
const PROD_AGENT = `arn:aws:iam::${ACCOUNT_ID}:role/jenkins-prod-agent`;

/** The fixtures' repositories and ids, read from the files so the claims match whatever they say. */
const platform = stackFileConfig("prod");
const REPO = String(platform["eks-platform:ciRepository"]);
const [, APP, APP_OWNER_ID, APP_ID] = /^([^#]+)#(\d+)\/(\d+)=/.exec(String((platform["eks-platform:ciApplications"] as string[])[0]))!;

const role = (g: StackGraph, name: string) => g.one(ROLE, name);
const roleArn = (g: StackGraph, name: string) => `arn:aws:iam::${ACCOUNT_ID}:role/${role(g, name).inputs.name}`;
const trust = (g: StackGraph, name: string) => JSON.parse(role(g, name).inputs.assumeRolePolicy);

/** The engine's decision for a token of `repository` at `ref`, from `workflow`'s job, presenting `sub`. */
function asked(g: StackGraph, name: string, repository: string, sub: string, ref: string, workflow: string, extra: Partial<GithubClaims> = {}): Promise<Decision> {
    const ids = repository === REPO
        ? { repository_id: String(platform["eks-platform:ciRepositoryId"]), repository_owner_id: String(platform["eks-platform:ciRepositoryOwnerId"]) }
        : { repository_id: APP_ID, repository_owner_id: APP_OWNER_ID };
    const claims: GithubClaims = { aud: "sts.amazonaws.com", sub: `repo:${repository}:${sub}`, ref, job_workflow_ref: `${repository}/.github/workflows/${workflow}@${ref}`, ...ids, ...extra };
    // The caller is the stack's own GitHub provider (the mocks give it their own ARN).
    const provider = trust(g, name).Statement.find((s: any) => s.Principal.Federated).Principal.Federated;
    return githubTokenDecision(trust(g, name), roleArn(g, name), provider, claims);
}

// Each denial below was an allow under the trusts before issue 18: they pinned neither ref, nor the preview
// or release workflow, nor an application's owner, and prod trusted the branch-building Jenkins agent.
describe("CI role trusts, asked of the IAM engine (fixture stacks)", () => {
    const stacks = useStacks();

    it("lets prod's deploy role be assumed only by pulumi-up.yml's production job on main, not from a branch calling it at main", async () => {
        const deploy = (ref: string, workflow = "pulumi-up.yml", extra: Partial<GithubClaims> = {}) => asked(stacks.prod, "ci-access-deploy", REPO, "environment:production", ref, workflow, extra);
        expect(await deploy("refs/heads/main")).to.equal("allow");
        // A workflow on a branch that calls `owner/repo/.github/workflows/pulumi-up.yml@main` runs it at main, at the branch's ref.
        const fromBranch = { job_workflow_ref: `${REPO}/.github/workflows/pulumi-up.yml@refs/heads/main` };
        expect(await deploy("refs/heads/feature", "pulumi-up.yml", fromBranch)).to.equal("implicit");
        expect(await deploy("refs/heads/feature")).to.equal("implicit");
        expect(await deploy("refs/heads/main", "pulumi-up.yml", { ref: undefined }), "no ref claim").to.equal("implicit");
        expect(await deploy("refs/heads/main", "evil.yml")).to.equal("implicit");
    });

    it("lets dev's deploy role be assumed by pushes to main running pulumi-up.yml only", async () => {
        expect(await asked(stacks.dev, "ci-access-deploy", REPO, "ref:refs/heads/main", "refs/heads/main", "pulumi-up.yml")).to.equal("allow");
        expect(await asked(stacks.dev, "ci-access-deploy", REPO, "ref:refs/heads/main", "refs/heads/main", "preview.yml")).to.equal("implicit");
    });

    it("lets the preview roles be assumed only by preview.yml's jobs: dev's by pull requests, prod's in its reviewed environment", async () => {
        const cases: [StackGraph, string][] = [[stacks.dev, "pull_request"], [stacks.prod, `environment:${platform["eks-platform:ciPreviewEnvironment"]}`]];
        for (const [g, sub] of cases) {
            expect(await asked(g, "ci-access-preview", REPO, sub, "refs/pull/7/merge", "preview.yml"), g.stack).to.equal("allow");
            expect(await asked(g, "ci-access-preview", REPO, sub, "refs/pull/7/merge", "pulumi-up.yml"), g.stack).to.equal("implicit");
            expect(await asked(g, "ci-access-preview", REPO, sub, "refs/pull/7/merge", "other.yml"), g.stack).to.equal("implicit");
        }
    });

    it("lets the preview roles be assumed by drift.yml's jobs on main (dev's by the branch, prod's in its environment), never from a branch", async () => {
        const cases: [StackGraph, string][] = [[stacks.dev, "ref:refs/heads/main"], [stacks.prod, `environment:${platform["eks-platform:ciPreviewEnvironment"]}`]];
        for (const [g, sub] of cases) {
            expect(await asked(g, "ci-access-preview", REPO, sub, "refs/heads/main", "drift.yml"), g.stack).to.equal("allow");
            expect(await asked(g, "ci-access-preview", REPO, sub, "refs/heads/main", "pulumi-up.yml"), `${g.stack} another workflow on main`).to.equal("implicit");
            // Run by hand on a branch: the branch's drift.yml is not reviewed code.
            const branchSub = g === stacks.dev ? "ref:refs/heads/feature" : sub;
            expect(await asked(g, "ci-access-preview", REPO, branchSub, "refs/heads/feature", "drift.yml"), `${g.stack} from a branch`).to.equal("implicit");
            expect(await asked(g, "ci-access-preview", REPO, sub, "refs/heads/main", "drift.yml", { ref: undefined }), `${g.stack} no ref claim`).to.equal("implicit");
        }
        // The deploy roles never trust the drift check.
        expect(await asked(stacks.dev, "ci-access-deploy", REPO, "ref:refs/heads/main", "refs/heads/main", "drift.yml")).to.equal("implicit");
    });

    it("lets dev's image-push role be assumed only by the application's release.yml, on main and v* tags, of its owner", async () => {
        const push = (sub: string, ref: string, workflow = "release.yml", extra: Partial<GithubClaims> = {}) => asked(stacks.dev, "ci-access-push-myapp", APP, sub, ref, workflow, extra);
        expect(await push("ref:refs/heads/main", "refs/heads/main")).to.equal("allow");
        expect(await push("ref:refs/tags/v1.2.3", "refs/tags/v1.2.3")).to.equal("allow");
        expect(await push("ref:refs/heads/main", "refs/heads/main", "ci.yml"), "another workflow on main").to.equal("implicit");
        expect(await push("ref:refs/tags/v1.2.3", "refs/tags/v1.2.3", "ci.yml"), "another workflow on a tag").to.equal("implicit");
        expect(await push("ref:refs/heads/main", "refs/heads/main", "release.yml", { repository_owner_id: "1" }), "a repository of another owner").to.equal("implicit");
        expect(await push("ref:refs/tags/release-1", "refs/tags/release-1")).to.equal("implicit");
        expect(await push("ref:refs/heads/feature", "refs/heads/feature")).to.equal("implicit");
    });

    it("lets the promotion roles (prod's push, dev's pull) be assumed only by production.yml's reviewed job on main", async () => {
        for (const [g, name] of [[stacks.prod, "ci-access-push-myapp"], [stacks.dev, "ci-access-pull-myapp"]] as const) {
            const promote = (ref: string, workflow = "production.yml") => asked(g, name, APP, "environment:production", ref, workflow);
            expect(await promote("refs/heads/main"), `${g.stack} ${name}`).to.equal("allow");
            expect(await promote("refs/heads/feature"), `${g.stack} ${name}`).to.equal("implicit");
            expect(await promote("refs/heads/main", "release.yml"), `${g.stack} ${name}`).to.equal("implicit");
        }
    });
});

describe("Jenkins agents in the CI trusts, asked of the IAM engine", () => {
    let dev: StackGraph;
    let prod: StackGraph;
    beforeBuilding(async () => {
        dev = await buildStack("dev", { ciTrustedRoleArns: [BRANCH_AGENT] });
        prod = await buildStack("prod", { ciProdAgentRoleArns: [PROD_AGENT] });
    });

    it("keeps prod's roles out of reach of the agent that builds branches; only the main-only agent assumes them", async () => {
        for (const name of ["ci-access-deploy", "ci-access-preview"]) {
            expect(await roleSessionDecision(trust(prod, name), roleArn(prod, name), BRANCH_AGENT), `prod ${name}, branch agent`).to.equal("implicit");
            expect(await roleSessionDecision(trust(prod, name), roleArn(prod, name), PROD_AGENT), `prod ${name}, prod agent`).to.equal("allow");
        }
    });

    it("lets the branch agent assume the roles of dev (no reviewed previews), and the prod agent not", async () => {
        for (const name of ["ci-access-deploy", "ci-access-preview"]) {
            expect(await roleSessionDecision(trust(dev, name), roleArn(dev, name), BRANCH_AGENT), `dev ${name}`).to.equal("allow");
            expect(await roleSessionDecision(trust(dev, name), roleArn(dev, name), PROD_AGENT), `dev ${name}`).to.equal("implicit");
        }
    });
});

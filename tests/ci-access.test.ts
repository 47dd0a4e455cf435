import { expect } from "chai";
import { CiAccessArgs } from "../components/ci-access";
import { CiAccessBuild, GITHUB_PROVIDER_ARN, GithubClaims, buildCiAccess, githubTokenMayAssume } from "./support/ci-access-harness";
import { credentialJobs, presentedSubjects, resolvedWorkflow, stepsOf } from "./support/ci-access-workflows";
import { ACCOUNT_ID } from "./support/mocks";
import { PROJECT } from "./support/stack-files";

const REPO = "acme-corp/eks-platform";
const JENKINS_AGENT = `arn:aws:iam::${ACCOUNT_ID}:role/jenkins-agent`;
const ROLE = "aws:iam/role:Role";
const ATTACHMENT = "aws:iam/rolePolicyAttachment:RolePolicyAttachment";
const AUD = "sts.amazonaws.com";

/** The settings proposed for the stacks: dev deploys from main, prod from the reviewed environment. */
const DEV: Omit<CiAccessArgs, "aws"> = { repository: REPO, environment: "dev", deployBranches: ["main"], deployEnvironments: [] };
const PROD: Omit<CiAccessArgs, "aws"> = {
    repository: REPO,
    environment: "prod",
    deployBranches: [],
    deployEnvironments: ["production"],
    oidcProviderArn: GITHUB_PROVIDER_ARN,
    trustedRoleArns: [JENKINS_AGENT],
};

const trustOf = (b: CiAccessBuild, suffix: string) => JSON.parse(b.one(ROLE, suffix).inputs.assumeRolePolicy);
const list = (x: unknown): any[] => (x === undefined ? [] : Array.isArray(x) ? x : [x]);
const token = (sub: string, aud = AUD): GithubClaims => ({ aud, sub });
const attachedTo = (b: CiAccessBuild, suffix: string) =>
    b.ofType(ATTACHMENT).filter((a) => a.name.startsWith(`ci-${suffix}-`)).map((a) => String(a.inputs.policyArn));

describe("CiAccess", () => {
    let dev: CiAccessBuild;
    let prod: CiAccessBuild;
    before(async () => {
        dev = await buildCiAccess(DEV, "dev");
        prod = await buildCiAccess(PROD, "prod");
    });

    it("creates GitHub's OIDC provider for the STS audience, without thumbprints (IAM trusts GitHub's CA itself)", () => {
        const provider = dev.one("aws:iam/openIdConnectProvider:OpenIdConnectProvider");
        expect(provider.inputs.url).to.equal("https://token.actions.githubusercontent.com");
        expect(provider.inputs.clientIdLists).to.deep.equal([AUD]);
        expect(provider.inputs.thumbprintLists).to.equal(undefined);
        expect(dev.outputs.oidcProviderArn).to.equal(GITHUB_PROVIDER_ARN);
    });

    it("reuses the account's provider when given one, instead of failing on a second", () => {
        expect(prod.ofType("aws:iam/openIdConnectProvider:OpenIdConnectProvider")).to.deep.equal([]);
        expect(trustOf(prod, "deploy").Statement[0].Principal).to.deep.equal({ Federated: GITHUB_PROVIDER_ARN });
    });

    it("names the roles eks-platform-deploy-<env> / eks-platform-preview-<env>, the names CI and the workflows use", () => {
        expect(dev.one(ROLE, "deploy").inputs.name).to.equal("eks-platform-deploy-dev");
        expect(dev.one(ROLE, "preview").inputs.name).to.equal("eks-platform-preview-dev");
        expect(prod.outputs.deployRoleArn).to.equal(`arn:aws:iam::${ACCOUNT_ID}:role/eks-platform-deploy-prod`);
    });

    it("lets only pushes to main assume dev's deploy role", () => {
        const trust = trustOf(dev, "deploy");
        const may = (claims: GithubClaims) => githubTokenMayAssume(trust, GITHUB_PROVIDER_ARN, claims);
        expect(may(token(`repo:${REPO}:ref:refs/heads/main`))).to.equal(true);
        expect(may(token(`repo:${REPO}:pull_request`))).to.equal(false);
        expect(may(token(`repo:${REPO}:ref:refs/heads/feature`))).to.equal(false);
        expect(may(token(`repo:${REPO}:environment:production`))).to.equal(false);
        expect(may(token("repo:someone-else/eks-platform:ref:refs/heads/main"))).to.equal(false);
        expect(may(token(`repo:${REPO}:ref:refs/heads/main`, "https://github.com/acme-corp"))).to.equal(false);
    });

    it("lets only jobs of the production environment assume prod's deploy role", () => {
        const may = (sub: string) => githubTokenMayAssume(trustOf(prod, "deploy"), GITHUB_PROVIDER_ARN, token(sub));
        expect(may(`repo:${REPO}:environment:production`)).to.equal(true);
        expect(may(`repo:${REPO}:ref:refs/heads/main`)).to.equal(false);
        expect(may(`repo:${REPO}:pull_request`)).to.equal(false);
        expect(may(`repo:${REPO}:environment:staging`)).to.equal(false);
    });

    it("gives pull requests only the preview role, and it can only read", () => {
        for (const b of [dev, prod]) {
            const may = (sub: string) => githubTokenMayAssume(trustOf(b, "preview"), GITHUB_PROVIDER_ARN, token(sub));
            expect(may(`repo:${REPO}:pull_request`)).to.equal(true);
            expect(may(`repo:${REPO}:ref:refs/heads/main`)).to.equal(false);
            expect(may(`repo:${REPO}:environment:production`)).to.equal(false);
            expect(attachedTo(b, "preview")).to.deep.equal(["arn:aws:iam::aws:policy/ReadOnlyAccess"]);
        }
    });

    it("trusts the workflows' own jobs: each job's token opens exactly the roles its workflow assumes", () => {
        const builds = { dev, prod };
        // One pull_request subject serves both preview jobs of the matrix, so it opens both read-only roles.
        const opens: Record<string, string[]> = {
            "deploy-dev.yml": ["deploy dev"],
            "deploy-prod.yml": ["deploy prod"],
            "preview.yml": ["preview dev", "preview prod"],
        };
        for (const [file, expected] of Object.entries(opens)) {
            const w = resolvedWorkflow(file);
            const jobs = credentialJobs(w);
            expect(jobs, file).to.have.length(1);
            const [[, job]] = jobs;
            const subjects = presentedSubjects(w, job, REPO);
            expect(subjects, file).to.have.length(1);
            const opened = (["deploy", "preview"] as const).flatMap((kind) =>
                (["dev", "prod"] as const)
                    .filter((env) => githubTokenMayAssume(trustOf(builds[env], kind), GITHUB_PROVIDER_ARN, token(subjects[0])))
                    .map((env) => `${kind} ${env}`),
            );
            expect(opened, `${file} (${subjects[0]})`).to.deep.equal(expected);
        }
    });

    it("keeps each deploy workflow's session within the deploy role's maximum", () => {
        for (const [file, b] of [["deploy-dev.yml", dev], ["deploy-prod.yml", prod]] as const) {
            const [[, job]] = credentialJobs(resolvedWorkflow(file));
            const asked = stepsOf(job).find((s) => s.uses?.startsWith("aws-actions/configure-aws-credentials@"))?.with?.["role-duration-seconds"];
            expect(asked, file).to.be.a("number").and.be.at.most(b.one(ROLE, "deploy").inputs.maxSessionDuration);
        }
    });

    it("gives the deploy role PowerUserAccess plus its own scoped IAM policy, never administrator rights", () => {
        for (const b of [dev, prod]) {
            const policies = attachedTo(b, "deploy");
            expect(policies).to.have.length(2);
            expect(policies).to.include("arn:aws:iam::aws:policy/PowerUserAccess");
            expect(policies.some((p) => /AdministratorAccess|IAMFullAccess/.test(p))).to.equal(false);
            const own = b.one("aws:iam/policy:Policy", "deploy-iam");
            expect(own.inputs.name).to.match(/^eks-platform-deploy-(dev|prod)-iam$/);
            expect(policies).to.include(`arn:aws:iam::${ACCOUNT_ID}:policy/${own.inputs.name}`);
        }
    });

    it("writes no IAM statement the security checks forbid: no `*`, no whole service, no NotAction", () => {
        const doc = JSON.parse(dev.one("aws:iam/policy:Policy").inputs.policy);
        for (const s of list(doc.Statement)) {
            expect(s.NotAction, s.Sid).to.equal(undefined);
            for (const action of list(s.Action)) {
                expect(action, s.Sid).to.not.equal("*");
                expect(action, s.Sid).to.not.match(/^[a-z0-9-]+:\*$/);
            }
        }
    });

    it("allows IAM writes only on resources tagged for its own environment, and passes roles only to the platform's services", () => {
        for (const [b, env] of [[dev, "dev"], [prod, "prod"]] as const) {
            const doc = JSON.parse(b.one("aws:iam/policy:Policy").inputs.policy);
            const allows = list(doc.Statement).filter((s: any) => s.Effect === "Allow");
            for (const s of allows) {
                const writes = list(s.Action).filter((a: string) => !/^iam:(Get|List)/.test(a));
                if (writes.length === 0) continue;
                expect(s.Condition, s.Sid).to.not.equal(undefined);
                const tags = s.Condition.StringEquals ?? {};
                if (s.Sid === "PassRolesToPlatformServices") {
                    expect(writes).to.deep.equal(["iam:PassRole"]);
                    expect(tags["iam:PassedToService"]).to.have.members(["eks.amazonaws.com", "pods.eks.amazonaws.com", "vpc-flow-logs.amazonaws.com"]);
                } else {
                    const prefix = s.Sid.startsWith("Create") ? "aws:RequestTag" : "aws:ResourceTag";
                    expect(tags, s.Sid).to.deep.equal({ [`${prefix}/project`]: PROJECT, [`${prefix}/environment`]: env });
                }
            }
        }
    });

    it("denies changing the CI roles, their policies and the GitHub provider, and attaching administrator policies", () => {
        const doc = JSON.parse(prod.one("aws:iam/policy:Policy").inputs.policy);
        const deny = (sid: string) => list(doc.Statement).find((s: any) => s.Sid === sid && s.Effect === "Deny");
        const self = deny("NeverChangeCiAccess");
        expect(self.Resource).to.include.members([
            `arn:aws:iam::${ACCOUNT_ID}:role/eks-platform-deploy-*`,
            `arn:aws:iam::${ACCOUNT_ID}:role/eks-platform-preview-*`,
            `arn:aws:iam::${ACCOUNT_ID}:policy/eks-platform-deploy-*`,
            `arn:aws:iam::${ACCOUNT_ID}:oidc-provider/token.actions.githubusercontent.com`,
        ]);
        expect(self.Action).to.include.members(["iam:UpdateAssumeRolePolicy", "iam:AttachRolePolicy", "iam:CreatePolicyVersion", "iam:TagRole"]);
        const allowed = list(doc.Statement).filter((s: any) => s.Effect === "Allow").flatMap((s: any) => list(s.Action));
        for (const write of allowed.filter((a: string) => !/^iam:(Get|List)|^iam:PassRole$/.test(a))) expect(self.Action, write).to.include(write);
        const admin = deny("NeverGrantAdministration");
        expect(admin.Condition.ArnEquals["iam:PolicyARN"]).to.include("arn:aws:iam::aws:policy/AdministratorAccess");
    });

    it("trusts extra principals only as named roles, with plain AssumeRole", () => {
        const statement = trustOf(prod, "deploy").Statement.find((s: any) => s.Sid === "TrustedRoles");
        expect(statement).to.deep.equal({ Sid: "TrustedRoles", Effect: "Allow", Principal: { AWS: [JENKINS_AGENT] }, Action: "sts:AssumeRole" });
        expect(trustOf(dev, "deploy").Statement.map((s: any) => s.Sid)).to.deep.equal(["GitHubActions"]);
    });

    it("refuses accounts, roots and wildcards as trusted principals", async () => {
        for (const principal of [ACCOUNT_ID, `arn:aws:iam::${ACCOUNT_ID}:root`, "*", `arn:aws:iam::${ACCOUNT_ID}:user/ci`]) {
            const failure = await buildCiAccess({ ...PROD, trustedRoleArns: [principal] }, "prod").then(() => undefined, (e: Error) => e.message);
            expect(failure, principal).to.include("trustedRoleArns").and.include(JSON.stringify(principal));
        }
    });

    it("refuses bad arguments with one message naming each", async () => {
        const failure = await buildCiAccess({ ...DEV, repository: "eks-platform", deployBranches: [], deploySessionSeconds: 60 }, "dev").then(
            () => undefined,
            (e: Error) => e.message,
        );
        expect(failure).to.include("repository").and.include("deployBranches/deployEnvironments").and.include("deploySessionSeconds");
        const wildcard = await buildCiAccess({ ...DEV, deployBranches: ["release/*"] }, "dev").then(() => undefined, (e: Error) => e.message);
        expect(wildcard).to.include("deployBranches").and.include("no wildcards");
    });

    it("parents every resource to the component and exports the role ARNs", () => {
        for (const b of [dev, prod]) {
            for (const r of b.resources.filter((x) => x.type !== "eks-platform:ci:CiAccess")) {
                expect(r.opts.parent, `${r.type} ${r.name}`).to.equal("eks-platform:ci:CiAccess::ci");
            }
        }
        expect(dev.outputs.previewRoleArn).to.equal(`arn:aws:iam::${ACCOUNT_ID}:role/eks-platform-preview-dev`);
    });
});

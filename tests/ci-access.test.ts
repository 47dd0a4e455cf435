import { expect } from "chai";
import { MANAGED_POLICY_MAX_CHARS } from "../components/shared/iam";
import { deployPolicyName } from "./support/deploy-documents";
import { CiAccessArgs } from "../components/ci-access";
import { CiAccessBuild, GITHUB_PROVIDER_ARN, buildCiAccess } from "./support/ci-access-harness";
import { decide } from "./support/iam-engine";
import { GithubClaims, githubTokenMayAssume } from "./support/github-trust";
import { credentialJobs, presentedSubjects, resolvedWorkflow, stepsOf } from "./support/ci-access-workflows";
import { fixturesDir } from "../tooling/offline/stack-files";
import { previewLegs } from "./support/stacks";
import { ACCOUNT_ID } from "../tooling/offline/mocks";
import { beforeBuilding } from "./support/build-hook";

const REPO = "acme-corp/eks-platform";
const REPO_ID = "691237045";
const OWNER_ID = "148930217";
const STATE = "acme-pulumi-state/eks-platform";
const APP = { repository: "acme-corp/shop", repositoryId: "803412557", repositoryOwnerId: OWNER_ID, ecrRepository: "shop" };
const JENKINS_AGENT = `arn:aws:iam::${ACCOUNT_ID}:role/jenkins-agent`;
const JENKINS_PROD_AGENT = `arn:aws:iam::${ACCOUNT_ID}:role/jenkins-prod-agent`;
const ROLE = "aws:iam/role:Role";
const ATTACHMENT = "aws:iam/rolePolicyAttachment:RolePolicyAttachment";
const AUD = "sts.amazonaws.com";

/** The settings proposed for the stacks: dev deploys from main, prod from the reviewed environment. */
const DEV: Omit<CiAccessArgs, "aws"> = {
    repository: REPO,
    repositoryId: REPO_ID,
    repositoryOwnerId: OWNER_ID,
    stateLocation: STATE,
    secretPrefixes: ["dev"],
    environment: "dev",
    clusterName: "eks-dev",
    ipFamily: "ipv4",
    computeMode: "karpenter",
    deployBranches: ["main"],
    deployEnvironments: [],
    applications: [APP],
};
const PROD: Omit<CiAccessArgs, "aws"> = {
    repository: REPO,
    repositoryId: REPO_ID,
    repositoryOwnerId: OWNER_ID,
    stateLocation: STATE,
    secretPrefixes: ["production"],
    previewEnvironment: "preview-production",
    environment: "prod",
    ipFamily: "ipv4",
    computeMode: "karpenter",
    clusterName: "eks-prod",
    deployBranches: [],
    deployEnvironments: ["production"],
    oidcProviderArn: GITHUB_PROVIDER_ARN,
    prodAgentRoleArns: [JENKINS_PROD_AGENT],
};

/** A matrix job as one leg runs it: every `${{ matrix.<key> }}` replaced by the leg's value. */
const withMatrix = (job: any, leg: Record<string, string>): any =>
    JSON.parse(JSON.stringify(job).replace(/\$\{\{ matrix\.(\w+) \}\}/g, (_, k: string) => leg[k] ?? ""));
const trustOf = (b: CiAccessBuild, suffix: string) => JSON.parse(b.one(ROLE, suffix).inputs.assumeRolePolicy);
/** Whether a GitHub token may assume the role ending `suffix`, as the IAM engine decides on its trust. */
const mayAssume = (b: CiAccessBuild, suffix: string, claims: GithubClaims) =>
    githubTokenMayAssume(trustOf(b, suffix), `arn:aws:iam::${ACCOUNT_ID}:role/${b.one(ROLE, suffix).inputs.name}`, GITHUB_PROVIDER_ARN, claims);
const list = (x: unknown): any[] => (x === undefined ? [] : Array.isArray(x) ? x : [x]);
const DEPLOY_WORKFLOW_REF = `${REPO}/.github/workflows/pulumi-up.yml@refs/heads/main`;
const PREVIEW_WORKFLOW_REF = `${REPO}/.github/workflows/preview.yml@refs/pull/7/merge`;
/** A token of this repository; deploy jobs run pulumi-up.yml on main. */
const token = (sub: string, aud = AUD, extra: Partial<GithubClaims> = {}): GithubClaims => ({
    aud,
    sub,
    ref: "refs/heads/main",
    repository_id: REPO_ID,
    repository_owner_id: OWNER_ID,
    job_workflow_ref: DEPLOY_WORKFLOW_REF,
    ...extra,
});
/** A token of preview.yml's job on pull request 7. */
const previewToken = (sub: string): GithubClaims => token(sub, AUD, { ref: "refs/pull/7/merge", job_workflow_ref: PREVIEW_WORKFLOW_REF });
const attachedTo = (b: CiAccessBuild, suffix: string) =>
    b.ofType(ATTACHMENT).filter((a) => a.name.startsWith(`ci-${suffix}-`)).map((a) => String(a.inputs.policyArn));

describe("CiAccess", () => {
    let dev: CiAccessBuild;
    let prod: CiAccessBuild;
    beforeBuilding(async () => {
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

    it("lets only pushes to main assume dev's deploy role", async () => {
        const may = (claims: GithubClaims) => mayAssume(dev, "deploy", claims);
        expect(await may(token(`repo:${REPO}:ref:refs/heads/main`))).to.equal(true);
        expect(await may(previewToken(`repo:${REPO}:pull_request`))).to.equal(false);
        expect(await may(token(`repo:${REPO}:ref:refs/heads/feature`))).to.equal(false);
        expect(await may(token(`repo:${REPO}:environment:production`))).to.equal(false);
        expect(await may(token("repo:someone-else/eks-platform:ref:refs/heads/main"))).to.equal(false);
        expect(await may(token(`repo:${REPO}:ref:refs/heads/main`, "https://github.com/acme-corp"))).to.equal(false);
    });

    it("lets only jobs of the production environment assume prod's deploy role", async () => {
        const may = (sub: string) => mayAssume(prod, "deploy", token(sub));
        expect(await may(`repo:${REPO}:environment:production`)).to.equal(true);
        expect(await may(`repo:${REPO}:ref:refs/heads/main`)).to.equal(false);
        expect(await may(`repo:${REPO}:pull_request`)).to.equal(false);
        expect(await may(`repo:${REPO}:environment:staging`)).to.equal(false);
    });

    it("gives pull requests only the preview role; prod's only to jobs of the reviewed preview environment", async () => {
        for (const [b, previewSubject] of [[dev, `repo:${REPO}:pull_request`], [prod, `repo:${REPO}:environment:preview-production`]] as const) {
            const others = [`repo:${REPO}:pull_request`, `repo:${REPO}:ref:refs/heads/main`, `repo:${REPO}:environment:production`, `repo:${REPO}:environment:preview-production`];
            for (const sub of others) expect(await mayAssume(b, "preview", previewToken(sub)), sub).to.equal(sub === previewSubject);
            expect(attachedTo(b, "preview"), "no managed policy (ReadOnlyAccess reads every bucket)").to.deep.equal([]);
        }
    });

    it("pins every GitHub trust to the repository's and its owner's ids, and the deploy trust to pulumi-up.yml on main", async () => {
        const deploy = (b: CiAccessBuild, sub: string, extra: Partial<GithubClaims>) => mayAssume(b, "deploy", token(sub, AUD, extra));
        const main = `repo:${REPO}:ref:refs/heads/main`;
        expect(await deploy(dev, main, {})).to.equal(true);
        expect(await deploy(dev, main, { repository_id: "1" }), "a repository recreated under the same name").to.equal(false);
        expect(await deploy(dev, main, { repository_id: undefined })).to.equal(false);
        expect(await deploy(dev, main, { repository_owner_id: "1" }), "the owner name taken over by another account").to.equal(false);
        expect(await deploy(dev, main, { job_workflow_ref: `${REPO}/.github/workflows/preview.yml@refs/heads/main` }), "another workflow on main").to.equal(false);
        expect(await deploy(dev, main, { job_workflow_ref: `${REPO}/.github/workflows/pulumi-up.yml@refs/heads/feature` })).to.equal(false);
        expect(await deploy(prod, `repo:${REPO}:environment:production`, {})).to.equal(true);
        expect(await deploy(prod, `repo:${REPO}:environment:production`, { job_workflow_ref: `${REPO}/.github/workflows/evil.yml@refs/heads/main` })).to.equal(false);
        for (const b of [dev, prod]) {
            for (const role of b.ofType(ROLE)) {
                const github = JSON.parse(role.inputs.assumeRolePolicy).Statement.filter((st: any) => st.Principal.Federated);
                expect(github, role.name).to.not.deep.equal([]);
                for (const st of github) {
                    expect(st.Condition.StringEquals["token.actions.githubusercontent.com:repository_id"], `${role.name} ${st.Sid}`).to.be.a("string");
                    expect(st.Condition.StringEquals["token.actions.githubusercontent.com:repository_owner_id"], `${role.name} ${st.Sid}`).to.equal(OWNER_ID);
                }
            }
        }
    });

    it("trusts the workflows' own jobs: each job's token (each preview leg's) opens exactly the roles it assumes", async () => {
        const builds = { dev, prod };
        const opens: Record<string, string[][]> = {
            "deploy-dev.yml": [["deploy dev"]],
            "deploy-prod.yml": [["deploy prod"]],
            // One leg per stack with CI access: dev's (and the ipv6 fixture's, also unreviewed) as a pull_request job,
            // prod's in the reviewed preview-production environment (auto has none). Only dev's and prod's roles are built here.
            "preview.yml": [["preview dev"], ["preview dev"], ["preview prod"]],
            // The drift check: the same roles, from main's scheduled (or hand-run) jobs.
            "drift.yml": [["preview dev"], ["preview dev"], ["preview prod"]],
        };
        const legs = previewLegs({ PROD_RUNNER_LABEL: "prod-jit" }, fixturesDir).legs;
        for (const [file, expected] of Object.entries(opens)) {
            const w = resolvedWorkflow(file);
            const jobs = credentialJobs(w);
            expect(jobs, file).to.have.length(1);
            const [[, job]] = jobs;
            const variants = job.strategy ? legs.map((leg) => withMatrix(job, { ...leg })) : [job];
            const ref = file === "preview.yml" ? "refs/pull/7/merge" : "refs/heads/main";
            const workflowRef = `${REPO}/.github/workflows/${job.calls ?? file}@${ref}`;
            const opened: string[][] = [];
            for (const leg of variants) {
                const subjects = presentedSubjects(w, leg, REPO);
                expect(subjects, file).to.have.length(1);
                const claims = token(subjects[0], AUD, { ref, job_workflow_ref: workflowRef });
                const roles: string[] = [];
                for (const kind of ["deploy", "preview"] as const) {
                    for (const env of ["dev", "prod"] as const) if (await mayAssume(builds[env], kind, claims)) roles.push(`${kind} ${env}`);
                }
                opened.push(roles);
            }
            expect(opened, file).to.deep.equal(expected);
        }
    });

    it("keeps each deploy workflow's session within the deploy role's maximum", () => {
        for (const [file, b] of [["deploy-dev.yml", dev], ["deploy-prod.yml", prod]] as const) {
            const [[, job]] = credentialJobs(resolvedWorkflow(file));
            const asked = stepsOf(job).find((s) => s.uses?.startsWith("aws-actions/configure-aws-credentials@"))?.with?.["role-duration-seconds"];
            expect(asked, file).to.be.a("number").and.be.at.most(b.one(ROLE, "deploy").inputs.maxSessionDuration);
        }
    });

    it("gives the deploy role only its own policies (IAM, services, in parts under IAM's size limit): no PowerUserAccess, no AWS-managed policy", () => {
        for (const b of [dev, prod]) {
            const env = b === dev ? "dev" : "prod";
            const policies = attachedTo(b, "deploy");
            const own = b.ofType("aws:iam/policy:Policy").filter((p) => deployPolicyName("ci").test(p.name));
            expect(own.map((p) => p.inputs.name)).to.include.members([`eks-platform-deploy-${env}-iam`, `eks-platform-deploy-${env}-services`]);
            for (const p of own) expect(p.inputs.name).to.match(new RegExp(`^eks-platform-deploy-${env}-(iam|services)(-\\d+)?$`));
            expect(policies).to.have.members(own.map((p) => `arn:aws:iam::${ACCOUNT_ID}:policy/${p.inputs.name}`));
            expect(policies.filter((p) => p.includes(":iam::aws:policy/"))).to.deep.equal([]);
            // IAM refuses a managed policy over 6,144 characters (whitespace not counted), and a role over ten of them.
            for (const p of own) expect(JSON.stringify(JSON.parse(p.inputs.policy)).length, p.inputs.name).to.be.at.most(MANAGED_POLICY_MAX_CHARS);
            expect(policies.length).to.be.at.most(10);
        }
    });

    it("writes no IAM statement the security checks forbid: no `*`, no whole service, no NotAction", () => {
        for (const b of [dev, prod]) {
            const docs = [...b.ofType("aws:iam/policy:Policy"), ...b.ofType("aws:iam/rolePolicy:RolePolicy")].map((r) => [r.name, JSON.parse(r.inputs.policy)] as const);
            expect(docs.length).to.be.at.least(4);
            for (const [name, doc] of docs) {
                for (const st of list(doc.Statement)) {
                    expect(st.NotAction, `${name} ${st.Sid}`).to.equal(undefined);
                    for (const action of list(st.Action)) expect(action, `${name} ${st.Sid}`).to.not.match(/^\*$|^[a-z0-9-]+:\*$/);
                }
            }
        }
    });

    it("gives each application one push role: release.yml on its main branch and v* tags (or its reviewed environment), its own ECR repository", async () => {
        const may = async (ref: string, extra: Partial<GithubClaims> = {}) =>
            mayAssume(dev, "push-shop", token(`repo:acme-corp/shop:ref:${ref}`, AUD, { ref, repository_id: APP.repositoryId, job_workflow_ref: `acme-corp/shop/.github/workflows/release.yml@${ref}`, ...extra }));
        expect(await may("refs/heads/main")).to.equal(true);
        expect(await may("refs/tags/v1.2.3")).to.equal(true);
        expect(await may("refs/heads/feature")).to.equal(false);
        expect(await may("refs/tags/release-1")).to.equal(false);
        expect(await may("refs/heads/main", { sub: "repo:acme-corp/shop:pull_request" })).to.equal(false);
        expect(await may("refs/heads/main", { repository_id: REPO_ID }), "another repository's id").to.equal(false);
        expect(dev.one(ROLE, "push-shop").inputs.name).to.equal("eks-platform-ecr-push-dev-shop");
        expect(dev.outputs.imagePushRoleArns).to.deep.equal({ "acme-corp/shop": `arn:aws:iam::${ACCOUNT_ID}:role/eks-platform-ecr-push-dev-shop` });
        const policy = JSON.parse(dev.one("aws:iam/rolePolicy:RolePolicy", "push-shop").inputs.policy);
        const repo = `arn:aws:ecr:us-west-2:${ACCOUNT_ID}:repository/shop`;
        const can = (action: string, resource: string) => decide({ identity: [policy] }, { action, resource });
        for (const action of ["ecr:PutImage", "ecr:InitiateLayerUpload", "ecr:UploadLayerPart", "ecr:CompleteLayerUpload", "ecr:BatchGetImage"]) {
            expect(await can(action, repo), action).to.equal("allow");
            expect(await can(action, `arn:aws:ecr:us-west-2:${ACCOUNT_ID}:repository/other`), action).to.equal("implicit");
        }
        expect(await can("ecr:GetAuthorizationToken", "*")).to.equal("allow");
        expect(await can("ecr:DeleteRepository", repo)).to.equal("implicit");
        expect(await can("ecr:SetRepositoryPolicy", repo)).to.equal("implicit");
    });

    it("trusts extra principals only as named roles, with plain AssumeRole: a reviewed stack only its main-only agent", () => {
        for (const suffix of ["deploy", "preview"]) {
            const statement = trustOf(prod, suffix).Statement.find((s: any) => s.Sid === "TrustedRoles");
            expect(statement, suffix).to.deep.equal({ Sid: "TrustedRoles", Effect: "Allow", Principal: { AWS: [JENKINS_PROD_AGENT] }, Action: "sts:AssumeRole" });
        }
        expect(trustOf(dev, "deploy").Statement.map((s: any) => s.Sid)).to.deep.equal(["GitHubDeployBranches"]);
    });

    it("refuses accounts, roots and wildcards as trusted principals, and a branch agent's role in a reviewed stack", async () => {
        for (const principal of [ACCOUNT_ID, `arn:aws:iam::${ACCOUNT_ID}:root`, "*", `arn:aws:iam::${ACCOUNT_ID}:user/ci`]) {
            const cases: [Omit<CiAccessArgs, "aws">, string][] = [[{ ...DEV, trustedRoleArns: [principal] }, "trustedRoleArns"], [{ ...PROD, prodAgentRoleArns: [principal] }, "prodAgentRoleArns"]];
            for (const [args, key] of cases) {
                const failure = await buildCiAccess(args, args.environment).then(() => undefined, (e: Error) => e.message);
                expect(failure, principal).to.include(key).and.include(JSON.stringify(principal));
            }
        }
        const branchAgent = await buildCiAccess({ ...PROD, trustedRoleArns: [JENKINS_AGENT] }, "prod").then(() => undefined, (e: Error) => e.message);
        expect(branchAgent).to.include(`trustedRoleArns: got ${JSON.stringify([JENKINS_AGENT])}; allowed: empty where previewEnvironment is set`);
        const misplaced = await buildCiAccess({ ...DEV, prodAgentRoleArns: [JENKINS_PROD_AGENT] }, "dev").then(() => undefined, (e: Error) => e.message);
        expect(misplaced).to.include("prodAgentRoleArns").and.include("empty where previewEnvironment is not set");
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


import { expect } from "chai";
import { policies } from "../policy/policies";
import { REPOSITORY_CREDENTIAL_KEYS, repositoryExternalSecret } from "../components/platform/argocd/repository";
import { beforeBuilding } from "./support/build-hook";
import { CrdValidator } from "./support/crd";
import { errorFor } from "./support/config-errors";
import { StackGraph, buildStack, stackGraph } from "../tooling/offline/harness";
import { decide } from "./support/iam-engine";
import { ACCOUNT_ID } from "../tooling/offline/mocks";
import { graphResources, reported } from "./support/policy-builders";
import { runPolicy } from "./support/policy-harness";
import { requireReference } from "./support/reference";
import { projectPermits } from "./support/tenants";

const SECRET = "argocd/dev/gitops-repository";
const REPO_URL = "https://github.com/octo-platform/gitops.git";
const json = (v: unknown) => (typeof v === "string" ? JSON.parse(v) : v);
const secretArn = (name: string) => `arn:aws:secretsmanager:us-west-2:${ACCOUNT_ID}:secret:${name}-AbCdEf`;
const custom = (g: StackGraph, kind: string) => g.resources.filter((r) => r.type.startsWith("kubernetes:") && r.inputs.kind === kind).map((r) => r.inputs);

describe("a private GitOps repository (gitopsRepoCredentials)", () => {
    let dev: StackGraph;
    let publicRepo: StackGraph;
    beforeBuilding(async () => {
        dev = await buildStack("dev", { gitopsRepoCredentials: SECRET });
        publicRepo = await stackGraph("dev");
    });

    it("syncs the secret into an Argo CD repository Secret for exactly the GitOps repository URL", () => {
        const [secret] = custom(dev, "ExternalSecret");
        expect(secret.metadata).to.deep.equal({ name: "gitops-repository", namespace: "argocd" });
        expect(secret.spec.secretStoreRef).to.deep.equal({ kind: "ClusterSecretStore", name: "gitops-repository" });
        const target = secret.spec.target;
        expect(target.template.metadata.labels).to.deep.equal({ "argocd.argoproj.io/secret-type": "repository" });
        expect(target.template.data).to.deep.equal({
            type: "git",
            url: REPO_URL,
            githubAppID: "{{ .githubAppID }}",
            githubAppInstallationID: "{{ .githubAppInstallationID }}",
            githubAppPrivateKey: "{{ .githubAppPrivateKey }}",
        });
        expect(secret.spec.data).to.deep.equal(REPOSITORY_CREDENTIAL_KEYS.githubApp.map((k) => ({ secretKey: k, remoteRef: { key: SECRET, property: k } })));
        expect(custom(dev, "AppProject")[0].spec.sourceRepos).to.deep.equal([target.template.data.url]);
    });

    it("serves it through a store of its own, for the argocd namespace alone, that assumes a role reading that one secret", async () => {
        const stores = custom(dev, "ClusterSecretStore");
        const repoRoleArn = `arn:aws:iam::${ACCOUNT_ID}:role/eks-dev-gitops-repository`;
        expect(stores.find((s) => s.metadata.name === "gitops-repository")!.spec).to.deep.equal({
            provider: { aws: { service: "SecretsManager", region: "us-west-2", role: repoRoleArn } },
            conditions: [{ namespaces: ["argocd"] }],
        });
        // The applications' store is unchanged: their namespaces, the operator's own identity.
        expect(stores.find((s) => s.metadata.name === "aws-secrets-manager")!.spec).to.deep.equal(custom(publicRepo, "ClusterSecretStore")[0].spec);

        const operator = json(dev.one("aws:iam/policy:Policy", "eks-dev-external-secrets-read-secrets").inputs.policy);
        const repoRole = dev.one("aws:iam/role:Role", "eks-dev-gitops-repository");
        const repoPolicy = json(dev.one("aws:iam/rolePolicy:RolePolicy", "eks-dev-gitops-repository").inputs.policy);
        const operatorArn = `arn:aws:iam::${ACCOUNT_ID}:role/eks-dev-external-secrets`;
        const asOperator = { principal: operatorArn };
        expect(await decide({ identity: [operator] }, { action: "sts:AssumeRole", resource: repoRoleArn, ...asOperator })).to.equal("allow");
        expect(await decide({ identity: [operator] }, { action: "sts:AssumeRole", resource: `arn:aws:iam::${ACCOUNT_ID}:role/eks-dev-karpenter`, ...asOperator })).to.equal("implicit");
        expect(await decide({ identity: [operator] }, { action: "secretsmanager:GetSecretValue", resource: secretArn(SECRET), ...asOperator })).to.equal("implicit");
        // The role's trust admits the operator and nobody else.
        const trust = json(repoRole.inputs.assumeRolePolicy);
        const assume = (principal: string) => decide({ identity: [], resourcePolicy: trust }, { action: "sts:AssumeRole", resource: repoRoleArn, principal });
        expect(await assume(operatorArn)).to.equal("allow");
        expect(await assume(`arn:aws:iam::${ACCOUNT_ID}:role/eks-dev-karpenter`)).to.equal("implicit");
        // The role reads that one secret (any version suffix), nothing beside it.
        const read = (name: string) => decide({ identity: [repoPolicy] }, { action: "secretsmanager:GetSecretValue", resource: secretArn(name), principal: repoRoleArn });
        expect(await read(SECRET)).to.equal("allow");
        for (const other of [`${SECRET}-old`, "dev/database", "argocd/prod/gitops-repository"]) expect(await read(other), other).to.equal("implicit");
    });

    it("passes the whole policy pack (one named secret is narrower than a prefix)", async () => {
        const resources = graphResources(dev);
        for (const p of policies) {
            const run = await runPolicy(p, resources);
            expect(run.error, `${p.name}: ${run.error}`).to.equal(undefined);
            expect(reported(run), p.name).to.deep.equal([]);
        }
    });

    it("keeps applications away from every store but theirs: no SecretStore or generator of their own", () => {
        const project = custom(dev, "AppProject")[0].spec;
        for (const kind of ["SecretStore", "ClusterSecretStore", "PushSecret"]) expect(projectPermits(project, { group: "external-secrets.io", kind }, true), kind).to.equal(false);
        for (const kind of ["Password", "ECRAuthorizationToken", "STSSessionToken"]) expect(projectPermits(project, { group: "generators.external-secrets.io", kind }, true), kind).to.equal(false);
        expect(projectPermits(project, { group: "external-secrets.io", kind: "ExternalSecret" }, true)).to.equal(true);
    });

    it("leaves a public repository without store, role or ExternalSecret", () => {
        expect(custom(publicRepo, "ExternalSecret")).to.deep.equal([]);
        expect(custom(publicRepo, "ClusterSecretStore").map((s) => s.metadata.name)).to.deep.equal(["aws-secrets-manager"]);
        expect(publicRepo.ofType("aws:iam/role:Role").map((r) => r.name)).to.not.include("eks-dev-gitops-repository");
        const operator = json(publicRepo.one("aws:iam/policy:Policy", "eks-dev-external-secrets-read-secrets").inputs.policy);
        expect(operator.Statement.flatMap((s: any) => [].concat(s.Action))).to.not.include("sts:AssumeRole");
    });

    it("takes a deploy key for an SSH URL", () => {
        const secret = repositoryExternalSecret("git@github.com:octo-platform/gitops.git", { secretName: SECRET, form: "sshKey" }, "gitops-repository");
        expect(secret.spec.target.template.data).to.deep.equal({ type: "git", url: "git@github.com:octo-platform/gitops.git", sshPrivateKey: "{{ .sshPrivateKey }}" });
        expect(secret.spec.data).to.deep.equal([{ secretKey: "sshPrivateKey", remoteRef: { key: SECRET, property: "sshPrivateKey" } }]);
    });

    it("emits an ExternalSecret and a ClusterSecretStore the External Secrets v1 CRDs accept", function () {
        requireReference(this);
        const externalSecret = new CrdValidator("external-secrets/external-secrets.io_externalsecrets.yaml");
        const store = new CrdValidator("external-secrets/external-secrets.io_clustersecretstores.yaml");
        const ssh = repositoryExternalSecret("ssh://git@gitlab.example.org/acme/gitops.git", { secretName: SECRET, form: "sshKey" }, "gitops-repository");
        for (const object of [...custom(dev, "ExternalSecret"), ssh]) expect(externalSecret.errors(object)).to.deep.equal([]);
        for (const object of custom(dev, "ClusterSecretStore")) expect(store.errors(object), object.metadata.name).to.deep.equal([]);
        expect(externalSecret.errors({ ...ssh, spec: { ...ssh.spec, target: { ...ssh.spec.target, template: { ...ssh.spec.target.template, engineVersion: "v1" } } } })).to.not.be.empty;
    });

    it("refuses credentials without a repository, inside the applications' prefixes, or in a form the URL cannot take", () => {
        expect(errorFor("dev", { gitopsRepoCredentials: SECRET, gitopsRepoUrl: "", gitopsEnvironments: [] })).to.include(
            `eks-platform:gitopsRepoCredentials: got "${SECRET}" (gitopsRepoUrl is empty, so there is no repository to give credentials for); allowed: empty, or a Secrets Manager secret name`,
        );
        expect(errorFor("dev", { gitopsRepoCredentials: "staging/gitops-repository" })).to.include(
            'eks-platform:gitopsRepoCredentials: got "staging/gitops-repository" (under the externalSecretsPrefixes entry staging, whose secrets every application of the environment may read; keep it outside (e.g. argocd/dev/gitops-repository))',
        );
        expect(errorFor("dev", { gitopsRepoCredentials: SECRET, gitopsRepoUrl: "https://gitlab.com/acme/gitops.git" })).to.include(
            "(gitopsRepoUrl https://gitlab.com/acme/gitops.git is neither on github.com (a GitHub App) nor an SSH URL (a deploy key)",
        );
        expect(errorFor("dev", { gitopsRepoCredentials: "argocd//repo" })).to.include('eks-platform:gitopsRepoCredentials: got "argocd//repo"; allowed:');
    });
});

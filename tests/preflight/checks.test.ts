import { expect } from "chai";
import { PreflightInput, evaluate, lookupRequest } from "../../stacks/preflight/checks";
import { AccountFacts } from "../../stacks/preflight/lookups";

const ACCOUNT = "111122223333";
const input = (over: Partial<PreflightInput> = {}): PreflightInput => ({
    project: "eks-platform",
    clusterName: "eks-prod",
    fixedLogGroupNames: ["/aws/eks/eks-prod/cluster"],
    environment: "prod",
    region: "eu-west-1",
    namespace: "eks-platform",
    kubernetesVersion: "1.35",
    computeMode: "karpenter",
    ipFamily: "ipv4",
    systemNodeInstanceTypes: ["m6i.large"],
    azCount: 3,
    karpenterInstanceFamilies: ["m6i", "c6i"],
    spotCapacity: true,
    principals: [{ key: "clusterAdminArns", principal: "role/platform-operators" }],
    repositories: ["myapp"],
    ci: { oidcUrl: "https://token.actions.githubusercontent.com" },
    allowedAccountIds: [ACCOUNT],
    production: true,
    dockerHubCredentialsSecret: "ecr-pullthroughcache/docker-hub",
    ...over,
});
const ok = <T>(value: T) => ({ ok: true as const, value });
const failed = (error: string) => ({ ok: false as const, error });
const zones = ["eu-west-1a", "eu-west-1b", "eu-west-1c"];
/** An account where everything the input asks for exists. */
const facts = (over: Partial<AccountFacts> = {}): AccountFacts => ({
    accountId: ok(ACCOUNT),
    accountAlias: "acme-prod",
    callerArn: `arn:aws:sts::${ACCOUNT}:assumed-role/deployer/s`,
    regions: ok(["eu-west-1", "us-east-1"]),
    availabilityZones: ok(zones),
    instanceTypeZones: ok({ "m6i.large": zones, "m6i.xlarge": zones, "c6i.large": zones }),
    kubernetesVersions: ok([{ version: "1.35", status: "STANDARD_SUPPORT" }, { version: "1.34", status: "STANDARD_SUPPORT" }]),
    existingRoles: ok(["platform-operators"]),
    existingUsers: ok([]),
    spotServiceLinkedRole: ok(true),
    githubOidcProvider: ok(undefined),
    ecrRepositories: ok({}),
    existingCluster: ok(undefined),
    existingLogGroups: ok({}),
    managedAddonVersions: ok({ "vpc-cni": "v1.20.4-eksbuild.2", coredns: "v1.12.4-eksbuild.1" }),
    dockerHubCredentials: ok(`arn:aws:secretsmanager:eu-west-1:${ACCOUNT}:secret:ecr-pullthroughcache/docker-hub-AbCdEf`),
    ...over,
});

describe("preflight checks (account look-ups judged against the config)", () => {
    it("passes a ready account with no problems, no warnings and nothing to create", () => {
        const result = evaluate(input(), facts());
        expect(result).to.deep.include({ problems: [], warnings: [], createSpotServiceLinkedRole: false, reuseGithubOidcProviderArn: undefined });
    });

    it("hands the Docker Hub credentials' ARN to the cache rule, and stops, naming the key and how to create the secret, when it is missing", () => {
        expect(evaluate(input(), facts()).dockerHubCredentialsArn).to.match(/secret:ecr-pullthroughcache\/docker-hub-AbCdEf$/);
        const missing = evaluate(input(), facts({ dockerHubCredentials: ok(null) }));
        expect(missing.problems).to.have.length(1);
        expect(missing.problems[0]).to.match(/^eks-platform:dockerHubCredentialsSecret: got "ecr-pullthroughcache\/docker-hub"; no such secret in .* eu-west-1/).and.include("aws secretsmanager create-secret --region eu-west-1");
        expect(evaluate(input(), facts({ dockerHubCredentials: failed("AccessDeniedException") })).problems.join()).to.include("secretsmanager:DescribeSecret");
    });

    it("asks only for this account's role and user names, taken from every configured principal", () => {
        const req = lookupRequest(
            input({
                principals: [
                    { key: "clusterAdminArns", principal: "role/ops/platform-operators" },
                    { key: "clusterAdminArns", principal: `arn:aws:iam::${ACCOUNT}:user/alice` },
                    { key: "namespaceAccess", principal: "role/developers" },
                ],
            }),
        );
        expect(req.roleNames).to.deep.equal(["developers", "platform-operators"]);
        expect(req.userNames).to.deep.equal(["alice"]);
        expect(req.instanceFamilies).to.deep.equal(["m6i", "c6i"]);
    });

    it("stops an upgrade to a Kubernetes version some managed add-on has no build for, naming the add-on", () => {
        expect(lookupRequest(input()).managedAddons).to.include.members(["vpc-cni", "coredns", "kube-proxy", "eks-pod-identity-agent", "aws-ebs-csi-driver"]);
        const { problems } = evaluate(input(), facts({ managedAddonVersions: ok({ "vpc-cni": "v1.20.4-eksbuild.2", coredns: undefined }) }));
        expect(problems).to.deep.equal(['eks-platform:kubernetesVersion: got "1.35"; EKS in eu-west-1 has no build of the managed add-on(s) coredns for it yet; stay on the current version until it does']);
        const failedLookup = evaluate(input(), facts({ managedAddonVersions: failed("AccessDeniedException") })).problems;
        expect(failedLookup[0]).to.include("eks:DescribeAddonVersions");
    });

    it("stops when there are no usable credentials, naming the aws: settings", () => {
        const { problems } = evaluate(input(), facts({ accountId: failed("no valid credential sources found") }));
        expect(problems).to.have.length(1);
        expect(problems[0]).to.include("no usable credentials for eu-west-1").and.include("aws:profile / aws:assumeRoles");
    });

    it("refuses credentials of an account aws:allowedAccountIds does not list", () => {
        const { problems } = evaluate(input({ allowedAccountIds: ["444455556666"] }), facts());
        expect(problems).to.deep.equal([`aws:allowedAccountIds: got ["444455556666"]; the credentials are for account ${ACCOUNT} (acme-prod); use credentials for an allowed account or fix the list`]);
    });

    it("warns a production stack without aws:allowedAccountIds, naming the account, its alias and the key", () => {
        const { warnings, problems } = evaluate(input({ allowedAccountIds: [] }), facts());
        expect(problems).to.deep.equal([]);
        expect(warnings).to.have.length(1);
        expect(warnings[0]).to.include(`account ${ACCOUNT} (acme-prod)`).and.include("aws:allowedAccountIds[0]");
        expect(evaluate(input({ allowedAccountIds: [], production: false }), facts()).warnings).to.deep.equal([]);
    });

    it("rejects a region the account has not enabled", () => {
        const { problems } = evaluate(input({ region: "ap-east-1" }), facts());
        expect(problems[0]).to.equal('aws:region: got "ap-east-1"; not enabled for account 111122223333 (acme-prod); enable it (Account > AWS Regions) or choose one of eu-west-1, us-east-1');
    });

    it("rejects a Kubernetes version EKS does not offer in the region, listing the offered ones", () => {
        const { problems } = evaluate(input({ kubernetesVersion: "1.36" }), facts());
        expect(problems).to.deep.equal(['eks-platform:kubernetesVersion: got "1.36"; EKS in eu-west-1 offers 1.34, 1.35; choose one of those']);
    });

    it("warns when the version is in extended support", () => {
        const { warnings } = evaluate(input(), facts({ kubernetesVersions: ok([{ version: "1.35", status: "EXTENDED_SUPPORT" }]) }));
        expect(warnings[0]).to.include("eks-platform:kubernetesVersion: 1.35 is in extended support");
    });

    it("rejects a system instance type the region does not offer, or offers in too few zones", () => {
        const absent = evaluate(input({ systemNodeInstanceTypes: ["m6i.large", "x9z.large"] }), facts()).problems;
        expect(absent).to.deep.equal(['eks-platform:systemNodeInstanceTypes: got "x9z.large"; not offered in eu-west-1; choose a type the region offers']);
        const few = evaluate(input(), facts({ instanceTypeZones: ok({ "m6i.large": ["eu-west-1a", "eu-west-1b"], "c6i.large": zones }) })).problems;
        expect(few).to.deep.equal([
            'eks-platform:systemNodeInstanceTypes: got "m6i.large"; offered in 2 zone(s) of eu-west-1 (eu-west-1a, eu-west-1b) but the VPC spans 3; choose a type offered in every zone',
        ]);
    });

    it("blames azCount, not the instance types, when the VPC would span more zones than the region has", () => {
        const { problems } = evaluate(input({ azCount: 4 }), facts());
        expect(problems).to.deep.equal(["eks-platform:azCount: got 4; eu-west-1 has 3 availability zones (eu-west-1a, eu-west-1b, eu-west-1c); allowed here: 2 to 3"]);
        expect(lookupRequest(input()).instanceTypes).to.deep.equal(["m6i.large"]);
        expect(evaluate(input({ azCount: 4 }), facts({ availabilityZones: failed("UnauthorizedOperation") })).problems.join()).to.include("ec2:DescribeAvailabilityZones");
    });

    it("rejects a Karpenter family with no size offered in the region", () => {
        const { problems } = evaluate(input({ karpenterInstanceFamilies: ["m6i", "m8gd"] }), facts());
        expect(problems).to.deep.equal(['eks-platform:karpenterInstanceFamilies: got "m8gd"; no size of this family is offered in eu-west-1; remove it or choose a family the region offers']);
    });

    it("rejects a configured role or user that does not exist in this account, under the key it came from", () => {
        const { problems } = evaluate(
            input({
                principals: [
                    { key: "clusterAdminArns", principal: "role/platform-operatrs" },
                    { key: "namespaceAccess", principal: `arn:aws:iam::${ACCOUNT}:user/bob` },
                    { key: "ciTrustedRoleArns", principal: "arn:aws:iam::999988887777:role/jenkins" },
                ],
            }),
            facts(),
        );
        expect(problems).to.deep.equal([
            'eks-platform:clusterAdminArns: got "role/platform-operatrs"; no IAM role named platform-operatrs in account 111122223333 (acme-prod); create it first or fix the name (EKS refuses access entries for missing principals)',
            `eks-platform:namespaceAccess: got "arn:aws:iam::${ACCOUNT}:user/bob"; no IAM user named bob in account 111122223333 (acme-prod); create it first or fix the name (EKS refuses access entries for missing principals)`,
        ]);
    });

    it("creates the EC2 Spot service-linked role only when spot is configured and the account lacks it", () => {
        expect(evaluate(input(), facts({ spotServiceLinkedRole: ok(false) })).createSpotServiceLinkedRole).to.equal(true);
        expect(evaluate(input({ spotCapacity: false }), facts({ spotServiceLinkedRole: ok(false) })).createSpotServiceLinkedRole).to.equal(false);
        expect(evaluate(input(), facts()).createSpotServiceLinkedRole).to.equal(false);
    });

    it("reuses a GitHub OIDC provider created elsewhere and keeps managing its own", () => {
        const arn = `arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com`;
        const foreign = evaluate(input(), facts({ githubOidcProvider: ok({ arn, tags: { project: "eks-platform", environment: "dev" } }) }));
        expect(foreign.reuseGithubOidcProviderArn).to.equal(arn);
        expect(foreign.warnings.join("\n")).to.include("created by the dev stack");
        const own = evaluate(input(), facts({ githubOidcProvider: ok({ arn, tags: { project: "eks-platform", environment: "prod" } }) }));
        expect(own.reuseGithubOidcProviderArn).to.equal(undefined);
        const configured = evaluate(input({ ci: { oidcUrl: "https://token.actions.githubusercontent.com", oidcProviderArn: arn } }), facts({ githubOidcProvider: failed("AccessDenied") }));
        expect(configured.problems).to.deep.equal([]);
        expect(evaluate(input({ ci: undefined }), facts({ githubOidcProvider: ok({ arn, tags: {} }) })).reuseGithubOidcProviderArn).to.equal(undefined);
    });

    it("rejects an ECR name another stack or tool already holds in the account and region", () => {
        const { problems } = evaluate(input(), facts({ ecrRepositories: ok({ myapp: { project: "eks-platform", environment: "dev" } }) }));
        expect(problems).to.have.length(1);
        expect(problems[0]).to.match(/^eks-platform:ecrRepositories: got "myapp"; a repository of that name already exists in 111122223333 \(acme-prod\) eu-west-1, owned by the dev stack of this project/);
        expect(evaluate(input(), facts({ ecrRepositories: ok({ myapp: { project: "eks-platform", environment: "prod" } }) })).problems).to.deep.equal([]);
    });

    it("rejects a cluster name another stack or tool holds in the account and region, and accepts its own", () => {
        const { problems } = evaluate(input(), facts({ existingCluster: ok({ tags: { project: "other" }, autoMode: false, ipFamily: "ipv4" }) }));
        expect(problems).to.deep.equal([
            'eks-platform:clusterName: got "eks-prod"; an EKS cluster of that name already exists in 111122223333 (acme-prod) eu-west-1, owned by something outside this stack; choose another clusterName',
        ]);
        expect(evaluate(input(), facts({ existingCluster: ok({ tags: { project: "eks-platform", environment: "prod" }, autoMode: false, ipFamily: "ipv4" }) })).problems).to.deep.equal([]);
    });

    it("refuses a computeMode that differs from the one the stack's cluster was created with, naming the key and both modes", () => {
        const own = { project: "eks-platform", environment: "prod" };
        const toAuto = evaluate(input({ computeMode: "auto" }), facts({ existingCluster: ok({ tags: own, autoMode: false, ipFamily: "ipv4" }) }));
        expect(toAuto.problems).to.have.length(1);
        expect(toAuto.problems[0]).to.match(/^eks-platform:computeMode: got "auto"; this stack's cluster eks-prod was created with computeMode karpenter \(DescribeCluster: computeConfig.enabled is false\), and the mode cannot change after creation; set computeMode back to karpenter/);
        const toKarpenter = evaluate(input(), facts({ existingCluster: ok({ tags: own, autoMode: true, ipFamily: "ipv4" }) }));
        expect(toKarpenter.problems).to.have.length(1);
        expect(toKarpenter.problems[0]).to.match(/^eks-platform:computeMode: got "karpenter"; .* created with computeMode auto .*set computeMode back to auto/);
        // The same mode, and a first run (no cluster yet), pass.
        expect(evaluate(input({ computeMode: "auto" }), facts({ existingCluster: ok({ tags: own, autoMode: true, ipFamily: "ipv4" }) })).problems).to.deep.equal([]);
        expect(evaluate(input({ computeMode: "auto" }), facts()).problems).to.deep.equal([]);
    });

    it("refuses Auto Mode in a region without it, naming computeMode and aws:region, and asks for no node-group add-ons in auto mode", () => {
        const china = evaluate(input({ computeMode: "auto", region: "cn-north-1" }), facts({ regions: ok(["cn-north-1"]) }));
        expect(china.problems).to.have.length(1);
        expect(china.problems[0]).to.match(/^eks-platform:computeMode: got "auto"; EKS Auto Mode is not offered in aws:region cn-north-1 .*use computeMode karpenter there/);
        expect(evaluate(input({ region: "cn-north-1" }), facts({ regions: ok(["cn-north-1"]) })).problems).to.deep.equal([]);
        expect(lookupRequest(input({ computeMode: "auto" })).managedAddons).to.deep.equal(["snapshot-controller"]);
        expect(lookupRequest(input()).managedAddons).to.include.members(["vpc-cni", "coredns", "aws-ebs-csi-driver"]);
    });

    it("hands the program the service range the stack's existing cluster was created with (fixed at creation), and no other cluster's", () => {
        const own = { project: "eks-platform", environment: "prod" };
        const existing = evaluate(input({ computeMode: "auto" }), facts({ existingCluster: ok({ tags: own, autoMode: true, ipFamily: "ipv4", serviceIpv4Cidr: "10.100.0.0/16" }) }));
        expect(existing.problems).to.deep.equal([]);
        expect(existing.existingServiceIpv4Cidr).to.equal("10.100.0.0/16");
        const foreign = evaluate(input(), facts({ existingCluster: ok({ tags: { project: "other" }, autoMode: false, ipFamily: "ipv4", serviceIpv4Cidr: "10.100.0.0/16" }) }));
        expect(foreign.existingServiceIpv4Cidr).to.equal(undefined);
        expect(evaluate(input(), facts()).existingServiceIpv4Cidr).to.equal(undefined);
    });

    it("refuses to change the IP family of the stack's existing cluster, naming the key, the cluster's family and the new one", () => {
        const own = { project: "eks-platform", environment: "prod" };
        const toIpv6 = evaluate(input({ ipFamily: "ipv6" }), facts({ existingCluster: ok({ tags: own, ipFamily: "ipv4", autoMode: false }) }));
        expect(toIpv6.problems).to.deep.equal([
            'eks-platform:ipFamily: got "ipv6"; this stack\'s cluster eks-prod was created with ipFamily ipv4, and EKS cannot change a cluster\'s IP family; set ipFamily back to ipv4, or create a new stack with ipv6 and move the workloads (README, Choosing a mode)',
        ]);
        const toIpv4 = evaluate(input({ ipFamily: "ipv4" }), facts({ existingCluster: ok({ tags: own, ipFamily: "ipv6", autoMode: false }) }));
        expect(toIpv4.problems).to.have.length(1);
        expect(toIpv4.problems[0]).to.match(/^eks-platform:ipFamily: got "ipv4"; this stack's cluster eks-prod was created with ipFamily ipv6/);
        // The same family, or no cluster yet (the first up), passes.
        expect(evaluate(input({ ipFamily: "ipv6" }), facts({ existingCluster: ok({ tags: own, ipFamily: "ipv6", autoMode: false }) })).problems).to.deep.equal([]);
        expect(evaluate(input({ ipFamily: "ipv6" }), facts()).problems).to.deep.equal([]);
    });

    it("rejects a fixed-name log group a destroyed cluster left behind, and accepts the stack's own", () => {
        const { problems } = evaluate(input(), facts({ existingLogGroups: ok({ "/aws/eks/eks-prod/cluster": {} }) }));
        expect(problems).to.have.length(1);
        expect(problems[0]).to.match(/^eks-platform:clusterName: got "eks-prod"; the log group \/aws\/eks\/eks-prod\/cluster this cluster needs already exists/).and.include("delete it, import it");
        expect(evaluate(input(), facts({ existingLogGroups: ok({ "/aws/eks/eks-prod/cluster": { project: "eks-platform", environment: "prod" } }) })).problems).to.deep.equal([]);
    });

    it("reports a look-up it could not make, with the permission it needs, instead of guessing", () => {
        const { problems } = evaluate(input(), facts({ existingRoles: failed("AccessDenied: not authorized to perform iam:ListRoles") }));
        expect(problems).to.deep.equal(["preflight: could not list IAM roles (AccessDenied: not authorized to perform iam:ListRoles); the identity running Pulumi needs iam:ListRoles"]);
    });

    it("collects every problem into one list", () => {
        const { problems } = evaluate(
            input({ kubernetesVersion: "1.36", karpenterInstanceFamilies: ["m8gd"], principals: [{ key: "clusterAdminArns", principal: "role/nobody" }] }),
            facts({ ecrRepositories: ok({ myapp: {} }) }),
        );
        expect(problems.map((p) => p.split(":")[1])).to.deep.equal(["kubernetesVersion", "karpenterInstanceFamilies", "clusterAdminArns", "ecrRepositories"]);
    });
});

import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import { ConfigError } from "../../stacks/config/reader";
import { PreflightError } from "../../stacks/preflight";
import { runProgram } from "../../stacks/program";
import { buildStack, serialized, settle, stackGraph } from "../../tooling/offline/harness";
import { ACCOUNT_ID, PlatformMocks, invokeError } from "../../tooling/offline/mocks";
import { PROJECT, configWith, fixturesDir } from "../../tooling/offline/stack-files";

type Lookups = Record<string, (inputs: Record<string, any>) => Record<string, any>>;

/** Mocks whose account answers some look-ups differently from the ready account of PlatformMocks. */
class AccountMocks extends PlatformMocks {
    constructor(region: string, private readonly lookups: Lookups) {
        super(region);
    }
    call(args: pulumi.runtime.MockCallArgs): Record<string, any> {
        const answer = this.lookups[args.token];
        return answer ? answer(args.inputs) : super.call(args);
    }
}

interface Run {
    error?: Error;
    /** `type::name` → the `type::name` of each explicit dependency. */
    dependsOn: Map<string, string[]>;
    /** `type::name` of everything registered, the stack itself left out. */
    registered: string[];
    resources: PlatformMocks["registrations"];
    warnings: string[];
}

/** Runs the program (as index.ts does) on a fixture with some config replaced and some look-ups answered otherwise. */
function run(stack: string, overrides: Record<string, unknown>, lookups: Lookups = {}): Promise<Run> {
    return serialized(async () => {
        const values = configWith(stack, overrides);
        const mocks = new AccountMocks(values["aws:region"], lookups);
        await pulumi.runtime.setMocks(mocks, PROJECT, stack, false);
        pulumi.runtime.setAllConfig(values);
        const warnings: string[] = [];
        const consoleWarn = console.warn;
        console.warn = (...parts: unknown[]) => warnings.push(parts.join(" "));
        let error: Error | undefined;
        const names = new Map<pulumi.Resource, string>();
        const dependsOn = new Map<string, string[]>();
        try {
            await pulumi.runtime.runInPulumiStack(async () => {
                pulumi.runtime.registerStackTransformation((args) => {
                    const key = `${args.type}::${args.name}`;
                    names.set(args.resource, key);
                    dependsOn.set(key, ([] as unknown[]).concat(args.opts.dependsOn ?? []).map((d) => names.get(d as pulumi.Resource) ?? "?"));
                    return undefined;
                });
                try {
                    return await runProgram(fixturesDir);
                } catch (err) {
                    error = err as Error;
                    return {};
                }
            });
            await settle(mocks);
        } finally {
            console.warn = consoleWarn;
        }
        const resources = mocks.registrations.filter((r) => r.type !== "pulumi:pulumi:Stack");
        return { error, dependsOn, registered: resources.map((r) => `${r.type}::${r.name}`), resources, warnings };
    });
}

const json = (v: unknown) => (typeof v === "string" ? JSON.parse(v) : v);

describe("the program against the target account (index.ts: config, provider, preflight, stack)", () => {
    describe("account guard", () => {
        it("passes the stack file's aws:profile, aws:allowedAccountIds and aws:assumeRoles to the provider", async () => {
            const roleArn = `arn:aws:iam::${ACCOUNT_ID}:role/platform-deployer`;
            const g = await buildStack("prod", {
                "aws:profile": "platform-prod",
                "aws:allowedAccountIds": [ACCOUNT_ID],
                "aws:assumeRoles": [{ roleArn, sessionName: "pulumi" }],
            });
            const provider = g.one("pulumi:providers:aws").inputs;
            expect(provider.profile).to.equal("platform-prod");
            expect(json(provider.allowedAccountIds)).to.deep.equal([ACCOUNT_ID]);
            expect(json(provider.assumeRoles)).to.deep.equal([{ roleArn, sessionName: "pulumi" }]);
            expect(g.warnings.join("\n")).to.not.include("aws:allowedAccountIds");
        });

        it("warns on every run of a production stack that pins no account, naming the account, its alias and the key", async () => {
            const prod = await stackGraph("prod");
            const warning = prod.warnings.find((w) => w.includes("aws:allowedAccountIds"));
            expect(warning).to.include(`account ${ACCOUNT_ID} (eks-platform-test)`).and.include(`aws:allowedAccountIds[0]' ${ACCOUNT_ID}`);
            expect((await stackGraph("dev")).warnings.join("\n")).to.not.include("aws:allowedAccountIds");
        });

        it("rejects malformed aws: settings before registering anything, naming the key", async () => {
            const { error, registered } = await run("prod", { "aws:allowedAccountIds": ["12345"], "aws:assumeRoles": [{ role: "deployer" }], "aws:assumeRole": "x" });
            expect(error).to.be.instanceOf(ConfigError);
            expect(error!.message)
                .to.include('aws:allowedAccountIds: got "12345"; allowed: 12-digit AWS account ids')
                .and.include('aws:assumeRoles: got {"role":"deployer"}; allowed: a list of objects with roleArn')
                .and.include("aws:assumeRole: got \"x\"; allowed: nothing: @pulumi/aws 7 reads aws:assumeRoles");
            expect(registered).to.deep.equal([]);
        });

        it("refuses credentials of an account aws:allowedAccountIds does not list, before creating anything", async () => {
            const { error, registered } = await run("prod", { "aws:allowedAccountIds": ["444455556666"] });
            expect(error).to.be.instanceOf(PreflightError);
            expect(error!.message).to.include("aws:allowedAccountIds").and.include(`account ${ACCOUNT_ID}`);
            expect(registered).to.deep.equal(["pulumi:providers:aws::aws"]);
        });
    });

    describe("preflight: one error listing every problem, before any resource is created", () => {
        const onlyProvider = ["pulumi:providers:aws::aws"];

        it("names a configured admin role that does not exist", async () => {
            const { error, registered } = await run("prod", {}, { "aws:iam/getRoles:getRoles": (i) => ({ names: i.pathPrefix ? ["AWSServiceRoleForEC2Spot"] : [], arns: [] }) });
            expect(error).to.be.instanceOf(PreflightError);
            expect(error!.message).to.include('eks-platform:clusterAdminArns: got "role/platform-operators"; no IAM role named platform-operators');
            expect(registered).to.deep.equal(onlyProvider);
        });

        it("names a system instance type and a Karpenter family the region does not offer", async () => {
            const { error, registered } = await run("prod", {}, {
                "aws:ec2/getInstanceTypeOfferings:getInstanceTypeOfferings": () => ({ instanceTypes: [], locations: [], locationTypes: [] }),
            });
            expect(error!.message).to.include('eks-platform:systemNodeInstanceTypes: got "m6i.large"; not offered in us-west-2');
            expect(error!.message).to.include('eks-platform:karpenterInstanceFamilies: got "m5"; no size of this family is offered in us-west-2');
            expect(registered).to.deep.equal(onlyProvider);
        });

        it("names azCount when the VPC would span more zones than the region has (not the instance types)", async () => {
            const { error, registered } = await run("dev", { "aws:region": "eu-central-1", azCount: 4 });
            expect(error).to.be.instanceOf(PreflightError);
            expect(error!.message).to.include("eks-platform:azCount: got 4; eu-central-1 has 3 availability zones (eu-central-1a, eu-central-1b, eu-central-1c); allowed here: 2 to 3");
            expect(error!.message).to.not.include("systemNodeInstanceTypes");
            expect(registered).to.deep.equal(onlyProvider);
        });

        it("names a Kubernetes version EKS does not offer in the region", async () => {
            const { error } = await run("prod", {}, { "aws:eks/getClusterVersions:getClusterVersions": () => ({ clusterVersions: [{ clusterVersion: "1.34", versionStatus: "STANDARD_SUPPORT" }] }) });
            expect(error!.message).to.include('eks-platform:kubernetesVersion: got "1.35"; EKS in us-west-2 offers 1.34');
        });

        it("refuses to switch an existing stack's cluster to Auto Mode, from DescribeCluster's computeConfig, before anything registers", async () => {
            const existing = (autoMode: boolean) => ({
                "aws:eks/getClusters:getClusters": () => ({ names: ["eks-auto"] }),
                "aws:eks/getCluster:getCluster": () => ({ tags: { project: PROJECT, environment: "auto" }, computeConfigs: [{ enabled: autoMode, nodePools: [], nodeRoleArn: "" }] }),
            });
            const { error, registered } = await run("auto", {}, existing(false));
            expect(error).to.be.instanceOf(PreflightError);
            expect(error!.message, error!.message).to.include('eks-platform:computeMode: got "auto"; this stack\'s cluster eks-auto was created with computeMode karpenter');
            expect(registered).to.deep.equal(onlyProvider);
            expect((await run("auto", {}, existing(true))).error).to.equal(undefined);
        });

        it("names a region the account has not enabled", async () => {
            const { error } = await run("prod", {}, { "aws:index/getRegions:getRegions": () => ({ names: ["us-east-1"] }) });
            expect(error!.message).to.include('aws:region: got "us-west-2"; not enabled for account');
        });

        it("names an ECR repository another stack already holds in the account and region", async () => {
            const { error } = await run("prod", {}, {
                "aws:ecr/getRepositories:getRepositories": () => ({ names: ["myapp", "unrelated"] }),
                "aws:ecr/getRepository:getRepository": () => ({ tags: { project: "eks-platform", environment: "dev" } }),
            });
            expect(error!.message).to.include('eks-platform:ecrRepositories: got "myapp"; a repository of that name already exists').and.include("owned by the dev stack of this project");
            expect(error!.message).to.not.include("unrelated");
        });

        it("names a log group left behind by a destroyed cluster of the same name", async () => {
            const { error, registered } = await run("prod", {}, {
                "aws:cloudwatch/getLogGroups:getLogGroups": (i) => ({ logGroupNames: i.logGroupNamePrefix === "/aws/eks/eks-prod/cluster" ? [i.logGroupNamePrefix] : [] }),
                "aws:cloudwatch/getLogGroup:getLogGroup": () => ({ tags: {} }),
            });
            expect(error!.message).to.include('eks-platform:clusterName: got "eks-prod"; the log group /aws/eks/eks-prod/cluster this cluster needs already exists');
            expect(registered).to.deep.equal(["pulumi:providers:aws::aws"]);
        });

        it("refuses an ipFamily the stack's existing cluster was not created with (DescribeCluster's kubernetesNetworkConfig), before anything registers", async () => {
            const existing = (ipFamily: string) => ({
                "aws:eks/getClusters:getClusters": () => ({ names: ["eks-prod"] }),
                "aws:eks/getCluster:getCluster": (i: Record<string, any>) => ({ name: i.name, tags: { project: "eks-platform", environment: "prod" }, kubernetesNetworkConfigs: [{ ipFamily, serviceIpv4Cidr: "172.20.0.0/16" }] }),
            });
            const { error, registered } = await run("prod", { ipFamily: "ipv6" }, existing("ipv4"));
            expect(error).to.be.instanceOf(PreflightError);
            expect(error!.message).to.include('eks-platform:ipFamily: got "ipv6"; this stack\'s cluster eks-prod was created with ipFamily ipv4, and EKS cannot change a cluster\'s IP family');
            expect(registered).to.deep.equal(["pulumi:providers:aws::aws"]);
            // An update that keeps the family goes ahead.
            expect((await run("prod", {}, existing("ipv4"))).error).to.equal(undefined);
        });

        it("reports a look-up it could not make instead of guessing", async () => {
            const { error } = await run("dev", {}, {
                "aws:iam/getOpenIdConnectProvider:getOpenIdConnectProvider": () => {
                    throw invokeError("AccessDenied: not authorized to perform iam:GetOpenIDConnectProvider");
                },
            });
            expect(error!.message).to.include("could not look for the account's GitHub OIDC provider (AccessDenied");
        });
    });

    describe("what the preflight decides", () => {
        it("creates the EC2 Spot service-linked role (kept on destroy) when spot is configured and the account lacks it, before any NodePool", async () => {
            const missing = await run("dev", {}, { "aws:iam/getRoles:getRoles": (i) => ({ names: i.pathPrefix ? [] : ["platform-operators"], arns: [] }) });
            expect(missing.error).to.equal(undefined);
            const role = missing.resources.find((r) => r.type === "aws:iam/serviceLinkedRole:ServiceLinkedRole");
            expect(role?.inputs.awsServiceName).to.equal("spot.amazonaws.com");
            const pool = [...missing.dependsOn.keys()].find((k) => k.startsWith("kubernetes:karpenter.sh/v1:NodePool::"))!;
            expect(missing.dependsOn.get(pool)).to.include("aws:iam/serviceLinkedRole:ServiceLinkedRole::ec2-spot");
            // With the role present (the shared fixture graph), nothing is created; on-demand only is checks.test.ts's case.
            expect((await stackGraph("dev")).ofType("aws:iam/serviceLinkedRole:ServiceLinkedRole")).to.deep.equal([]);
        });

        it("reuses a GitHub OIDC provider another stack created instead of creating a second one", async () => {
            const arn = `arn:aws:iam::${ACCOUNT_ID}:oidc-provider/token.actions.githubusercontent.com`;
            const { error, resources, warnings } = await run("prod", {}, {
                "aws:iam/getOpenIdConnectProvider:getOpenIdConnectProvider": () => ({ arn, tags: { project: "eks-platform", environment: "dev" }, url: "token.actions.githubusercontent.com" }),
            });
            expect(error).to.equal(undefined);
            expect(resources.filter((r) => r.type === "aws:iam/openIdConnectProvider:OpenIdConnectProvider")).to.deep.equal([]);
            const deploy = resources.find((r) => r.type === "aws:iam/role:Role" && r.name === "ci-access-deploy")!;
            expect(JSON.parse(deploy.inputs.assumeRolePolicy).Statement[0].Principal.Federated).to.equal(arn);
            expect(warnings.join("\n")).to.include("reuses the account's GitHub OIDC provider").and.include("created by the dev stack");
        });

        it("creates the GitHub OIDC provider when the account has none", async () => {
            expect((await stackGraph("prod")).ofType("aws:iam/openIdConnectProvider:OpenIdConnectProvider")).to.have.length(1);
        });
    });
});

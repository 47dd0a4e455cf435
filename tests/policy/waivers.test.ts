import { expect } from "chai";
import { policies } from "../../policy/policies";
import { stackGraph } from "../../tooling/offline/harness";
import { ACCOUNT, REASON, graphResources, policy, reported, securityGroup, tcp, withWaivers, withoutWaivers } from "../support/policy-builders";
import { eksCluster, fixture, waivers } from "../support/policy-fixtures";
import { runPolicy } from "../support/policy-harness";
import { fixturesDir } from "../../tooling/offline/stack-files";
import { stackNames } from "../support/stacks";

describe("policy pack", () => {
    describe("waivers", () => {
        const eksDev = "CKV_AWS_38: EKS cluster eks-dev opens its public endpoint to 0.0.0.0/0";
        const previewView = (stack: string) =>
            `CIS 4.1.1: access policy association view-ci-preview grants AmazonEKSViewPolicy cluster-wide to arn:aws:iam::${ACCOUNT}:role/eks-platform-preview-${stack}; only AmazonEKSClusterAdminPolicy may be cluster-scoped, other access must be limited to namespaces`;

        it("dev's CKV_AWS_38 waiver is what keeps its world-open endpoint from being reported", async () => {
            const dev = await stackGraph("dev");
            const endpoint = policy("eks-public-endpoint-restricted");
            expect(reported(await runPolicy(endpoint, graphResources(dev)))).to.deep.equal([]);
            expect(reported(await runPolicy(endpoint, graphResources(dev, withoutWaivers)))).to.deep.equal([["eks-dev", eksDev]]);
        });

        it("every fixture stack's CIS_4.1.1 waiver is what keeps CI's cluster-wide view from being reported", async () => {
            const access = policy("eks-access-scope");
            for (const stack of stackNames(fixturesDir)) {
                const g = await stackGraph(stack);
                expect(reported(await runPolicy(access, graphResources(g))), stack).to.deep.equal([]);
                // A stack without CI access (the auto-ipv6 fixture) has no cluster-wide view to waive; Auto Mode's node access is admitted by the rule.
                const expected = g.outputs.ciPreviewRoleArn === null ? [] : [["view-ci-preview", previewView(stack)]];
                expect(reported(await runPolicy(access, graphResources(g, withoutWaivers))), stack).to.deep.equal(expected);
            }
        });

        it("suppresses exactly those checks: without them, dev violates CKV_AWS_38, CIS 4.1.1 and CKV_AWS_130 (awsx's public subnets), prod and auto (Auto Mode, with CI) CIS 4.1.1 and CKV_AWS_130, the ipv6 fixture (its own VPC: no public address) CIS 4.1.1 only, and nothing else in the pack", async () => {
            const violations = async (stack: string) => {
                const resources = graphResources(await stackGraph(stack), withoutWaivers);
                return (await Promise.all(policies.map((p) => runPolicy(p, resources)))).flatMap((run) => run.violations.map((v) => v.message));
            };
            const awsxPublic = "CKV_AWS_130: awsx VPC network's public subnet spec public gives every instance launched in it a public IPv4 address";
            expect(await violations("dev")).to.deep.equal([eksDev, previewView("dev"), awsxPublic]);
            expect(await violations("prod")).to.deep.equal([previewView("prod"), awsxPublic]);
            expect(await violations("auto")).to.deep.equal([previewView("auto"), awsxPublic]);
            expect(await violations("ipv6")).to.deep.equal([previewView("ipv6")]);
        });

        it("applies per check id: waiving CKV_AWS_39 instead leaves CKV_AWS_38 reported", async () => {
            const resources = graphResources(await stackGraph("dev"), withWaivers({ CKV_AWS_39: REASON }));
            expect(reported(await runPolicy(policy("eks-public-endpoint-restricted"), resources))).to.deep.equal([["eks-dev", eksDev]]);
        });

        it("silences only the waived id of a multi-id policy and leaves other policies alone", async () => {
            const resources = fixture("dev", [
                securityGroup("bastion", [tcp(22, "0.0.0.0/0", "ssh"), tcp(3389, "0.0.0.0/0", "rdp")]),
                eksCluster("open", { vpcConfig: { subnetIds: ["subnet-private-1"], endpointPrivateAccess: false, endpointPublicAccess: true, publicAccessCidrs: ["0.0.0.0/0"] } }),
                waivers({ CKV_AWS_24: REASON, CKV_AWS_38: REASON }),
            ]);
            expect(reported(await runPolicy(policy("security-group-world-ingress"), resources))).to.deep.equal([
                ["bastion", "CKV_AWS_25: SecurityGroup bastion ingress[1] allows tcp 3389 from 0.0.0.0/0"],
            ]);
            expect(reported(await runPolicy(policy("eks-public-endpoint-restricted"), resources))).to.deep.equal([]);
            expect(reported(await runPolicy(policy("eks-private-endpoint"), resources))).to.deep.equal([
                ["open", "CKV_AWS_39: EKS cluster open has no private endpoint (vpcConfig.endpointPrivateAccess must be true)"],
            ]);
        });

        it("spells spaces in checklist ids as underscores, and needs a reason", async () => {
            const legacy = eksCluster("legacy", { accessConfig: undefined });
            const mode = policy("eks-api-authentication-mode");
            expect(reported(await runPolicy(mode, fixture("dev", [legacy, waivers({ "CIS_4.1.7": REASON })])))).to.deep.equal([]);
            expect(reported(await runPolicy(mode, fixture("dev", [legacy, waivers({ "CIS_4.1.7": " " })])))).to.have.length(1);
            expect(reported(await runPolicy(mode, fixture("dev", [legacy, waivers({ "CIS_4.1.8": REASON })])))).to.have.length(1);
        });

        it("cannot open prod's endpoint to the world or make its creator admin, while other prod waivers hold", async () => {
            const resources = fixture("prod", [
                eksCluster("prod-cluster", {
                    vpcConfig: { subnetIds: ["subnet-private-1"], endpointPrivateAccess: false, endpointPublicAccess: true, publicAccessCidrs: ["0.0.0.0/0"] },
                    accessConfig: { authenticationMode: "API", bootstrapClusterCreatorAdminPermissions: true },
                }),
                waivers({ CKV_AWS_38: REASON, BP_iam: REASON, CKV_AWS_39: REASON }),
            ]);
            expect(reported(await runPolicy(policy("eks-public-endpoint-restricted"), resources))).to.deep.equal([
                ["prod-cluster", "CKV_AWS_38: EKS cluster prod-cluster opens its public endpoint to 0.0.0.0/0"],
            ]);
            expect(reported(await runPolicy(policy("eks-no-creator-admin-in-prod"), resources))).to.deep.equal([
                ["prod-cluster", "BP iam: prod EKS cluster prod-cluster makes its creator cluster-admin (accessConfig.bootstrapClusterCreatorAdminPermissions must be false)"],
            ]);
            expect(reported(await runPolicy(policy("eks-private-endpoint"), resources))).to.deep.equal([]);
        });
    });
});

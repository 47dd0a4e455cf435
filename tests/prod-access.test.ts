import { expect } from "chai";
import { policies } from "../policy/policies";
import { ConfigError } from "../stacks/config/reader";
import { validateConfig } from "../stacks/config/validate";
import { buildStack, stackGraph } from "../tooling/offline/harness";
import { eksCluster, fixture, waivers } from "./support/policy-fixtures";
import { policyResources, runPolicy } from "./support/policy-harness";
import { PROJECT, configWith } from "../tooling/offline/stack-files";

const OPERATOR = "203.0.113.7/32";
const FIRST_RUN = { endpointPublicAccess: true, publicAccessCidrs: [OPERATOR] };
const WAIVER = "CKV_AWS_39: first up from the operator's address before the VPN peering exists; switched off after";

function problemsOf(overrides: Record<string, unknown>): string {
    try {
        validateConfig({ project: PROJECT, stack: "prod", values: configWith("prod", overrides), otherStackCidrs: {} });
        return "";
    } catch (err) {
        expect(err).to.be.instanceOf(ConfigError);
        return (err as Error).message;
    }
}

function policy(name: string) {
    const found = policies.find((p) => p.name === name);
    if (!found) throw new Error(`no policy named ${name}`);
    return found;
}
const messages = async (name: string, resources: Parameters<typeof runPolicy>[1]) => (await runPolicy(policy(name), resources)).violations.map((v) => v.message);

describe("a way into a private prod cluster", () => {
    it("admits each privateAccessCidrs network to the API on 443 through the cluster security group, and nothing else", async () => {
        const g = await buildStack("prod", { privateAccessCidrs: ["10.20.0.0/16", "192.168.8.0/24"] });
        const rules = g.ofType("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule");
        expect(rules.map((r) => [r.inputs.cidrIpv4, r.inputs.ipProtocol, r.inputs.fromPort, r.inputs.toPort])).to.deep.equal([
            ["10.20.0.0/16", "tcp", 443, 443],
            ["192.168.8.0/24", "tcp", 443, 443],
        ]);
        for (const r of rules) {
            expect(r.inputs.securityGroupId).to.match(/^sg-/);
            expect(r.inputs.description).to.include("Kubernetes API");
        }
        for (const name of ["security-group-world-ingress", "security-group-rule-descriptions"]) {
            expect(await messages(name, policyResources(g.stack, g.resources)), name).to.deep.equal([]);
        }
        expect((await stackGraph("prod")).ofType("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule")).to.deep.equal([]);
    });

    it("refuses privateAccessCidrs that are not networks or admit everything", () => {
        const msg = problemsOf({ privateAccessCidrs: ["10.20.0.1/16", "0.0.0.0/0", "10.20.0.0/16", "10.20.0.0/16"] });
        expect(msg).to.include('eks-platform:privateAccessCidrs: got "10.20.0.1/16" (not an IPv4 network address with prefix)');
        expect(msg).to.include('eks-platform:privateAccessCidrs: got "0.0.0.0/0" (admit the networks that need the API, not every address)');
        expect(msg).to.include("allowed: a list of unique items");
    });

    it("lets prod open the public endpoint only as a waived first run, to listed addresses", async () => {
        expect(problemsOf(FIRST_RUN)).to.include("eks-platform:endpointPublicAccess: got true (a production API endpoint is private; for a first run from outside the VPC, add a 'CKV_AWS_39: <reason>'");
        const waived = { ...FIRST_RUN, policyWaivers: [...(configWith("prod")["eks-platform:policyWaivers"] ? JSON.parse(configWith("prod")["eks-platform:policyWaivers"]) : []), WAIVER] };
        expect(problemsOf(waived)).to.equal("");
        expect(problemsOf({ ...waived, publicAccessCidrs: ["0.0.0.0/0"] })).to.include("prod must not open the API endpoint to the whole internet");
        const g = await buildStack("prod", waived);
        const vpc = g.one("aws:eks/cluster:Cluster").inputs.vpcConfig;
        expect([vpc.endpointPublicAccess, vpc.endpointPrivateAccess, vpc.publicAccessCidrs]).to.deep.equal([true, true, [OPERATOR]]);
        expect(await messages("eks-private-endpoint", policyResources(g.stack, g.resources))).to.deep.equal([]);
    });

    it("has the policy pack report a public prod endpoint unless CKV_AWS_39 is waived; dev may keep one", async () => {
        const open = eksCluster("open", { vpcConfig: { subnetIds: ["subnet-b1"], endpointPrivateAccess: true, endpointPublicAccess: true, publicAccessCidrs: [OPERATOR] } });
        expect(await messages("eks-private-endpoint", fixture("prod", [open]))).to.deep.equal([
            "CKV_AWS_39: prod EKS cluster open has a public endpoint; reach the private one through privateAccessCidrs",
        ]);
        expect(await messages("eks-private-endpoint", fixture("prod", [open, waivers({ CKV_AWS_39: "first run from the operator's address" })]))).to.deep.equal([]);
        expect(await messages("eks-private-endpoint", fixture("dev", [open]))).to.deep.equal([]);
    });
});

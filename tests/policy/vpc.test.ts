import { expect } from "chai";
import { describeFixtureCases, drop, editInputs, graphResources, policy, reported } from "../support/policy-builders";
import { stackGraph } from "../../tooling/offline/harness";
import { runPolicy } from "../support/policy-harness";
import { vpcCases } from "./cases/vpc";

describe("policy pack: VPC", () => {
    describeFixtureCases(vpcCases);

    describe("relations on the fixture graphs", () => {
        it("vpc-flow-logs: prod's all-traffic flow log is what covers its VPC", async () => {
            const prod = await stackGraph("prod");
            const missing = [["network", "CKV2_AWS_11: prod VPC network has no flow log of ALL traffic (an aws.ec2.FlowLog with trafficType ALL and this VPC's vpcId)"]];
            const flowLogs = policy("vpc-flow-logs");
            expect(reported(await runPolicy(flowLogs, graphResources(prod, drop("aws:ec2/flowLog:FlowLog", "network-flow-logs"))))).to.deep.equal(missing);
            const rejectsOnly = editInputs("aws:ec2/flowLog:FlowLog", "network-flow-logs", (inputs) => ({ ...inputs, trafficType: "REJECT" }));
            expect(reported(await runPolicy(flowLogs, graphResources(prod, rejectsOnly)))).to.deep.equal(missing);
        });
    });
});

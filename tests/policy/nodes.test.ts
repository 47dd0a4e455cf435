import { expect } from "chai";
import { describeFixtureCases, editInputs, graphResources, managedPolicy, NODE_POLICY_LIST, policy, reported } from "../support/policy-builders";
import { stackGraph } from "../../tooling/offline/harness";
import { runPolicy } from "../support/policy-harness";
import { nodesCases } from "./cases/nodes";

describe("policy pack: node groups, node roles and launch templates", () => {
    describeFixtureCases(nodesCases);

    describe("relations on the fixture graphs", () => {
        it("node-role-policies ties the program's attachments to its node roles by role name", async () => {
            const dev = await stackGraph("dev");
            const attachmentName = "eks-dev-system-node-AmazonEC2ContainerRegistryPullOnly";
            const edited = editInputs("aws:iam/rolePolicyAttachment:RolePolicyAttachment", attachmentName, (inputs) => ({ ...inputs, policyArn: managedPolicy("AmazonEC2ContainerRegistryPowerUser") }));
            expect(reported(await runPolicy(policy("node-role-policies"), graphResources(dev, edited)))).to.deep.equal([
                ["eks-dev-system-node", `CIS 5.1.3: node role eks-dev-system-node has arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPowerUser attached (RolePolicyAttachment ${attachmentName}); a node role may hold only ${NODE_POLICY_LIST}`],
            ]);
        });

        it("node-role-policies lets the pull-through cache grant through, and nothing wider in its place", async () => {
            const dev = await stackGraph("dev");
            expect(reported(await runPolicy(policy("node-role-policies"), graphResources(dev)))).to.deep.equal([]);
            const grant = "eks-dev-karpenter-nodes-image-cache";
            const widened = (document: object) =>
                editInputs("aws:iam/rolePolicy:RolePolicy", grant, (inputs) => ({ ...inputs, policy: JSON.stringify(document) }));
            const statement = { Effect: "Allow", Action: ["ecr:BatchImportUpstreamImage", "ecr:CreateRepository"], Resource: "arn:aws:ecr:us-west-2:111122223333:repository/docker-hub-dev/*" };
            for (const wider of [{ ...statement, Resource: "*" }, { ...statement, Action: ["ecr:*"] }, { ...statement, Action: ["ecr:CreateRepository", "iam:PassRole"] }]) {
                const found = reported(await runPolicy(policy("node-role-policies"), graphResources(dev, widened({ Version: "2012-10-17", Statement: [wider] }))));
                expect(found.map(([, m]) => m).join(), JSON.stringify(wider)).to.include(`has an inline policy (RolePolicy ${grant})`);
            }
        });
    });
});

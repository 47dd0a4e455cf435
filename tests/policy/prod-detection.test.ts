import { unknownValue } from "@pulumi/pulumi/runtime/rpc";
import { expect } from "chai";
import { stackFacts } from "../../policy/stack";
import { stackGraph } from "../../tooling/offline/harness";
import { graphResources, policy, reported, repository } from "../support/policy-builders";
import { awsProvider, fixture, record, stackTags } from "../support/policy-fixtures";
import { policyResources, runPolicy } from "../support/policy-harness";

describe("policy pack", () => {
    describe("prod detection", () => {
        it("reads the environment from the AWS provider's default tags of the real stacks", async () => {
            const facts = async (stack: string) => {
                const { stack: name, environments, isProd } = stackFacts(graphResources(await stackGraph(stack)));
                return { name, environments, isProd };
            };
            expect(await facts("dev")).to.deep.equal({ name: "dev", environments: ["dev"], isProd: false });
            expect(await facts("prod")).to.deep.equal({ name: "prod", environments: ["prod"], isProd: true });
        });

        it("treats a stack as prod when either its environment tag or its name says so", () => {
            const isProd = (stack: string, environment: string) => stackFacts(policyResources(stack, [awsProvider(stackTags(environment))])).isProd;
            expect(isProd("eu-live", "production")).to.equal(true);
            expect(isProd("prod", "dev")).to.equal(true);
            expect(isProd("staging", "staging")).to.equal(false);
        });

        it("applies prod-only rules only in prod", async () => {
            const repo = repository("app", { imageTagMutability: "IMMUTABLE_WITH_EXCLUSION" });
            const immutable = policy("ecr-immutable-tags");
            expect(reported(await runPolicy(immutable, fixture("dev", [repo])))).to.deep.equal([]);
            expect(reported(await runPolicy(immutable, policyResources("staging", [awsProvider(stackTags("prod")), repo])))).to.have.length(1);
        });
    });

    describe("values unknown during preview", () => {
        it("skips only the resource holding the unknown, reports the rest, then re-throws the unknown", async () => {
            const run = await runPolicy(
                policy("ecr-scan-on-push"),
                fixture("dev", [repository("pending", { imageScanningConfiguration: unknownValue }), repository("unscanned", { imageScanningConfiguration: { scanOnPush: false } })]),
            );
            expect(reported(run)).to.deep.equal([["unscanned", "CKV_AWS_163: ECR repository unscanned does not scan images on push"]]);
            expect(run.error).to.be.instanceOf(Error);
            expect((run.error as Error).message).to.equal("string value at .imageScanningConfiguration can't be known during preview");
        });

        it("still finds the stack's facts when a provider's tags are unknown", () => {
            const resources = policyResources("dev", [record("pulumi:providers:aws", "aws", { region: "us-west-2", defaultTags: unknownValue })]);
            expect(stackFacts(resources)).to.include({ stack: "dev", isProd: false });
        });
    });
});

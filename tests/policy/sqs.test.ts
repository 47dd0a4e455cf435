import { describeFixtureCases } from "../support/policy-builders";
import { sqsCases } from "./cases/sqs";

describe("policy pack: SQS", () => {
    describeFixtureCases(sqsCases);
});

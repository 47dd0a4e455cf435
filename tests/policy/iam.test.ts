import { describeFixtureCases } from "../support/policy-builders";
import { iamCases } from "./cases/iam";

describe("policy pack: IAM", () => {
    describeFixtureCases(iamCases);
});

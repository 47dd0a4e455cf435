import { describeFixtureCases } from "../support/policy-builders";
import { ciAccessCases } from "./cases/ci-access";

describe("policy pack: CI access", () => {
    describeFixtureCases(ciAccessCases);
});

import { describeFixtureCases } from "../support/policy-builders";
import { helmCases } from "./cases/helm";

describe("policy pack: Helm", () => {
    describeFixtureCases(helmCases);
});

import { describeFixtureCases } from "../support/policy-builders";
import { kmsCases } from "./cases/kms";

describe("policy pack: KMS", () => {
    describeFixtureCases(kmsCases);
});

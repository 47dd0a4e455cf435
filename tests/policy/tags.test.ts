import { describeFixtureCases } from "../support/policy-builders";
import { tagsCases } from "./cases/tags";

describe("policy pack: tags", () => {
    describeFixtureCases(tagsCases);
});

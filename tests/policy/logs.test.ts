import { describeFixtureCases } from "../support/policy-builders";
import { logsCases } from "./cases/logs";

describe("policy pack: logs", () => {
    describeFixtureCases(logsCases);
});

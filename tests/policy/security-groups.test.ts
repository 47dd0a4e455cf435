import { describeFixtureCases } from "../support/policy-builders";
import { securityGroupsCases } from "./cases/security-groups";

describe("policy pack: security groups", () => {
    describeFixtureCases(securityGroupsCases);
});

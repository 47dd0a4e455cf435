import { describeFixtureCases } from "../support/policy-builders";
import { eksCases } from "./cases/eks";

describe("policy pack: EKS control plane and access", () => {
    describeFixtureCases(eksCases);
});

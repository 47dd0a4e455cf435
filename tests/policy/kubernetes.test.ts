import { describeFixtureCases } from "../support/policy-builders";
import { kubernetesCases } from "./cases/kubernetes";

describe("policy pack: in-cluster isolation", () => {
    describeFixtureCases(kubernetesCases);
});

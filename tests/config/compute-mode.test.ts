import { expect } from "chai";
import { errorFor, validatedConfig } from "../support/config-errors";
import { projectRoot } from "../../tooling/offline/paths";
import { PROJECT, fixturesDir, projectDefaults, stackFileConfig } from "../../tooling/offline/stack-files";

describe("computeMode config (stacks/config/compute-mode.ts)", () => {
    it("defaults to karpenter, accepts auto, and rejects anything else naming the allowed values", () => {
        expect(validatedConfig("dev").cluster.computeMode).to.equal("karpenter");
        expect(validatedConfig("auto").cluster.computeMode).to.equal("auto");
        expect(errorFor("dev", { computeMode: "fargate" })).to.include('eks-platform:computeMode: got "fargate"; allowed: one of karpenter, auto');
    });

    it("refuses, naming both keys, the system node group and Karpenter controller keys under Auto Mode", () => {
        const msg = errorFor("auto", { systemNodeInstanceTypes: ["t3.medium"], systemNodeMinSize: 2, karpenterAmiAlias: "al2023@latest", karpenterReplicas: 2 });
        expect(msg).to.include('eks-platform:systemNodeInstanceTypes: got ["t3.medium"] (eks-platform:computeMode is auto: Auto Mode runs the platform\'s controllers on its built-in system pool; there is no system node group; remove the key)');
        expect(msg).to.include("eks-platform:systemNodeMinSize: got 2 (eks-platform:computeMode is auto: Auto Mode's built-in system pool scales itself");
        expect(msg).to.include('eks-platform:karpenterAmiAlias: got "al2023@latest" (eks-platform:computeMode is auto: Auto Mode chooses and patches the node image itself');
        expect(msg).to.include("eks-platform:karpenterReplicas: got 2 (eks-platform:computeMode is auto: Auto Mode runs its node controller outside the cluster");
        // The same keys stay valid in karpenter mode (the dev fixture sets them all).
        expect(validatedConfig("dev").cluster.systemNodes.instanceTypes).to.deep.equal(["t4g.medium"]);
    });

    // The engine hands every default Pulumi.yaml declares to the program as if the stack file had set it; the
    // fixtures folder has no Pulumi.yaml, so this applies the project's to the auto fixture by hand.
    it("accepts an auto stack file beside the project's Pulumi.yaml: it declares no default of a key Auto Mode refuses", () => {
        const own = stackFileConfig("auto", fixturesDir);
        const unset = Object.entries(projectDefaults(projectRoot)).filter(([key]) => !(key in own));
        expect(unset.length, "the auto fixture leaves some project defaults to Pulumi.yaml").to.be.greaterThan(0);
        const config = validatedConfig("auto", { ...Object.fromEntries(unset), karpenterExpireAfter: undefined });
        expect(config.addons.karpenter.nodePool.expireAfter).to.equal("504h");
        expect(unset.map(([key]) => key)).to.not.include(`${PROJECT}:systemNodeInstanceTypes`);
    });

    it("bounds the workload nodes' lifetime by Auto Mode's 21 days, naming both keys", () => {
        expect(errorFor("auto", { karpenterExpireAfter: "720h" })).to.include(
            'eks-platform:karpenterExpireAfter: got "720h" (eks-platform:computeMode is auto, which replaces every node after at most 21 days; choose 504h or less)',
        );
        expect(errorFor("auto", { karpenterExpireAfter: "Never" })).to.include('eks-platform:karpenterExpireAfter: got "Never" (eks-platform:computeMode is auto');
        expect(validatedConfig("auto", { karpenterExpireAfter: "503h59m" }).addons.karpenter.nodePool.expireAfter).to.equal("503h59m");
        expect(validatedConfig("dev", { karpenterExpireAfter: "720h" }).addons.karpenter.nodePool.expireAfter).to.equal("720h");
        // A stack that only says computeMode auto is accepted: the key's 720h default is karpenter mode's, Auto Mode gets 504h.
        expect(validatedConfig("auto", { karpenterExpireAfter: undefined }).addons.karpenter.nodePool.expireAfter).to.equal("504h");
        expect(validatedConfig("dev", { karpenterExpireAfter: undefined }).addons.karpenter.nodePool.expireAfter).to.equal("720h");
    });

    it("gives Auto Mode stacks CI access like karpenter ones: the boundary covers Auto Mode's cluster and node policies", () => {
        const ci = { ciRepository: "octo-platform/eks-platform", ciRepositoryId: "691237045", ciRepositoryOwnerId: "148930217", ciStateBucket: "octo-platform-pulumi-state/eks-platform", ciDeployBranches: ["main"] };
        expect(validatedConfig("auto-ipv6", ci).ci?.repository).to.equal("octo-platform/eks-platform");
        expect(validatedConfig("auto").ci?.repository, "the auto fixture has CI access").to.equal("octo-platform/eks-platform");
    });

    it("lets metrics-server run more replicas than a system node group would hold: Auto Mode's system pool grows", () => {
        expect(validatedConfig("auto", { metricsServerReplicas: 4 }).addons.metricsServer.replicas).to.equal(4);
        expect(errorFor("dev", { metricsServerReplicas: 4 })).to.include("eks-platform:metricsServerReplicas: got 4 (more than systemNodeMinSize 2");
    });
});

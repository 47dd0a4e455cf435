import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import * as util from "util";
import { parse } from "yaml";
import { CONFIG_KEYS } from "../../stacks/config/keys";
import { ConfigError } from "../../stacks/config/reader";
import { otherStackCidrs } from "../../stacks/config/load";
import { validateConfig } from "../../stacks/config/validate";
import { buildStack } from "../../tooling/offline/harness";
import { projectRoot } from "../../tooling/offline/paths";
import { PROJECT, configWith, fixturesDir } from "../../tooling/offline/stack-files";
import { errorFor, thrown } from "../support/config-errors";

describe("stack config", () => {
    it("accepts the dev and prod fixture stack files", () => {
        for (const stack of ["dev", "prod"] as const) {
            const cfg = validateConfig({ project: PROJECT, stack, values: configWith(stack), otherStackCidrs: otherStackCidrs(fixturesDir, PROJECT, stack) });
            expect(cfg.environment).to.equal(stack);
        }
    });

    it("declares exactly the loader's keys in Pulumi.yaml, with the same defaults (but karpenter-mode ones, which the program applies), scalars as strings", () => {
        const declared = (parse(fs.readFileSync(path.join(projectRoot, "Pulumi.yaml"), "utf8")) as { config: Record<string, any> }).config;
        expect(Object.keys(declared)).to.have.members(Object.keys(CONFIG_KEYS));
        for (const [key, spec] of Object.entries(CONFIG_KEYS) as [string, any][]) {
            // Scalars reach the validator as text (see README, Configuration); the CLI checks only list shape.
            expect(declared[key].type, key).to.equal(spec.type === "array" ? "array" : "string");
            // A karpenter-mode default would reach an auto stack as set (KeySpec.karpenterModeDefault): Pulumi.yaml declares none.
            const declaredDefault = spec.karpenterModeDefault ? undefined : spec.default;
            const asEngine = declaredDefault === undefined || Array.isArray(declaredDefault) ? declaredDefault : String(declaredDefault);
            expect(declared[key].default, key).to.deep.equal(asEngine);
            expect(declared[key].description, key).to.equal(spec.description);
        }
    });

    describe("rejects, naming the key, the value and what is allowed", () => {
        it("a malformed CIDR", () => {
            const msg = errorFor("dev", { vpcCidr: "10.0.0.0/33" });
            expect(msg).to.include('eks-platform:vpcCidr: got "10.0.0.0/33"').and.include("allowed: a private (RFC 1918) IPv4 CIDR");
        });
        it("a CIDR with host bits set", () => {
            expect(errorFor("dev", { vpcCidr: "10.0.1.0/16" })).to.include('eks-platform:vpcCidr: got "10.0.1.0/16" (not an IPv4 network address');
        });
        it("a public CIDR", () => {
            expect(errorFor("dev", { vpcCidr: "52.0.0.0/16" })).to.include('eks-platform:vpcCidr: got "52.0.0.0/16" (not in 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16)');
        });
        it("a prefix too small for the subnets", () => {
            expect(errorFor("dev", { vpcCidr: "10.0.0.0/24" })).to.include('eks-platform:vpcCidr: got "10.0.0.0/24" (too small');
        });
        it("a prefix larger than AWS allows", () => {
            expect(errorFor("dev", { vpcCidr: "10.0.0.0/8" })).to.include('eks-platform:vpcCidr: got "10.0.0.0/8" (AWS VPCs are at most /16)');
        });
        it("an AZ count outside 2-6", () => {
            expect(errorFor("dev", { azCount: 1 })).to.include("eks-platform:azCount: got 1; allowed: an integer from 2 to 4");
            expect(errorFor("dev", { azCount: 5 })).to.include("eks-platform:azCount: got 5; allowed: an integer from 2 to 4");
        });
        it("an AZ count that is not an integer", () => {
            expect(errorFor("dev", { azCount: "three" })).to.include('eks-platform:azCount: got "three" (not a valid integer)');
        });
        it("an unknown NAT strategy", () => {
            expect(errorFor("dev", { natStrategy: "perAz" })).to.include('eks-platform:natStrategy: got "perAz"; allowed: one of single, onePerAz');
        });
        it("an invalid repository name", () => {
            expect(errorFor("dev", { ecrRepositories: ["MyApp"] })).to.include('eks-platform:ecrRepositories: got "MyApp"; allowed: a list of unique items, each an ECR repository name');
            expect(errorFor("dev", { ecrRepositories: ["team//api"] })).to.include('eks-platform:ecrRepositories: got "team//api"');
        });
        it("a repository listed twice", () => {
            expect(errorFor("dev", { ecrRepositories: ["myapp", "myapp"] })).to.include('eks-platform:ecrRepositories: got "myapp" (listed twice)');
        });
        it("a negative retention", () => {
            expect(errorFor("dev", { ecrKeepTaggedImages: -5 })).to.include("eks-platform:ecrKeepTaggedImages: got -5; allowed: an integer from 1 to 10000");
            expect(errorFor("dev", { flowLogRetentionDays: -1 })).to.include("eks-platform:flowLogRetentionDays: got -1; allowed: a CloudWatch retention period");
        });
        it("a retention CloudWatch does not offer", () => {
            expect(errorFor("dev", { flowLogRetentionDays: 45 })).to.include("eks-platform:flowLogRetentionDays: got 45;");
        });
        it("an unknown key, suggesting the one meant", () => {
            expect(errorFor("dev", { vpcCidrr: "10.0.0.0/16" })).to.include("eks-platform:vpcCidrr: unknown key; did you mean eks-platform:vpcCidr?");
        });
        it("a prod CIDR that overlaps dev's", () => {
            expect(errorFor("prod", { vpcCidr: "10.0.128.0/17" })).to.include('eks-platform:vpcCidr: got "10.0.128.0/17" (overlaps stack "dev" (10.0.0.0/16))');
        });
        it("a dev CIDR that overlaps prod's", () => {
            expect(errorFor("dev", { vpcCidr: "10.1.0.0/16" })).to.include('(overlaps stack "prod" (10.1.0.0/16))');
        });
        it("a missing required key", () => {
            expect(errorFor("dev", { clusterName: undefined })).to.include("eks-platform:clusterName: missing; set it in the stack file");
        });
        it("a missing or malformed region", () => {
            expect(errorFor("dev", { "aws:region": undefined })).to.include("aws:region: missing; set it with `pulumi config set aws:region <region>` (allowed: an AWS region code");
        });
        it("a malformed extra tag", () => {
            expect(errorFor("dev", { extraTags: ["team"] })).to.include('eks-platform:extraTags: got "team"; allowed: a list of items, each a key=value tag');
        });
        it("a boolean that is not true/false", () => {
            expect(errorFor("dev", { protectResources: "yes" })).to.include('eks-platform:protectResources: got "yes" (not a valid boolean); allowed: true or false');
        });
        it("several problems at once, each on its own line", () => {
            const msg = errorFor("dev", { azCount: 9, natStrategy: "none" });
            expect(msg.split("\n").filter((l) => l.startsWith("  - "))).to.have.length(2);
        });
    });

    it("registers no resource when the config is bad", async () => {
        let caught: (Error & { registrations?: number }) | undefined;
        try {
            await buildStack("dev", { azCount: 9 });
        } catch (err) {
            caught = err as Error & { registrations?: number };
        }
        expect(caught, "the build should fail").to.be.instanceOf(ConfigError);
        expect(caught!.registrations).to.equal(0);
    });
});


describe("config errors", () => {
    const lines = (msg: string) => msg.split("\n").filter((l) => l.startsWith("  - "));

    it("are RunErrors (the CLI prints the message alone) whose properties repeat nothing", () => {
        const err = thrown("dev", { azCount: 9 });
        expect(pulumi.RunError.isInstance(err)).to.equal(true);
        expect(err.problems).to.deep.equal(["eks-platform:azCount: got 9; allowed: an integer from 2 to 4"]);
        // util.inspect is how the SDK prints other errors; the problems must not appear a second time.
        expect(util.inspect(err)).to.not.include("problems:");
    });
    it("report a value that breaks several checks once", () => {
        const msg = thrown("dev", { environment: "Dev" }).message;
        expect(lines(msg).filter((l) => l.includes('got "Dev"'))).to.have.length(1);
        expect(msg).to.include("eks-platform:environment: got \"Dev\"; allowed: lowercase letters, digits and '-'");
    });
    it("do not cascade from a type error into range or cross-key checks", () => {
        const msg = thrown("dev", { azCount: "three" }).message;
        expect(lines(msg)).to.deep.equal(['  - eks-platform:azCount: got "three" (not a valid integer); allowed: an integer from 2 to 4']);
        const sizes = thrown("dev", { systemNodeDesiredSize: "two" }).message;
        expect(lines(sizes)).to.have.length(1);
        expect(sizes).to.include('eks-platform:systemNodeDesiredSize: got "two" (not a valid integer)').and.not.include("systemNodeMinSize: got");
        const replicas = thrown("dev", { systemNodeMinSize: 0 }).message;
        expect(lines(replicas)).to.deep.equal(["  - eks-platform:systemNodeMinSize: got 0; allowed: an integer from 1 to 10; at most systemNodeDesiredSize"]);
    });
    it("do not blame the endpoint when only the waiver list is malformed", () => {
        const msg = thrown("dev", { policyWaivers: ["CKV_AWS_38: ok"] }).message;
        expect(lines(msg)).to.have.length(1);
    });
});

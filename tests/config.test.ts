import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import * as util from "util";
import { parse } from "yaml";
import { CONFIG_KEYS } from "../stacks/config/keys";
import { ConfigError } from "../stacks/config/reader";
import { otherStackCidrs } from "../stacks/config/load";
import { validateConfig } from "../stacks/config/validate";
import { buildStack } from "./support/harness";
import { projectRoot } from "./support/paths";
import { PROJECT, configWith, fixturesDir, stackFileConfig } from "./support/stack-files";

/** Validates a stack's real config with some keys replaced; returns the ConfigError message. */
function errorFor(stack: "dev" | "prod", overrides: Record<string, unknown>): string {
    try {
        validateConfig({ project: PROJECT, stack, values: configWith(stack, overrides), otherStackCidrs: otherStackCidrs(fixturesDir, PROJECT, stack) });
    } catch (err) {
        expect(err).to.be.instanceOf(ConfigError);
        return (err as Error).message;
    }
    throw new Error(`config with ${JSON.stringify(overrides)} was accepted`);
}

describe("stack config", () => {
    it("accepts the dev and prod fixture stack files", () => {
        for (const stack of ["dev", "prod"] as const) {
            const cfg = validateConfig({ project: PROJECT, stack, values: configWith(stack), otherStackCidrs: otherStackCidrs(fixturesDir, PROJECT, stack) });
            expect(cfg.environment).to.equal(stack);
        }
    });

    it("declares exactly the loader's keys in Pulumi.yaml, with the same defaults, scalars as strings", () => {
        const declared = (parse(fs.readFileSync(path.join(projectRoot, "Pulumi.yaml"), "utf8")) as { config: Record<string, any> }).config;
        expect(Object.keys(declared)).to.have.members(Object.keys(CONFIG_KEYS));
        for (const [key, spec] of Object.entries(CONFIG_KEYS) as [string, any][]) {
            // Scalars reach the validator as text (see README, Configuration); the CLI checks only list shape.
            expect(declared[key].type, key).to.equal(spec.type === "array" ? "array" : "string");
            const asEngine = spec.default === undefined || Array.isArray(spec.default) ? spec.default : String(spec.default);
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
            expect(errorFor("dev", { azCount: 1 })).to.include("eks-platform:azCount: got 1; allowed: an integer from 2 to 6");
            expect(errorFor("dev", { azCount: 7 })).to.include("eks-platform:azCount: got 7; allowed: an integer from 2 to 6");
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

describe("cluster config", () => {
    it("rejects a Kubernetes version of the wrong form or outside the supported range", () => {
        expect(errorFor("dev", { kubernetesVersion: "1.35.2" })).to.include('eks-platform:kubernetesVersion: got "1.35.2"; allowed: a version of the form 1.NN from 1.32 to 1.36');
        expect(errorFor("dev", { kubernetesVersion: "1.29" })).to.include('eks-platform:kubernetesVersion: got "1.29"');
        expect(errorFor("dev", { kubernetesVersion: "1.37" })).to.include('eks-platform:kubernetesVersion: got "1.37"');
    });
    it("refuses a world-open public endpoint in prod", () => {
        const msg = errorFor("prod", { endpointPublicAccess: true, publicAccessCidrs: ["0.0.0.0/0"] });
        expect(msg).to.include('eks-platform:publicAccessCidrs: got "0.0.0.0/0" (prod must not open the API endpoint to the whole internet)');
    });
    it("refuses a world-open endpoint outside prod unless CKV_AWS_38 is waived with a reason", () => {
        expect(errorFor("dev", { policyWaivers: [] })).to.include("needs a 'CKV_AWS_38: <reason>' entry in policyWaivers");
        expect(errorFor("dev", { policyWaivers: ["CKV_AWS_38: ok"] })).to.include('eks-platform:policyWaivers: got "CKV_AWS_38: ok"');
    });
    it("requires CIDRs when the public endpoint is on, and only public ones", () => {
        expect(errorFor("prod", { endpointPublicAccess: true })).to.include("eks-platform:publicAccessCidrs: got [] (the public endpoint is on");
        expect(errorFor("prod", { endpointPublicAccess: true, publicAccessCidrs: ["10.0.0.0/8"] })).to.include('got "10.0.0.0/8" (private ranges reach the private endpoint');
        expect(errorFor("prod", { endpointPublicAccess: true, publicAccessCidrs: ["203.0.113.0/33"] })).to.include('got "203.0.113.0/33" (not an IPv4 network address');
    });
    it("refuses creator bootstrap in prod", () => {
        expect(errorFor("prod", { bootstrapCreatorAdmin: true })).to.include("eks-platform:bootstrapCreatorAdmin: got true (prod grants cluster-admin only to the principals in clusterAdminArns)");
    });
    it("refuses a cluster nobody could administer", () => {
        expect(errorFor("prod", { clusterAdminArns: [] })).to.include("eks-platform:clusterAdminArns: got [] (with bootstrapCreatorAdmin false nobody could reach the cluster");
    });
    it("rejects principals that are not IAM role or user ARNs", () => {
        const msg = errorFor("prod", { clusterAdminArns: ["arn:aws:sts::111122223333:assumed-role/admin/me"] });
        expect(msg).to.include('eks-platform:clusterAdminArns: got "arn:aws:sts::111122223333:assumed-role/admin/me"; allowed: a list of unique items, each an IAM principal');
    });
    it("rejects malformed namespace access and principals that already are admins", () => {
        expect(errorFor("dev", { namespaceAccess: ["role/dev admin dev"] })).to.include('eks-platform:namespaceAccess: got "role/dev admin dev"; allowed:');
        expect(errorFor("dev", { namespaceAccess: ["role/dev view Dev_NS"] })).to.include('got "role/dev view Dev_NS"');
        expect(errorFor("prod", { namespaceAccess: ["role/platform-operators view production"] })).to.include("already a cluster-admin");
    });
    it("rejects system node types of mixed architecture or bad form", () => {
        expect(errorFor("dev", { systemNodeInstanceTypes: ["t3.medium", "t4g.medium"] })).to.include("mixes x86_64 and arm64 types");
        expect(errorFor("dev", { systemNodeInstanceTypes: ["large"] })).to.include('eks-platform:systemNodeInstanceTypes: got "large"');
        expect(errorFor("dev", { systemNodeInstanceTypes: [] })).to.include("eks-platform:systemNodeInstanceTypes: got []");
    });
    it("refuses backups with no namespaces to back up", () => {
        expect(errorFor("dev", { backupEnabled: "true", gitopsRepoUrl: undefined, gitopsEnvironments: "[]" })).to.include("eks-platform:backupEnabled: got true (the daily backup covers the gitopsEnvironments namespaces");
    });
    it("puts system nodes on spot only outside prod", () => {
        expect(errorFor("prod", { systemNodeCapacityType: "spot" })).to.include('eks-platform:systemNodeCapacityType: got "spot" (prod\'s system nodes');
        expect(errorFor("dev", { systemNodeCapacityType: "SPOT" })).to.include('eks-platform:systemNodeCapacityType: got "SPOT"');
    });
    it("rejects node group sizes out of order", () => {
        // One broken ordering, one line: on the size that sits between the other two.
        const msg = errorFor("dev", { systemNodeMinSize: 3, systemNodeDesiredSize: 2, systemNodeMaxSize: 3 });
        expect(msg).to.include("eks-platform:systemNodeDesiredSize: got 2 (below systemNodeMinSize 3); allowed: an integer from 1 to 20; between systemNodeMinSize and systemNodeMaxSize");
        expect(msg).to.not.include("systemNodeMinSize: got");
        expect(errorFor("dev", { systemNodeMinSize: 11 })).to.include("eks-platform:systemNodeMinSize: got 11; allowed: an integer from 1 to 10; at most systemNodeDesiredSize");
        expect(errorFor("dev", { systemNodeMaxSize: 1 })).to.include("eks-platform:systemNodeDesiredSize: got 2 (above systemNodeMaxSize 1)");
    });
    it("rejects a control-plane log retention CloudWatch does not offer", () => {
        expect(errorFor("prod", { clusterLogRetentionDays: 0 })).to.include("eks-platform:clusterLogRetentionDays: got 0;");
    });
});

describe("add-on config", () => {
    it("rejects unknown instance families", () => {
        expect(errorFor("dev", { karpenterInstanceFamilies: ["t3", "t9z"] })).to.include('eks-platform:karpenterInstanceFamilies: got "t9z" (not an EC2 instance family');
        expect(errorFor("dev", { karpenterInstanceFamilies: ["x2idnn"] })).to.include(
            'eks-platform:karpenterInstanceFamilies: got "x2idnn" (not an EC2 instance family; did you mean x2idn?); allowed: a non-empty list of unique items, each an EC2 instance family',
        );
        expect(errorFor("dev", { karpenterInstanceFamilies: [] })).to.include("eks-platform:karpenterInstanceFamilies: got []");
    });
    it("rejects unknown capacity types", () => {
        expect(errorFor("dev", { karpenterCapacityTypes: ["spot", "ondemand"] })).to.include('eks-platform:karpenterCapacityTypes: got "ondemand"; allowed: a non-empty list of unique items, each one of spot, on-demand');
    });
    it("rejects a CPU limit that is not positive", () => {
        expect(errorFor("dev", { karpenterCpuLimit: 0 })).to.include("eks-platform:karpenterCpuLimit: got 0; allowed: an integer from 1 to 10000");
    });
    it("rejects malformed durations and AMI aliases", () => {
        expect(errorFor("dev", { karpenterConsolidateAfter: "5 minutes" })).to.include('eks-platform:karpenterConsolidateAfter: got "5 minutes"; allowed: a duration');
        expect(errorFor("dev", { karpenterExpireAfter: "30d" })).to.include('eks-platform:karpenterExpireAfter: got "30d"');
        expect(errorFor("prod", { karpenterAmiAlias: "al2@latest" })).to.include('eks-platform:karpenterAmiAlias: got "al2@latest"; allowed: al2023@latest or al2023@vYYYYMMDD');
    });
    it("rejects more controller replicas than system nodes", () => {
        expect(errorFor("dev", { karpenterReplicas: 3 })).to.include("eks-platform:karpenterReplicas: got 3 (more than systemNodeMinSize 2); allowed: an integer from 1 to 10; at most systemNodeMinSize");
    });
    it("requires secret prefixes, without slashes", () => {
        expect(errorFor("prod", { externalSecretsPrefixes: undefined })).to.include("eks-platform:externalSecretsPrefixes: missing");
        expect(errorFor("prod", { externalSecretsPrefixes: ["prod/*"] })).to.include('eks-platform:externalSecretsPrefixes: got "prod/*"');
    });
});

describe("platform config", () => {
    const CERT = "arn:aws:acm:us-west-2:111122223333:certificate/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d";
    it("needs the environments a GitOps repository deploys to, and none without one", () => {
        expect(errorFor("dev", { gitopsEnvironments: [] })).to.include("eks-platform:gitopsEnvironments: got [] (gitopsRepoUrl is set, so the environments it deploys to must be listed)");
        const cfg = validateConfig({ project: PROJECT, stack: "dev", values: configWith("dev", { gitopsRepoUrl: undefined, gitopsEnvironments: undefined }), otherStackCidrs: {} });
        expect(cfg.platform.gitops).to.equal(undefined);
    });
    it("rejects a GitOps repository URL that git cannot clone", () => {
        expect(errorFor("dev", { gitopsRepoUrl: "github.com/acme/gitops" })).to.include('eks-platform:gitopsRepoUrl: got "github.com/acme/gitops"; allowed: empty, or an https://host/path');
        expect(errorFor("dev", { gitopsRepoUrl: "http://github.com/acme/gitops.git" })).to.include('got "http://github.com/acme/gitops.git"');
    });
    it("rejects an invalid certificate ARN, or one from another region", () => {
        const hosts = { argocdHostname: "argocd.example.com", grafanaHostname: "grafana.example.com" };
        expect(errorFor("dev", { ...hosts, ingressCertificateArn: "arn:aws:iam::111122223333:server-certificate/x" })).to.include(
            'eks-platform:ingressCertificateArn: got "arn:aws:iam::111122223333:server-certificate/x"; allowed: empty, or an ACM certificate ARN',
        );
        expect(errorFor("dev", { ...hosts, ingressCertificateArn: CERT.replace("us-west-2", "eu-west-1") })).to.include("(the ALB is in us-west-2; ACM certificates are regional)");
    });
    it("requires host names once a certificate is set", () => {
        expect(errorFor("dev", { ingressCertificateArn: CERT })).to.include('eks-platform:argocdHostname: got "" (ingressCertificateArn is set, so the Ingress needs a host name)');
    });
    it("rejects a retention that is not a positive duration", () => {
        expect(errorFor("prod", { prometheusRetention: "0d" })).to.include('eks-platform:prometheusRetention: got "0d"; allowed: a positive Prometheus duration');
        expect(errorFor("prod", { prometheusRetention: "-7d" })).to.include('eks-platform:prometheusRetention: got "-7d"');
    });
    it("rejects a volume size that is not a positive size", () => {
        expect(errorFor("prod", { prometheusVolumeSize: "0Gi" })).to.include('eks-platform:prometheusVolumeSize: got "0Gi"; allowed: a positive size in Gi or Ti');
        expect(errorFor("prod", { grafanaVolumeSize: "10GB" })).to.include('eks-platform:grafanaVolumeSize: got "10GB"');
        expect(errorFor("prod", { grafanaVolumeSize: "-5Gi" })).to.include('eks-platform:grafanaVolumeSize: got "-5Gi"');
    });
    it("rejects an admin password stored in plain text, without echoing it", () => {
        const msg = errorFor("prod", { argocdAdminPassword: "visible-in-git-123" });
        expect(msg).to.include("eks-platform:argocdAdminPassword: is stored in plain text; set it with `pulumi config set --secret argocdAdminPassword <value>`");
        expect(msg).to.not.include("visible-in-git-123");
    });
    it("rejects bad environment and application names", () => {
        expect(errorFor("dev", { gitopsEnvironments: ["Dev"] })).to.include('eks-platform:gitopsEnvironments: got "Dev"');
        expect(errorFor("dev", { gitopsApps: [] })).to.include("eks-platform:gitopsApps: got []");
        expect(errorFor("dev", { gitopsPath: "../envs" })).to.include('eks-platform:gitopsPath: got "../envs"');
    });
});

describe("CI access config", () => {
    it("reports CiAccess's own checks under the config keys", () => {
        expect(errorFor("dev", { ciRepository: "just-a-name" })).to.include('eks-platform:ciRepository: got "just-a-name"; allowed: empty, or a GitHub repository `owner/name`');
        expect(errorFor("dev", { ciDeployBranches: [] })).to.include("eks-platform:ciDeployBranches/ciDeployEnvironments: got []");
        expect(errorFor("dev", { ciDeployBranches: ["release/*"] })).to.include('eks-platform:ciDeployBranches: got "release/*"; allowed: a list of unique items, each an exact branch name, no wildcards');
        expect(errorFor("dev", { ciDeploySessionSeconds: 600 })).to.include("eks-platform:ciDeploySessionSeconds: got 600; allowed: an integer from 3600 to 43200");
    });
    it("refuses listing CI's deploy role as an admin too (one access entry per principal)", () => {
        expect(errorFor("prod", { clusterAdminArns: ["role/platform-operators", "role/eks-platform-deploy-prod"] })).to.include(
            'eks-platform:clusterAdminArns: got "role/eks-platform-deploy-prod" (CiAccess already makes its deploy role a cluster-admin',
        );
    });
    it("rejects a malformed OIDC provider ARN", () => {
        expect(errorFor("prod", { ciOidcProviderArn: "arn:aws:iam::111122223333:oidc-provider/gitlab.com" })).to.include('eks-platform:ciOidcProviderArn: got "arn:aws:iam::111122223333:oidc-provider/gitlab.com"');
    });
});

describe("cluster name", () => {
    it("is short enough for every IAM role, node group and EventBridge rule name derived from it", () => {
        expect(errorFor("dev", { clusterName: "platform-production-cluster" })).to.include(
            'eks-platform:clusterName: got "platform-production-cluster"; allowed: letters, digits, \'-\' and \'_\', 1-24 characters',
        );
    });
    it("yields derived names within AWS's limits at its longest", async () => {
        const longest = "c".repeat(24);
        const g = await buildStack("dev", { clusterName: longest });
        const AUTONAME_SUFFIX = 8; // Pulumi appends "-" and 7 random characters to auto-named resources
        for (const type of ["aws:iam/role:Role", "aws:cloudwatch/eventRule:EventRule"]) {
            for (const r of g.ofType(type)) {
                const length = (r.inputs.name ?? r.name).length + (r.inputs.name ? 0 : AUTONAME_SUFFIX);
                expect(length, `${type} ${r.name}`).to.be.at.most(64);
            }
        }
        // The node group's name is its prefix plus a 26-character unique suffix, at most 63 in all.
        expect(g.one("aws:eks/nodeGroup:NodeGroup").inputs.nodeGroupNamePrefix.length + 26).to.be.at.most(63);
    });
});

describe("config errors", () => {
    const thrown = (stack: "dev" | "prod", overrides: Record<string, unknown>): ConfigError => {
        try {
            validateConfig({ project: PROJECT, stack, values: configWith(stack, overrides), otherStackCidrs: otherStackCidrs(fixturesDir, PROJECT, stack) });
        } catch (err) {
            return err as ConfigError;
        }
        throw new Error(`config with ${JSON.stringify(overrides)} was accepted`);
    };
    const lines = (msg: string) => msg.split("\n").filter((l) => l.startsWith("  - "));

    it("are RunErrors (the CLI prints the message alone) whose properties repeat nothing", () => {
        const err = thrown("dev", { azCount: 9 });
        expect(pulumi.RunError.isInstance(err)).to.equal(true);
        expect(err.problems).to.deep.equal(["eks-platform:azCount: got 9; allowed: an integer from 2 to 6"]);
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
        expect(lines(msg)).to.deep.equal(['  - eks-platform:azCount: got "three" (not a valid integer); allowed: an integer from 2 to 6']);
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

describe("mistakes that used to pass silently", () => {
    it("a region that does not exist, suggesting the one meant", () => {
        expect(errorFor("dev", { "aws:region": "us-weast-2" })).to.include(
            'aws:region: got "us-weast-2" (did you mean us-east-2 or us-west-2?); allowed: an AWS region code of the commercial, GovCloud or China partition',
        );
        expect(errorFor("dev", { "aws:region": "mars-north-1" })).to.include('aws:region: got "mars-north-1"; allowed: an AWS region code');
        for (const region of ["us-gov-west-1", "cn-northwest-1", "eu-central-2"]) {
            const cert = { "aws:region": region };
            expect(() => validateConfig({ project: PROJECT, stack: "dev", values: configWith("dev", cert), otherStackCidrs: {} }), region).to.not.throw();
        }
    });
    it("several GitOps apps that would all deploy the same path", () => {
        expect(errorFor("dev", { gitopsApps: ["web", "api"], gitopsPath: "envs/{env}" })).to.include(
            'eks-platform:gitopsPath: got "envs/{env}" (gitopsApps lists 2 apps, which would all deploy this same path); allowed: a relative path containing {env} (and optionally {app}), no \'..\'; containing {app} when gitopsApps lists more than one app',
        );
        expect(() => validateConfig({ project: PROJECT, stack: "dev", values: configWith("dev", { gitopsApps: ["web", "api"], gitopsPath: "apps/{app}/{env}" }), otherStackCidrs: {} })).to.not.throw();
    });
    it("extra tags that would override the tags the program sets", () => {
        for (const tag of ["environment=development", "project=other", "managed-by=terraform"]) {
            const key = tag.split("=")[0];
            expect(errorFor("dev", { extraTags: [tag] })).to.include(`eks-platform:extraTags: got "${tag}" (the program sets the ${key} tag itself); allowed: a list of items, each a key=value tag`);
        }
    });
    it("a misspelt config namespace, suggesting the project's", () => {
        expect(errorFor("dev", { "eks-platfrom:azCount": 2 })).to.include(
            'eks-platfrom:azCount: unknown config namespace "eks-platfrom"; did you mean eks-platform:azCount?; allowed namespaces: eks-platform, aws, awsx, eks, kubernetes, pulumi, random',
        );
    });
    it("an unquoted Kubernetes version that YAML read as a number", () => {
        expect(errorFor("dev", { kubernetesVersion: 1.3 })).to.include(
            'eks-platform:kubernetesVersion: got "1.3" (YAML read an unquoted 1.30 as the number 1.3; quote it: "1.30"); allowed: a version of the form 1.NN',
        );
    });
    it("instance types of an unknown family or size", () => {
        expect(errorFor("dev", { systemNodeInstanceTypes: ["t3.mediun"] })).to.include(
            'eks-platform:systemNodeInstanceTypes: got "t3.mediun" (not an EC2 instance size; did you mean medium?); allowed: a non-empty list of unique items, each an EC2 instance type <family>.<size>',
        );
        expect(errorFor("dev", { systemNodeInstanceTypes: ["t9.medium"] })).to.include('got "t9.medium" (not an EC2 instance family');
        for (const type of ["m6i.24xlarge", "c7g.metal", "m7i.metal-48xl", "t3.nano"]) {
            expect(errorFor("dev", { systemNodeInstanceTypes: [type], azCount: 9 }), type).to.not.include("systemNodeInstanceTypes");
        }
    });
    it("placeholder repositories where a repository decides what the stack trusts", () => {
        for (const repo of ["your-org/eks-platform", "<org>/<repo>", "example/eks-platform", "owner/repo", "eks-platform/eks-platform", "REPLACE-WITH-YOUR-ORG/eks-platform"]) {
            expect(errorFor("dev", { ciRepository: repo }), repo).to.include(`eks-platform:ciRepository: got "${repo}" (a placeholder, not a real repository`).and.include("allowed: empty, or a GitHub repository");
        }
        for (const url of ["https://github.com/your-org/gitops.git", "https://example.com/platform/gitops.git", "https://github.com/eks-platform/gitops.git", "git@github.com:owner/repo.git"]) {
            expect(errorFor("dev", { gitopsRepoUrl: url }), url).to.include(`eks-platform:gitopsRepoUrl: got "${url}" (a placeholder, not a real repository`).and.include("allowed: empty, or an https://");
        }
    });
});

describe("shipped stack files", () => {
    const stacks = fs.readdirSync(projectRoot).flatMap((f) => /^Pulumi\.(.+)\.ya?ml$/.exec(f)?.[1] ?? []);

    it("exist", () => expect(stacks).to.not.be.empty);
    for (const stack of stacks.length ? stacks : ["dev", "prod"]) {
        it(`${stack}: validates, and trusts no CI repository and syncs no GitOps repository until the user names theirs`, () => {
            const own = stackFileConfig(stack, projectRoot);
            const cfg = validateConfig({ project: PROJECT, stack, values: configWith(stack, {}, projectRoot), otherStackCidrs: otherStackCidrs(projectRoot, PROJECT, stack) });
            expect(cfg.environment).to.equal(own["eks-platform:environment"]);
            expect(own).to.not.have.any.keys("eks-platform:ciRepository", "eks-platform:gitopsRepoUrl");
            expect(cfg.ci).to.equal(undefined);
            expect(cfg.platform.gitops).to.equal(undefined);
        });
    }
});

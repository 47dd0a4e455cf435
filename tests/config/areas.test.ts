import { expect } from "chai";
import { KUBERNETES_VERSIONS } from "../../components/versions";
import { validateConfig } from "../../stacks/config/validate";
import { buildStack } from "../../tooling/offline/harness";
import { PROJECT, configWith } from "../../tooling/offline/stack-files";
import { errorFor } from "../support/config-errors";

describe("cluster config", () => {
    it("rejects a Kubernetes version of the wrong form or outside the supported range", () => {
        const { default: current, oldestSupported, newestSupported } = KUBERNETES_VERSIONS;
        const minor = (version: string, by: number) => `1.${Number(version.split(".")[1]) + by}`;
        expect(errorFor("dev", { kubernetesVersion: `${current}.2` })).to.include(
            `eks-platform:kubernetesVersion: got "${current}.2"; allowed: a version of the form 1.NN from ${oldestSupported} to ${newestSupported}`,
        );
        for (const outside of [minor(oldestSupported, -1), minor(newestSupported, 1)]) {
            expect(errorFor("dev", { kubernetesVersion: outside })).to.include(`eks-platform:kubernetesVersion: got "${outside}"`);
        }
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
    it("refuses a branch-building agent's role in a stack whose previews wait for review, naming the key for a main-only agent", () => {
        const agent = "arn:aws:iam::111122223333:role/jenkins-agent";
        expect(errorFor("prod", { ciTrustedRoleArns: [agent] })).to.include(
            `eks-platform:ciTrustedRoleArns: got ["${agent}"] (empty in a stack with ciPreviewEnvironment (preview-production): an agent that builds branches and pull requests would reach its roles before any review; ` +
                "list the instance role of a Jenkins agent that builds main alone in ciProdAgentRoleArns); allowed: a list of unique items, each an IAM role ARN",
        );
        expect(errorFor("dev", { ciProdAgentRoleArns: [agent] })).to.include(`eks-platform:ciProdAgentRoleArns: got ["${agent}"] (only in a stack with ciPreviewEnvironment`);
        expect(errorFor("prod", { ciProdAgentRoleArns: ["111122223333"] })).to.include('eks-platform:ciProdAgentRoleArns: got "111122223333"; allowed: a list of unique items, each an IAM role ARN (never an account, a root or `*`)');
        expect(() => validateConfig({ project: PROJECT, stack: "prod", values: configWith("prod", { ciProdAgentRoleArns: [agent] }), otherStackCidrs: {} })).to.not.throw();
    });
    it("refuses an application entry without its owner's id, naming the form with both ids", () => {
        expect(errorFor("dev", { ciApplications: ["octo-platform/myapp#803412557=myapp"] })).to.include(
            'eks-platform:ciApplications: got "octo-platform/myapp#803412557=myapp"; allowed: a list of unique items, each `<owner>/<repo>#<owner id>/<repository id>=<ecr repository>`',
        );
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

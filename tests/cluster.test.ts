import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import { useStacks } from "./support/use-stacks";
import { StackGraph } from "../tooling/offline/harness";
import { ACCOUNT_ID } from "../tooling/offline/mocks";
import { devWithOptionalFeatures, prodWithoutCiWithSecrets } from "./support/variants";

const json = (text: string) => JSON.parse(text);
const key = (g: StackGraph, type: string, name: string) => `${type}::${name.replace("<c>", `eks-${g.stack}`)}`;

/** The stack's owner tags, as its AWS provider puts them on everything (default tags). */
const ownerTagsOf = (g: StackGraph): Record<string, string> => {
    const defaults = g.one("pulumi:providers:aws").inputs.defaultTags;
    return (typeof defaults === "string" ? JSON.parse(defaults) : defaults).tags;
};

describe("Cluster", () => {
    const stacks = useStacks();
    const eks = (g: StackGraph) => g.one("aws:eks/cluster:Cluster");

    describe("control plane", () => {
        it("runs the configured Kubernetes version with API authentication mode and no self-managed add-ons", () => {
            for (const g of stacks.all) {
                expect(eks(g).inputs.name).to.equal(`eks-${g.stack}`);
                expect(eks(g).inputs.version).to.equal("1.35");
                expect(eks(g).inputs.accessConfig.authenticationMode).to.equal("API");
                expect(eks(g).inputs.bootstrapSelfManagedAddons).to.equal(false);
            }
        });

        it("bootstraps the creator as admin in dev only; prod names its admins", () => {
            expect(eks(stacks.dev).inputs.accessConfig.bootstrapClusterCreatorAdminPermissions).to.equal(true);
            expect(eks(stacks.prod).inputs.accessConfig.bootstrapClusterCreatorAdminPermissions).to.equal(false);
        });

        it("places its ENIs in the private subnets only", () => {
            for (const g of stacks.all) {
                expect(eks(g).inputs.vpcConfig.subnetIds).to.deep.equal(g.outputs.privateSubnetIds);
                expect(eks(g).inputs.vpcConfig.subnetIds.some((id: string) => g.outputs.publicSubnetIds.includes(id))).to.equal(false);
            }
        });

        it("keeps the private endpoint on; dev's public endpoint is waived, prod has none", () => {
            expect(eks(stacks.dev).inputs.vpcConfig).to.include({ endpointPrivateAccess: true, endpointPublicAccess: true });
            expect(eks(stacks.dev).inputs.vpcConfig.publicAccessCidrs).to.deep.equal(["0.0.0.0/0"]);
            expect(eks(stacks.prod).inputs.vpcConfig).to.include({ endpointPrivateAccess: true, endpointPublicAccess: false });
            expect(eks(stacks.prod).inputs.vpcConfig.publicAccessCidrs).to.equal(undefined);
        });

        it("envelope-encrypts secrets with its own rotated KMS key", () => {
            for (const g of stacks.all) {
                const secretsKey = g.one("aws:kms/key:Key", `eks-${g.stack}-secrets`);
                expect(secretsKey.inputs.enableKeyRotation).to.equal(true);
                expect(eks(g).inputs.encryptionConfig.resources).to.deep.equal(["secrets"]);
                expect(eks(g).inputs.encryptionConfig.provider.keyArn).to.equal(`arn:aws:kms:us-west-2:${ACCOUNT_ID}:key/eks-${g.stack}-secrets`);
                expect(g.one("aws:kms/key:Key", "logs").name).to.not.equal(secretsKey.name);
            }
        });

        it("ships all five control-plane log types to a log group it creates first, with the configured retention", () => {
            for (const [g, days] of [[stacks.dev, 7], [stacks.prod, 365]] as const) {
                expect(eks(g).inputs.enabledClusterLogTypes).to.have.members(["api", "audit", "authenticator", "controllerManager", "scheduler"]);
                const group = g.one("aws:cloudwatch/logGroup:LogGroup", `eks-${g.stack}-control-plane`);
                expect(group.inputs.name).to.equal(`/aws/eks/eks-${g.stack}/cluster`);
                expect(group.inputs.retentionInDays).to.equal(days);
                expect(group.inputs.kmsKeyId).to.match(/key\/logs$/);
                expect(eks(g).opts.dependsOn).to.include(key(g, "aws:cloudwatch/logGroup:LogGroup", "<c>-control-plane"));
            }
        });

        it("protects the cluster, its key and its logs in prod, and turns on EKS deletion protection", () => {
            expect(eks(stacks.prod).opts.protect).to.equal(true);
            expect(eks(stacks.prod).inputs.deletionProtection).to.equal(true);
            expect(stacks.prod.one("aws:kms/key:Key", "eks-prod-secrets").opts.protect).to.equal(true);
            expect(stacks.prod.one("aws:cloudwatch/logGroup:LogGroup", "eks-prod-control-plane").opts.protect).to.equal(true);
            expect(eks(stacks.dev).opts.protect).to.equal(false);
            expect(eks(stacks.dev).inputs.deletionProtection).to.equal(false);
        });

        it("lets only EKS assume the cluster role, with only AmazonEKSClusterPolicy attached", () => {
            const trust = json(stacks.dev.one("aws:iam/role:Role", "eks-dev-cluster").inputs.assumeRolePolicy);
            expect(trust.Statement).to.have.length(1);
            expect(trust.Statement[0].Principal).to.deep.equal({ Service: "eks.amazonaws.com" });
            const attached = stacks.dev.ofType("aws:iam/rolePolicyAttachment:RolePolicyAttachment").filter((a) => a.name.startsWith("eks-dev-cluster"));
            expect(attached.map((a) => a.inputs.policyArn)).to.deep.equal(["arn:aws:iam::aws:policy/AmazonEKSClusterPolicy"]);
        });

        it("tags the node security group for Karpenter discovery", () => {
            for (const g of stacks.all) {
                const tag = g.one("aws:ec2/tag:Tag", `eks-${g.stack}-karpenter-discovery`);
                expect(tag.inputs).to.include({ key: "karpenter.sh/discovery", value: `eks-${g.stack}` });
                expect(tag.inputs.resourceId).to.equal(g.outputs.nodeSecurityGroupId).and.match(/^sg-/);
            }
        });
    });

    describe("access", () => {
        it("gives prod's configured roles and CI's deploy role cluster-admin, expanding role/<name> to this account", () => {
            const admins = stacks.prod
                .ofType("aws:eks/accessPolicyAssociation:AccessPolicyAssociation")
                .filter((a) => a.inputs.policyArn === "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy");
            expect(admins.map((a) => a.inputs.principalArn)).to.have.members([
                `arn:aws:iam::${ACCOUNT_ID}:role/platform-operators`,
                `arn:aws:iam::${ACCOUNT_ID}:role/eks-platform-deploy-prod`,
            ]);
            for (const assoc of admins) {
                expect(assoc.inputs.accessScope).to.deep.equal({ type: "cluster" });
                expect(assoc.inputs.clusterName).to.equal("eks-prod");
            }
        });

        it("lets CI's preview role read the whole cluster except Secrets, and nothing more; a stack without CI has no such entry", () => {
            for (const g of stacks.all.filter((s) => s.outputs.ciPreviewRoleArn === null)) {
                expect(g.ofType("aws:eks/accessEntry:AccessEntry").map((e) => e.name)).to.not.include("view-ci-preview");
            }
            for (const g of stacks.all.filter((s) => s.outputs.ciPreviewRoleArn !== null)) {
                const preview = g.one("aws:eks/accessPolicyAssociation:AccessPolicyAssociation", "view-ci-preview");
                expect(preview.inputs.principalArn).to.equal(`arn:aws:iam::${ACCOUNT_ID}:role/eks-platform-preview-${g.stack}`);
                expect(preview.inputs.policyArn).to.equal("arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy");
                expect(preview.inputs.accessScope).to.deep.equal({ type: "cluster" });
            }
        });

        it("limits view/edit entries to their namespaces", async () => {
            const g = await devWithOptionalFeatures();
            const assocs = g.ofType("aws:eks/accessPolicyAssociation:AccessPolicyAssociation");
            const edit = assocs.find((a) => a.name === "edit-developers")!;
            expect(edit.inputs.policyArn).to.equal("arn:aws:eks::aws:cluster-access-policy/AmazonEKSEditPolicy");
            expect(edit.inputs.accessScope).to.deep.equal({ type: "namespace", namespaces: ["dev", "staging"] });
            const view = assocs.find((a) => a.name === "view-auditor")!;
            expect(view.inputs.policyArn).to.equal("arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy");
            expect(view.inputs.principalArn).to.equal(`arn:aws:iam::${ACCOUNT_ID}:user/auditor`);
            expect(view.inputs.accessScope).to.deep.equal({ type: "namespace", namespaces: ["production"] });
        });

        it("warns when the identity running `pulumi up` would have no access, and not otherwise", async () => {
            expect(stacks.prod.warnings.join("\n")).to.not.include("clusterAdminArns");
            const g = await prodWithoutCiWithSecrets();
            expect(g.warnings.join("\n")).to.include(`arn:aws:iam::${ACCOUNT_ID}:role/eks-platform-deploy-prod runs this update but is not in eks-platform:clusterAdminArns`);
        });
    });

    describe("managed add-ons", () => {
        const addon = (g: StackGraph, name: string) => g.one("aws:eks/addon:Addon", name);

        it("installs vpc-cni, kube-proxy, eks-pod-identity-agent, coredns and aws-ebs-csi-driver at EKS's default versions", () => {
            expect(stacks.dev.ofType("aws:eks/addon:Addon").map((a) => a.inputs.addonName)).to.have.members([
                "vpc-cni", "kube-proxy", "eks-pod-identity-agent", "coredns", "aws-ebs-csi-driver",
            ]);
            expect(addon(stacks.dev, "kube-proxy").inputs.addonVersion).to.equal("v1.35.0-eksbuild.2");
            for (const a of stacks.dev.ofType("aws:eks/addon:Addon")) {
                expect(a.inputs.addonVersion, a.name).to.match(/^v\d+\.\d+\.\d+-eksbuild\.\d+$/);
                expect(a.inputs).to.include({ resolveConflictsOnCreate: "OVERWRITE", resolveConflictsOnUpdate: "OVERWRITE", clusterName: "eks-dev" });
            }
        });

        it("turns on VPC CNI prefix delegation", () => {
            expect(json(addon(stacks.dev, "vpc-cni").inputs.configurationValues).env).to.include({ ENABLE_PREFIX_DELEGATION: "true" });
            // Without the policy agent NetworkPolicies are stored but never enforced.
            expect(json(addon(stacks.dev, "vpc-cni").inputs.configurationValues).enableNetworkPolicy).to.equal("true");
        });

        it("runs CoreDNS and the EBS CSI controller on the tainted system nodes", () => {
            const toleration = { key: "CriticalAddonsOnly", operator: "Exists", effect: "NoSchedule" };
            const coredns = json(addon(stacks.dev, "coredns").inputs.configurationValues);
            expect(coredns.tolerations).to.deep.include(toleration);
            expect(coredns.nodeSelector).to.deep.equal({ "eks-platform/node-role": "system" });
            expect(json(addon(stacks.dev, "aws-ebs-csi-driver").inputs.configurationValues).controller.tolerations).to.deep.include(toleration);
        });

        it("orders add-ons around the node group: network add-ons and NAT first, deployments after, those gone with the cluster (Auto Mode: none of them, it runs its own)", () => {
            for (const g of stacks.inMode("auto")) {
                expect(g.ofType("aws:eks/addon:Addon").map((a) => a.inputs.addonName).filter((n) => n !== "snapshot-controller")).to.deep.equal([]);
                expect(g.ofType("aws:eks/nodeGroup:NodeGroup")).to.deep.equal([]);
            }
            for (const g of stacks.inMode("karpenter")) {
                const nodeGroup = g.one("aws:eks/nodeGroup:NodeGroup");
                expect(nodeGroup.opts.dependsOn).to.have.members([
                    "aws:eks/addon:Addon::vpc-cni", "aws:eks/addon:Addon::kube-proxy", "aws:eks/addon:Addon::eks-pod-identity-agent",
                    // The private subnets' routes out (the public subnets' go to the internet gateway, which nodes never use).
                    ...g.ofType("aws:ec2/route:Route").filter((r) => r.name.includes("-private-")).map((r) => `${r.type}::${r.name}`),
                ]);
                const ng = key(g, "aws:eks/nodeGroup:NodeGroup", "<c>-system");
                expect(addon(g, "coredns").opts.dependsOn).to.include(ng);
                // DNS and volumes keep serving the controllers through a destroy until the system nodes go.
                for (const a of ["coredns", "aws-ebs-csi-driver"]) expect(addon(g, a).opts.deletedWith).to.equal(key(g, "aws:eks/cluster:Cluster", "<c>"));
                for (const a of ["vpc-cni", "kube-proxy", "eks-pod-identity-agent"]) expect(addon(g, a).opts.deletedWith).to.equal(undefined);
                expect(addon(g, "aws-ebs-csi-driver").opts.dependsOn).to.include(ng)
                    .and.include(key(g, "aws:eks/podIdentityAssociation:PodIdentityAssociation", "<c>-ebs-csi-driver"));
            }
        });

        it("gives the EBS CSI driver its role through a Pod Identity association", () => {
            const assoc = stacks.dev.one("aws:eks/podIdentityAssociation:PodIdentityAssociation", "eks-dev-ebs-csi-driver");
            expect(assoc.inputs).to.include({ clusterName: "eks-dev", namespace: "kube-system", serviceAccount: "ebs-csi-controller-sa" });
            const role = stacks.dev.one("aws:iam/role:Role", "eks-dev-ebs-csi-driver");
            expect(assoc.inputs.roleArn).to.equal(`arn:aws:iam::${ACCOUNT_ID}:role/eks-dev-ebs-csi-driver`);
            const trust = json(role.inputs.assumeRolePolicy).Statement;
            expect(trust).to.have.length(1);
            expect(trust[0].Principal).to.deep.equal({ Service: "pods.eks.amazonaws.com" });
            expect(trust[0].Action).to.deep.equal(["sts:AssumeRole", "sts:TagSession"]);
            expect(trust[0].Condition.StringEquals["aws:SourceAccount"]).to.equal(ACCOUNT_ID);
            expect(trust[0].Condition.ArnLike["aws:SourceArn"]).to.equal(`arn:aws:eks:us-west-2:${ACCOUNT_ID}:cluster/eks-dev`);
            const attached = stacks.dev.one("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "eks-dev-ebs-csi-driver-AmazonEBSCSIDriverPolicy");
            expect(attached.inputs.policyArn).to.equal("arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy");
        });

        it("makes encrypted gp3 the default StorageClass of the mode's EBS CSI driver, deleted with the cluster", () => {
            const provisioner = { karpenter: "ebs.csi.aws.com", auto: "ebs.csi.eks.amazonaws.com" };
            for (const g of stacks.all) {
                const sc = g.one("kubernetes:storage.k8s.io/v1:StorageClass");
                expect(sc.inputs.metadata.annotations).to.deep.equal({ "storageclass.kubernetes.io/is-default-class": "true" });
                expect(sc.inputs).to.include({ provisioner: provisioner[g.outputs.computeMode as "karpenter" | "auto"], volumeBindingMode: "WaitForFirstConsumer", allowVolumeExpansion: true });
                expect(sc.inputs.parameters).to.include({ type: "gp3", encrypted: "true" });
                // Auto Mode's volumes carry the owner tags from the class (the add-on's from extraVolumeTags): CI's boundary scopes by them.
                const tags = Object.entries(sc.inputs.parameters).filter(([k]) => k.startsWith("tagSpecification_")).map(([, v]) => v);
                const { project, environment } = ownerTagsOf(g);
                expect(tags, g.stack).to.have.members(g.outputs.computeMode === "auto" ? [`project=${project}`, `environment=${environment}`] : []);
                expect(sc.opts.deletedWith).to.equal(key(g, "aws:eks/cluster:Cluster", "<c>"));
                expect(sc.provider).to.match(new RegExp(`pulumi:providers:kubernetes::eks-${g.stack}-k8s::`));
            }
        });
    });

    describe("system node group", () => {
        const nodeGroup = (g: StackGraph) => g.one("aws:eks/nodeGroup:NodeGroup");

        it("is managed, AL2023, in the private subnets: prod x86_64 on-demand, dev Graviton spot", () => {
            expect(nodeGroup(stacks.dev).inputs).to.include({ amiType: "AL2023_ARM_64_STANDARD", capacityType: "SPOT" });
            expect(nodeGroup(stacks.prod).inputs).to.include({ amiType: "AL2023_x86_64_STANDARD", capacityType: "ON_DEMAND" });
            // Auto Mode has none: its built-in system pool runs the controllers (tests/auto-mode.test.ts).
            for (const g of stacks.inMode("auto")) expect(g.ofType("aws:eks/nodeGroup:NodeGroup")).to.deep.equal([]);
            for (const g of stacks.inMode("karpenter")) {
                expect(nodeGroup(g).inputs).to.include({ clusterName: `eks-${g.stack}` });
                expect(nodeGroup(g).inputs.subnetIds).to.deep.equal(g.outputs.privateSubnetIds);
            }
        });

        it("is sized and typed from config: 2x t4g.medium in dev, 3x m6i.large in prod", () => {
            expect(nodeGroup(stacks.dev).inputs.instanceTypes).to.deep.equal(["t4g.medium"]);
            expect(nodeGroup(stacks.dev).inputs.scalingConfig).to.deep.equal({ minSize: 2, desiredSize: 2, maxSize: 3 });
            expect(nodeGroup(stacks.prod).inputs.instanceTypes).to.deep.equal(["m6i.large"]);
            expect(nodeGroup(stacks.prod).inputs.scalingConfig).to.deep.equal({ minSize: 2, desiredSize: 3, maxSize: 4 });
        });

        it("follows the cluster's Kubernetes version, so changing kubernetesVersion rolls the nodes to the new AMI after the control plane", () => {
            for (const g of stacks.inMode("karpenter")) expect(nodeGroup(g).inputs.version, g.stack).to.be.a("string").and.equal(g.one("aws:eks/cluster:Cluster").inputs.version);
        });

        it("is tainted CriticalAddonsOnly and labelled as system", () => {
            for (const g of stacks.inMode("karpenter")) {
                expect(nodeGroup(g).inputs.taints).to.deep.equal([{ key: "CriticalAddonsOnly", value: "true", effect: "NO_SCHEDULE" }]);
                expect(nodeGroup(g).inputs.labels).to.deep.equal({ "eks-platform/node-role": "system" });
            }
        });

        it("launches with IMDSv2 required at hop limit 1, an encrypted gp3 root volume and no public IP", () => {
            // Auto Mode launches no template of ours: it enforces IMDSv2, hop limit 1 and encrypted volumes itself.
            for (const g of stacks.inMode("auto")) expect(g.ofType("aws:ec2/launchTemplate:LaunchTemplate")).to.deep.equal([]);
            for (const g of stacks.inMode("karpenter")) {
                const lt = g.one("aws:ec2/launchTemplate:LaunchTemplate");
                expect(lt.inputs.metadataOptions).to.include({ httpTokens: "required", httpPutResponseHopLimit: 1, httpEndpoint: "enabled" });
                expect(lt.inputs.blockDeviceMappings[0].ebs).to.include({ volumeType: "gp3", encrypted: "true" });
                expect(lt.inputs.networkInterfaces).to.equal(undefined);
                expect(nodeGroup(g).inputs.launchTemplate.id.startsWith(`${lt.name}-`)).to.equal(true);
                expect(nodeGroup(g).inputs.launchTemplate.version).to.equal("1");
                expect(nodeGroup(g).inputs.remoteAccess).to.equal(undefined);
            }
        });

        it("runs as a role with only the worker, CNI and ECR pull-only policies (IPv6: no CNI policy, the CNI has its own role)", () => {
            for (const g of stacks.inMode("karpenter")) {
                const role = g.one("aws:iam/role:Role", `eks-${g.stack}-system-node`);
                expect(json(role.inputs.assumeRolePolicy).Statement[0].Principal).to.deep.equal({ Service: "ec2.amazonaws.com" });
                const attached = g.ofType("aws:iam/rolePolicyAttachment:RolePolicyAttachment").filter((a) => a.name.startsWith(`eks-${g.stack}-system-node-`));
                const ipv6 = g.outputs.ipFamily === "ipv6";
                expect(attached.map((a) => a.inputs.policyArn), g.stack).to.have.members([
                    "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy",
                    ...(ipv6 ? [] : ["arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy"]),
                    "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPullOnly",
                ]);
            }
            expect(stacks.all.map((g) => g.outputs.ipFamily)).to.include.members(["ipv4", "ipv6"]);
        });
    });

    describe("Kubernetes provider and outputs", () => {
        it("makes the provider wait for the cluster and the admin access entries only, not for nodes or CoreDNS", () => {
            for (const g of stacks.all) {
                const provider = g.one("pulumi:providers:kubernetes");
                expect(provider.opts.dependsOn.every((d) => d.startsWith("aws:eks/accessPolicyAssociation:AccessPolicyAssociation::admin-"))).to.equal(true);
                expect(provider.engine.dependencies).to.include(key(g, "aws:eks/cluster:Cluster", "<c>"));
                expect(provider.engine.dependencies.filter((d) => /nodeGroup|Addon/.test(d))).to.deep.equal([]);
            }
            for (const g of stacks.inMode("auto")) {
                // The operators' admin access, and CI's deploy role's where the stack has CI access.
                const ci = g.outputs.ciDeployRoleArn === null ? [] : ["aws:eks/accessPolicyAssociation:AccessPolicyAssociation::admin-ci-deploy"];
                expect(g.one("pulumi:providers:kubernetes").opts.dependsOn, g.stack).to.have.members(["aws:eks/accessPolicyAssociation:AccessPolicyAssociation::admin-platform-operators", ...ci]);
            }
            expect(stacks.prod.one("pulumi:providers:kubernetes").opts.dependsOn).to.include(
                "aws:eks/accessPolicyAssociation:AccessPolicyAssociation::admin-ci-deploy",
            );
        });

        it("exports a secret kubeconfig that authenticates with aws eks get-token", async () => {
            expect(await pulumi.isSecret(stacks.dev.rawOutputs.kubeconfig)).to.equal(true);
            const config = json(stacks.dev.outputs.kubeconfig);
            expect(config.clusters[0].cluster.server).to.equal(stacks.dev.outputs.clusterEndpoint).and.match(/^https:\/\/.*\.eks\.amazonaws\.com$/);
            expect(config.clusters[0].cluster["certificate-authority-data"]).to.equal(stacks.dev.outputs.clusterCertificateAuthority);
            expect(config.users[0].user.exec.command).to.equal("aws");
            expect(config.users[0].user.exec.args).to.deep.equal(["--region", "us-west-2", "eks", "get-token", "--cluster-name", "eks-dev", "--output", "json"]);
        });

        it("exports the cluster name, endpoint and node security group", () => {
            expect(stacks.prod.outputs.clusterName).to.equal("eks-prod");
            expect(stacks.prod.outputs.nodeSecurityGroupId).to.match(/^sg-/);
        });
    });
});

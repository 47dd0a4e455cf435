import { expect } from "chai";
import { CHARTS } from "../components/versions";
import { useStacks } from "./support/use-stacks";
import { parse } from "yaml";
import { StackGraph } from "../tooling/offline/harness";
import { ACCOUNT_ID, RecordedResource } from "../tooling/offline/mocks";
import { allowedActions, normalizePolicy } from "./support/iam-documents";
import { CrdValidator } from "./support/crd";
import { referenceChartVersion, referenceText, referenceYaml, requireReference, unknownValuesPaths } from "./support/reference";

const json = (text: string) => JSON.parse(text);
/** A chart's folder in the reference files (`charts/<name>-<version>`) and its values.yaml. */
const referenceChart = (name: string, version: string) => ({ dir: `charts/${name}-${version}`, values: `charts/${name}-${version}/values.yaml` });
const release = (g: StackGraph, releaseName: string) =>
    g.ofType("kubernetes:helm.sh/v3:Release").find((r) => r.inputs.name === releaseName)!;
const customResources = (g: StackGraph, kind: string) => g.resources.filter((r) => r.type.endsWith(`:${kind}`) && r.type.startsWith("kubernetes:"));

/** CloudFormation's short-form tags, read as plain data. */
const CFN_TAGS = ["!Sub", "!GetAtt", "!Ref"].map((tag) => ({ tag, resolve: (value: string) => ({ [tag.slice(1)]: value }) }));

describe("Cluster add-ons", () => {
    const stacks = useStacks();

    describe("Karpenter", () => {
        it(`installs chart ${CHARTS.karpenter.version} from the OCI registry, CRDs from karpenter-crd at the same version`, () => {
            const controller = release(stacks.dev, "karpenter");
            expect(controller.inputs).to.include({ chart: "oci://public.ecr.aws/karpenter/karpenter", version: CHARTS.karpenter.version, namespace: "kube-system", skipCrds: true });
            expect(release(stacks.dev, "karpenter-crd").inputs).to.include({ chart: "oci://public.ecr.aws/karpenter/karpenter-crd", version: CHARTS.karpenter.version });
            expect(controller.opts.dependsOn).to.include("kubernetes:helm.sh/v3:Release::eks-dev-karpenter-crd");
        });

        it("points the controller at the cluster and its interruption queue, on the system nodes", () => {
            for (const [g, replicas] of [[stacks.dev, 1], [stacks.prod, 2]] as const) {
                const values = release(g, "karpenter").inputs.values;
                expect(values.settings).to.deep.equal({ clusterName: `eks-${g.stack}`, interruptionQueue: `eks-${g.stack}` });
                expect(values.replicas).to.equal(replicas);
                expect(values.tolerations).to.deep.include({ key: "CriticalAddonsOnly", operator: "Exists", effect: "NoSchedule" });
                expect(values.nodeSelector).to.include({ "eks-platform/node-role": "system" });
                expect(values.controller.resources.requests).to.have.keys("cpu", "memory");
                expect(values.serviceAccount.name).to.equal("karpenter");
            }
        });

        it("binds the controller's role to kube-system/karpenter through Pod Identity", () => {
            const assoc = stacks.dev.one("aws:eks/podIdentityAssociation:PodIdentityAssociation", "eks-dev-karpenter");
            expect(assoc.inputs).to.include({ namespace: "kube-system", serviceAccount: "karpenter", clusterName: "eks-dev" });
            expect(assoc.inputs.roleArn).to.equal(`arn:aws:iam::${ACCOUNT_ID}:role/eks-dev-karpenter`);
        });

        it("gives nodes a role with worker, CNI, ECR pull-only and SSM policies and an EC2_LINUX access entry", () => {
            const attached = stacks.dev.ofType("aws:iam/rolePolicyAttachment:RolePolicyAttachment").filter((a) => a.name.startsWith("eks-dev-karpenter-nodes-"));
            expect(attached.map((a) => a.inputs.policyArn.split("/").pop())).to.have.members([
                "AmazonEKSWorkerNodePolicy", "AmazonEKS_CNI_Policy", "AmazonEC2ContainerRegistryPullOnly", "AmazonSSMManagedInstanceCore",
            ]);
            const entry = stacks.dev.one("aws:eks/accessEntry:AccessEntry", "eks-dev-karpenter-nodes");
            expect(entry.inputs.type).to.equal("EC2_LINUX");
            expect(entry.inputs.principalArn).to.equal(`arn:aws:iam::${ACCOUNT_ID}:role/eks-dev-karpenter-nodes`);
        });

        it("keeps an encrypted 5-minute interruption queue that only the stack's EventBridge rules may send to, over TLS", () => {
            const queue = stacks.dev.one("aws:sqs/queue:Queue");
            expect(queue.inputs).to.include({ name: "eks-dev", messageRetentionSeconds: 300, sqsManagedSseEnabled: true });
            const policy = json(stacks.dev.one("aws:sqs/queuePolicy:QueuePolicy").inputs.policy);
            const allow = policy.Statement.find((s: any) => s.Effect === "Allow");
            expect(allow.Principal.Service).to.have.members(["events.amazonaws.com", "sqs.amazonaws.com"]);
            expect(allow.Action).to.equal("sqs:SendMessage");
            // Only the stack's own interruption rules, in this account.
            const rules = stacks.dev.ofType("aws:cloudwatch/eventRule:EventRule").filter((r) => r.name.startsWith("eks-dev-karpenter-"));
            expect(rules).to.have.length(5);
            expect(allow.Condition.ArnEquals["aws:SourceArn"]).to.have.members(rules.map((r) => `arn:aws:cloudwatch:us-west-2:${ACCOUNT_ID}:${r.name}`));
            expect(allow.Condition.StringEquals).to.deep.equal({ "aws:SourceAccount": ACCOUNT_ID });
            const deny = policy.Statement.find((s: any) => s.Effect === "Deny");
            expect(deny.Condition).to.deep.equal({ Bool: { "aws:SecureTransport": "false" } });
        });

        it("describes the default EC2NodeClass: discovery tags, node role, IMDSv2 hop 1, encrypted gp3, AMI per stack", () => {
            for (const [g, alias] of [[stacks.dev, "al2023@latest"], [stacks.prod, "al2023@v20260818"]] as const) {
                const nodeClass = customResources(g, "EC2NodeClass")[0].inputs;
                expect(nodeClass.apiVersion).to.equal("karpenter.k8s.aws/v1");
                expect(nodeClass.spec.amiSelectorTerms).to.deep.equal([{ alias }]);
                const discovery = [{ tags: { "karpenter.sh/discovery": `eks-${g.stack}` } }];
                expect(nodeClass.spec.subnetSelectorTerms).to.deep.equal(discovery);
                expect(nodeClass.spec.securityGroupSelectorTerms).to.deep.equal(discovery);
                expect(nodeClass.spec.role).to.equal(`eks-${g.stack}-karpenter-nodes`);
                expect(nodeClass.spec.metadataOptions).to.include({ httpTokens: "required", httpPutResponseHopLimit: 1 });
                expect(nodeClass.spec.blockDeviceMappings[0].ebs).to.include({ volumeType: "gp3", encrypted: true });
                expect(nodeClass.spec.tags).to.include({ environment: g.stack, project: "eks-platform", "managed-by": "pulumi" });
            }
        });

        it("selects with the EC2NodeClass only subnets that carry the discovery tag, i.e. the private ones", () => {
            const specs = stacks.dev.one("awsx:ec2:Vpc").inputs.subnetSpecs;
            const tagged = specs.filter((s: any) => s.tags?.["karpenter.sh/discovery"] === "eks-dev");
            expect(tagged.map((s: any) => s.type)).to.deep.equal(["Private"]);
        });

        it("builds the NodePool from config: dev t4g/m7g/c7g (Graviton) spot, prod m5/m6i/c5 spot + on-demand", () => {
            const requirement = (g: StackGraph, key: string) =>
                customResources(g, "NodePool")[0].inputs.spec.template.spec.requirements.find((r: any) => r.key === key).values;
            expect(requirement(stacks.dev, "karpenter.k8s.aws/instance-family")).to.deep.equal(["t4g", "m7g", "c7g"]);
            expect(requirement(stacks.dev, "karpenter.sh/capacity-type")).to.deep.equal(["spot"]);
            expect(requirement(stacks.prod, "karpenter.k8s.aws/instance-family")).to.deep.equal(["m5", "m6i", "c5"]);
            expect(requirement(stacks.prod, "karpenter.sh/capacity-type")).to.deep.equal(["spot", "on-demand"]);
            expect(requirement(stacks.prod, "kubernetes.io/arch")).to.deep.equal(["amd64"]);
            for (const [g, after] of [[stacks.dev, "1m"], [stacks.prod, "5m"]] as const) {
                const spec = customResources(g, "NodePool")[0].inputs.spec;
                expect(spec.limits).to.deep.equal({ cpu: "20" });
                expect(spec.disruption).to.deep.equal({ consolidationPolicy: "WhenEmptyOrUnderutilized", consolidateAfter: after });
                expect(spec.template.spec.expireAfter).to.equal("720h");
                expect(spec.template.spec.nodeClassRef).to.deep.equal({ group: "karpenter.k8s.aws", kind: "EC2NodeClass", name: "default" });
            }
        });

        it("tears down in order: NodePool, then EC2NodeClass, then the controller, then its IAM and queue", () => {
            // Auto Mode's order (NodePool, then NodeClass, then its role's access entry) is tests/auto-mode.test.ts's.
            for (const g of stacks.inMode("auto")) expect(g.ofType("kubernetes:helm.sh/v3:Release").map((r) => r.inputs.name)).to.not.include.members(["karpenter"]);
            for (const g of stacks.inMode("karpenter")) {
                const pool = customResources(g, "NodePool")[0];
                const nodeClass = customResources(g, "EC2NodeClass")[0];
                const controller = `kubernetes:helm.sh/v3:Release::eks-${g.stack}-karpenter`;
                expect(pool.opts.dependsOn).to.include(controller).and.include(`${nodeClass.type}::${nodeClass.name}`);
                expect(nodeClass.opts.dependsOn).to.include(controller);
                const releaseDeps = release(g, "karpenter").opts.dependsOn;
                expect(releaseDeps).to.include(`aws:sqs/queue:Queue::eks-${g.stack}-karpenter`);
                expect(releaseDeps).to.include(`aws:sqs/queuePolicy:QueuePolicy::eks-${g.stack}-karpenter`);
                expect(releaseDeps).to.include(`aws:eks/podIdentityAssociation:PodIdentityAssociation::eks-${g.stack}-karpenter`);
                expect(releaseDeps).to.include(`aws:eks/accessEntry:AccessEntry::eks-${g.stack}-karpenter-nodes`);
                for (const label of ["node-lifecycle", "iam-integration", "eks-integration", "interruption", "zonal-shift", "resource-discovery"]) {
                    expect(releaseDeps).to.include(`aws:iam/rolePolicyAttachment:RolePolicyAttachment::eks-${g.stack}-karpenter-${label}`);
                }
                expect(pool.inputs).to.not.have.property("deletedWith");
                expect(pool.opts.deletedWith).to.equal(undefined);
            }
        });
    });

    describe("AWS Load Balancer Controller", () => {
        it("sets clusterName, region and vpcId explicitly and runs 2 replicas on the system nodes (none in Auto Mode)", () => {
            for (const g of stacks.inMode("auto")) expect(release(g, "aws-load-balancer-controller")).to.equal(undefined);
            for (const g of stacks.inMode("karpenter")) {
                const r = release(g, "aws-load-balancer-controller");
                expect(r.inputs).to.include({ chart: "aws-load-balancer-controller", version: CHARTS.awsLoadBalancerController.version, namespace: "kube-system" });
                expect(r.inputs.repositoryOpts).to.deep.equal({ repo: "https://aws.github.io/eks-charts" });
                expect(r.inputs.values).to.include({ clusterName: `eks-${g.stack}`, region: "us-west-2", replicaCount: 2 });
                expect(r.inputs.values.vpcId).to.equal(g.outputs.vpcId);
                expect(r.inputs.values.tolerations).to.deep.include({ key: "CriticalAddonsOnly", operator: "Exists", effect: "NoSchedule" });
            }
        });

        it("uses the service account the Pod Identity association names", () => {
            const r = release(stacks.dev, "aws-load-balancer-controller");
            const assoc = stacks.dev.one("aws:eks/podIdentityAssociation:PodIdentityAssociation", "eks-dev-aws-load-balancer-controller");
            expect(assoc.inputs).to.include({ namespace: r.inputs.namespace, serviceAccount: r.inputs.values.serviceAccount.name });
            expect(r.opts.dependsOn).to.include("aws:eks/podIdentityAssociation:PodIdentityAssociation::eks-dev-aws-load-balancer-controller");
        });
    });

    describe("External Secrets", () => {
        it(`installs chart ${CHARTS.externalSecrets.version} with its CRDs into its own namespace`, () => {
            const r = release(stacks.dev, "external-secrets");
            expect(r.inputs).to.include({ chart: "external-secrets", version: CHARTS.externalSecrets.version, namespace: "external-secrets" });
            expect(r.inputs.values.installCRDs).to.equal(true);
            expect(release(stacks.prod, "external-secrets").inputs.values).to.include({ replicaCount: 2, leaderElect: true });
        });

        it("reads only the environment's secret prefixes; ListSecrets is the only `*`", () => {
            for (const [g, prefixes] of [[stacks.dev, ["dev", "staging"]], [stacks.prod, ["production"]]] as const) {
                const policy = json(g.one("aws:iam/policy:Policy", `eks-${g.stack}-external-secrets-read-secrets`).inputs.policy);
                const read = policy.Statement.find((s: any) => s.Sid === "ReadEnvironmentSecrets");
                expect(read.Action).to.have.members(["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"]);
                expect(read.Resource).to.deep.equal(prefixes.map((p) => `arn:aws:secretsmanager:us-west-2:${ACCOUNT_ID}:secret:${p}/*`));
                const wildcard = policy.Statement.filter((s: any) => [].concat(s.Resource).includes("*" as never));
                expect(wildcard.map((s: any) => s.Action)).to.deep.equal([["secretsmanager:ListSecrets"]]);
                const decrypt = policy.Statement.find((s: any) => s.Sid === "DecryptEnvironmentSecrets");
                expect(decrypt.Resource).to.equal(`arn:aws:kms:us-west-2:${ACCOUNT_ID}:key/eks-${g.stack}-app-secrets`);
                expect(decrypt.Condition.StringEquals["kms:ViaService"]).to.equal("secretsmanager.us-west-2.amazonaws.com");
            }
        });

        it("creates the aws-secrets-manager ClusterSecretStore (v1) for the region after the chart, serving only the environments", () => {
            const store = customResources(stacks.dev, "ClusterSecretStore")[0];
            expect(store.inputs.apiVersion).to.equal("external-secrets.io/v1");
            expect(store.inputs.metadata.name).to.equal("aws-secrets-manager");
            expect(store.inputs.spec.provider.aws).to.deep.equal({ service: "SecretsManager", region: "us-west-2" });
            // Only the GitOps environments' namespaces may read through it.
            expect(store.inputs.spec.conditions).to.deep.equal([{ namespaces: ["dev", "staging"] }]);
            expect(customResources(stacks.prod, "ClusterSecretStore")[0].inputs.spec.conditions).to.deep.equal([{ namespaces: ["production"] }]);
            expect(store.opts.dependsOn).to.include("kubernetes:helm.sh/v3:Release::eks-dev-external-secrets");
        });
    });

    describe("against the upstream reference files", () => {
        before(function () {
            requireReference(this);
        });

        const CHART_DIRS: Record<string, { dir: string; values: string }> = {
            karpenter: { dir: "karpenter", values: `karpenter/release-v${CHARTS.karpenter.version}/values.yaml` },
            "aws-load-balancer-controller": { dir: "aws-load-balancer-controller", values: "aws-load-balancer-controller/values.yaml" },
            "external-secrets": { dir: "external-secrets", values: "external-secrets/values.yaml" },
            "metrics-server": referenceChart("metrics-server", CHARTS.metricsServer.version),
            "external-dns": referenceChart("external-dns", CHARTS.externalDns.version),
            "aws-for-fluent-bit": referenceChart("aws-for-fluent-bit", CHARTS.awsForFluentBit.version),
        };

        it("pins each chart to the reference Chart.yaml version", () => {
            for (const [name, { dir }] of Object.entries(CHART_DIRS)) {
                expect(release(stacks.dev, name).inputs.version, name).to.equal(referenceChartVersion(dir));
            }
            expect(release(stacks.dev, "karpenter-crd").inputs.version).to.equal(referenceChartVersion("karpenter"));
        });

        it("sets only values paths that exist in each chart's values.yaml", () => {
            for (const g of stacks.all) {
                // Auto Mode runs Karpenter and the load balancer controller outside the cluster: no release of either.
                const absent = g.outputs.computeMode === "auto" ? ["karpenter", "aws-load-balancer-controller"] : [];
                for (const name of absent) expect(release(g, name), `${g.stack} ${name}`).to.equal(undefined);
                for (const [name, { values }] of Object.entries(CHART_DIRS).filter(([n]) => !absent.includes(n))) {
                    expect(unknownValuesPaths(release(g, name).inputs.values, referenceYaml(values)), `${g.stack} ${name}`).to.deep.equal([]);
                }
            }
        });

        it("would notice a values path the chart does not have", () => {
            expect(unknownValuesPaths({ settings: { clusterNmae: "x" }, replicas: 1 }, referenceYaml(CHART_DIRS.karpenter.values))).to.deep.equal(["settings.clusterNmae"]);
            // A key only main has, not the pinned release:
            expect(unknownValuesPaths({ settings: { awsFeatureGates: { nodeClassCEL: true } } }, referenceYaml(CHART_DIRS.karpenter.values))).to.have.length(1);
        });

        const validators = () => ({
            NodePool: [new CrdValidator(`karpenter/release-v${CHARTS.karpenter.version}/karpenter.sh_nodepools.yaml`), new CrdValidator("karpenter/karpenter.sh_nodepools.yaml")],
            EC2NodeClass: [
                new CrdValidator(`karpenter/release-v${CHARTS.karpenter.version}/karpenter.k8s.aws_ec2nodeclasses.yaml`),
                new CrdValidator("karpenter/karpenter.k8s.aws_ec2nodeclasses.yaml"),
            ],
            ClusterSecretStore: [new CrdValidator("external-secrets/external-secrets.io_clustersecretstores.yaml")],
        });

        it("emits custom resources that validate against the reference CRDs at a served version", () => {
            const all = validators();
            for (const g of stacks.all) {
                // Auto Mode's NodePool is Karpenter's API (the same CRD); its NodeClass is checked in tests/auto-mode.test.ts.
                const auto = g.outputs.computeMode === "auto";
                if (auto) expect(customResources(g, "EC2NodeClass"), g.stack).to.deep.equal([]);
                for (const [kind, checks] of Object.entries(all).filter(([k]) => !(auto && k === "EC2NodeClass"))) {
                    const objects = customResources(g, kind);
                    expect(objects, `${g.stack} ${kind}`).to.have.length(1);
                    for (const check of checks) expect(check.errors(objects[0].inputs), `${g.stack} ${kind}`).to.deep.equal([]);
                }
            }
        });

        it("would reject a misspelt field, a bad enum and an unserved apiVersion", () => {
            const { NodePool, ClusterSecretStore } = validators();
            const pool = customResources(stacks.dev, "NodePool")[0].inputs;
            expect(NodePool[0].errors({ ...pool, spec: { ...pool.spec, disruption: { consolidationPolicy: "Sometimes" } } })).to.not.be.empty;
            expect(NodePool[0].errors({ ...pool, spec: { ...pool.spec, limts: {} } })).to.not.be.empty;
            const store = customResources(stacks.dev, "ClusterSecretStore")[0].inputs;
            expect(ClusterSecretStore[0].errors({ ...store, apiVersion: "external-secrets.io/v1beta1" })[0]).to.include("not served");
        });

        it("would reject what the CRDs' CEL rules forbid: a NodePool requirement on a restricted label or with no values, an EC2NodeClass with no subnets", () => {
            const { NodePool, EC2NodeClass } = validators();
            const pool = customResources(stacks.dev, "NodePool")[0].inputs;
            const withRequirement = (r: object) => ({ ...pool, spec: { ...pool.spec, template: { ...pool.spec.template, spec: { ...pool.spec.template.spec, requirements: [...pool.spec.template.spec.requirements, r] } } } });
            for (const check of NodePool) {
                expect(check.errors(withRequirement({ key: "karpenter.sh/nodepool", operator: "In", values: ["other"] })).join("\n")).to.include('label "karpenter.sh/nodepool" is restricted');
                expect(check.errors(withRequirement({ key: "karpenter.k8s.aws/instance-family", operator: "In", values: [] })).join("\n")).to.include("requirements with operator 'In' must have a value defined");
                expect(check.errors(withRequirement({ key: "karpenter.k8s.aws/instance-cpu", operator: "Gt", values: ["4"] }))).to.deep.equal([]);
            }
            const nodeClass = customResources(stacks.dev, "EC2NodeClass")[0].inputs;
            for (const check of EC2NodeClass) {
                // The API server reports every rule broken: on an empty list `!self.all(...)` fails too.
                expect(check.errors({ ...nodeClass, spec: { ...nodeClass.spec, subnetSelectorTerms: [] } })).to.include(".spec.subnetSelectorTerms: subnetSelectorTerms cannot be empty");
            }
        });

        it("grants Karpenter's controller exactly upstream's six policies, conditions included", () => {
            const cfn = parse(referenceText("karpenter/cloudformation.yaml"), { customTags: CFN_TAGS }) as any;
            for (const g of stacks.inMode("auto")) expect(g.ofType("aws:iam/policy:Policy").filter((p) => p.name.includes("karpenter"))).to.deep.equal([]);
            for (const g of stacks.inMode("karpenter")) {
                const nodeRole = `arn:aws:iam::${ACCOUNT_ID}:role/eks-${g.stack}-karpenter-nodes`;
                const queueArn = `arn:aws:sqs:us-west-2:${ACCOUNT_ID}:eks-${g.stack}`;
                const substitutions: Record<string, string> = {
                    "AWS::Partition": "aws", "AWS::Region": "us-west-2", "AWS::AccountId": ACCOUNT_ID, ClusterName: `eks-${g.stack}`,
                    "KarpenterNodeRole.Arn": nodeRole, "KarpenterInterruptionQueue.Arn": queueArn,
                };
                const upstream = Object.values(cfn.Resources as Record<string, any>)
                    .filter((r) => r.Type === "AWS::IAM::ManagedPolicy")
                    .map((r) => JSON.parse(r.Properties.PolicyDocument.Sub.replace(/\$\{([^}]+)\}/g, (_: string, k: string) => substitutions[k])));
                const ours = g.ofType("aws:iam/policy:Policy").filter((p) => p.name.startsWith(`eks-${g.stack}-karpenter-`)).map((p) => json(p.inputs.policy));
                expect(ours).to.have.length(upstream.length);
                expect(normalizePolicy({ Statement: ours.flatMap((d) => d.Statement) })).to.deep.equal(normalizePolicy({ Statement: upstream.flatMap((d) => d.Statement) }));
                expect(allowedActions({ Statement: ours.flatMap((d) => d.Statement) })).to.include.members(allowedActions({ Statement: upstream.flatMap((d) => d.Statement) }));
            }
        });

        it("routes every upstream EventBridge rule, with the same event pattern, to the queue", () => {
            const cfn = parse(referenceText("karpenter/cloudformation.yaml"), { customTags: CFN_TAGS }) as any;
            const upstream = Object.values(cfn.Resources as Record<string, any>).filter((r) => r.Type === "AWS::Events::Rule").map((r) => r.Properties.EventPattern);
            const rules = stacks.dev.ofType("aws:cloudwatch/eventRule:EventRule").map((r) => json(r.inputs.eventPattern));
            expect(rules).to.have.deep.members(upstream);
            const targets = stacks.dev.ofType("aws:cloudwatch/eventTarget:EventTarget");
            expect(targets).to.have.length(upstream.length);
            for (const t of targets) expect(t.inputs.arn).to.equal(`arn:aws:sqs:us-west-2:${ACCOUNT_ID}:eks-dev`);
        });

        it("matches the queue settings of upstream's template", () => {
            const cfn = parse(referenceText("karpenter/cloudformation.yaml"), { customTags: CFN_TAGS }) as any;
            const q = cfn.Resources.KarpenterInterruptionQueue.Properties;
            expect(stacks.dev.one("aws:sqs/queue:Queue").inputs).to.include({ messageRetentionSeconds: q.MessageRetentionPeriod, sqsManagedSseEnabled: q.SqsManagedSseEnabled });
        });

        it("grants the Load Balancer Controller upstream's policy: all 80 actions, with its conditions", () => {
            const upstream = JSON.parse(referenceText("aws-load-balancer-controller/iam_policy.json"));
            for (const g of stacks.inMode("auto")) expect(g.ofType("aws:iam/policy:Policy").filter((p) => p.name.includes("load-balancer"))).to.deep.equal([]);
            for (const g of stacks.inMode("karpenter")) {
                const ours = json(g.one("aws:iam/policy:Policy", `eks-${g.stack}-aws-load-balancer-controller-controller`).inputs.policy);
                expect(allowedActions(ours)).to.have.length(80).and.to.include.members(allowedActions(upstream));
                expect(normalizePolicy(ours)).to.deep.equal(normalizePolicy(upstream));
            }
        });
    });
});

export type { RecordedResource };

import { StackValidationPolicy } from "@pulumi/policy";
import { expect } from "chai";
import { POLICY_WAIVERS_TYPE } from "../../components/shared/policy-waivers";
import { KUBERNETES_VERSIONS } from "../../components/versions";
import { policies } from "../../policy/policies";
import { StackGraph } from "../../tooling/offline/harness";
import { RecordedResource } from "../../tooling/offline/mocks";
import { Environment, aws, doc, fixture, record, waivers } from "./policy-fixtures";
import { PolicyRun, policyResources, runPolicy } from "./policy-harness";

// Shared setup of the policy-pack tests (tests/policy/*): builders of hand-made resources, and edits of
// the fixture graphs.

/** The pack's policy named `name`; fails on a name the pack does not have. */
export function policy(name: string): StackValidationPolicy {
    const found = policies.find((p) => p.name === name);
    if (!found) throw new Error(`no policy named ${name}`);
    return found;
}

/** `[resource name, message]` per violation, in report order. */
export const reported = (run: PolicyRun): [string, string][] => run.violations.map((v) => [v.urn?.split("::").pop() ?? "(stack)", v.message]);

/** A real stack's graph as policy resources, optionally edited first. */
export const graphResources = (g: StackGraph, edit: (records: RecordedResource[]) => RecordedResource[] = (r) => r) => policyResources(g.stack, edit(g.resources));
export const withoutWaivers = (records: RecordedResource[]) => records.filter((r) => r.type !== POLICY_WAIVERS_TYPE);
export const withWaivers = (entries: Record<string, string>) => (records: RecordedResource[]) => [...withoutWaivers(records), waivers(entries)];

export const REASON = "compensating control documented in the runbook";
export const BCRYPT_HASH = "$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy";
export const QUEUE_ARN = "arn:aws:sqs:us-west-2:111122223333:q";

export const launchTemplate = (name: string, overrides: Record<string, unknown> = {}) =>
    aws("aws:ec2/launchTemplate:LaunchTemplate", name, {
        metadataOptions: { httpTokens: "required", httpPutResponseHopLimit: 1 },
        blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { encrypted: "true", volumeType: "gp3" } }],
        ...overrides,
    });
export const nodeGroup = (name: string, subnetIds: string[], overrides: Record<string, unknown> = {}) =>
    aws("aws:eks/nodeGroup:NodeGroup", name, { clusterName: "c", subnetIds, ...overrides });
export const subnet = (name: string, inputs: Record<string, unknown>) => aws("aws:ec2/subnet:Subnet", name, inputs);
export const awsxVpc = (inputs: Record<string, unknown>) => record("awsx:ec2:Vpc", "network", inputs, { custom: false });
export const discoveryVpc = awsxVpc({
    subnetSpecs: [
        { type: "Private", name: "private", tags: { "karpenter.sh/discovery": "c", "kubernetes.io/role/internal-elb": "1" } },
        { type: "Public", name: "public", tags: { "kubernetes.io/role/elb": "1", team: "web" } },
    ],
});
export const nodeClass = (name: string, spec: Record<string, unknown> = {}) =>
    record("kubernetes:karpenter.k8s.aws/v1:EC2NodeClass", name, {
        apiVersion: "karpenter.k8s.aws/v1",
        kind: "EC2NodeClass",
        metadata: { name },
        spec: {
            metadataOptions: { httpTokens: "required", httpPutResponseHopLimit: 1 },
            blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { encrypted: true } }],
            subnetSelectorTerms: [{ tags: { "karpenter.sh/discovery": "c" } }],
            ...spec,
        },
    });
export const ec2Trust = doc({ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" });
export const podIdentityStatement = {
    Effect: "Allow",
    Principal: { Service: "pods.eks.amazonaws.com" },
    Action: ["sts:AssumeRole", "sts:TagSession"],
    Condition: { StringEquals: { "aws:SourceAccount": "111122223333" }, ArnLike: { "aws:SourceArn": "arn:aws:eks:us-west-2:111122223333:cluster/c" } },
};
export const role = (name: string, assumeRolePolicy: unknown, extra: Record<string, unknown> = {}) => aws("aws:iam/role:Role", name, { assumeRolePolicy, ...extra });
export const rootAdmin = { Sid: "AccountAdministers", Effect: "Allow", Principal: { AWS: "arn:aws:iam::111122223333:root" }, Action: ["kms:Decrypt"], Resource: "*" };
export const kmsKey = (name: string, overrides: Record<string, unknown> = {}) =>
    aws("aws:kms/key:Key", name, { enableKeyRotation: true, deletionWindowInDays: 30, policy: doc(rootAdmin), ...overrides });
export const tlsDeny = { Sid: "DenyHTTP", Effect: "Deny", Principal: "*", Action: "sqs:*", Resource: QUEUE_ARN, Condition: { Bool: { "aws:SecureTransport": "false" } } };
export const eventsSend = { Effect: "Allow", Principal: { Service: ["events.amazonaws.com", "sqs.amazonaws.com"] }, Action: "sqs:SendMessage", Resource: QUEUE_ARN };
export const queuePolicy = (name: string, ...statements: Record<string, unknown>[]) => aws("aws:sqs/queuePolicy:QueuePolicy", name, { queueUrl: "https://sqs/q", policy: doc(...statements) });
export const repository = (name: string, overrides: Record<string, unknown> = {}) =>
    aws("aws:ecr/repository:Repository", name, {
        name,
        imageTagMutability: "IMMUTABLE",
        imageScanningConfiguration: { scanOnPush: true },
        encryptionConfigurations: [{ encryptionType: "KMS" }],
        ...overrides,
    });
export const securityGroup = (name: string, ingress: Record<string, unknown>[], egress: Record<string, unknown>[] = []) =>
    aws("aws:ec2/securityGroup:SecurityGroup", name, { vpcId: "vpc-1", description: name, ingress, egress });
export const tcp = (port: number, cidr: string, description?: string, toPort = port) =>
    cidr.includes(":")
        ? { protocol: "tcp", fromPort: port, toPort, ipv6CidrBlocks: [cidr], description }
        : { protocol: "tcp", fromPort: port, toPort, cidrBlocks: [cidr], description };
export const logGroup = (name: string, inputs: Record<string, unknown>) => aws("aws:cloudwatch/logGroup:LogGroup", name, inputs);
export const release = (name: string, chart: string, values: Record<string, unknown>) =>
    record("kubernetes:helm.sh/v3:Release", name, { chart, version: "1.0.0", namespace: "platform", values });

export const ACCOUNT = "111122223333";
export const accessAssociation = (name: string, policy: string, accessScope?: Record<string, unknown>) =>
    aws("aws:eks/accessPolicyAssociation:AccessPolicyAssociation", name, {
        clusterName: "c",
        principalArn: `arn:aws:iam::${ACCOUNT}:role/${name}`,
        policyArn: `arn:aws:eks::aws:cluster-access-policy/${policy}`,
        accessScope,
    });
export const managedPolicy = (name: string) => `arn:aws:iam::aws:policy/${name}`;
export const attachment = (name: string, roleName: string, policyArn: string) =>
    aws("aws:iam/rolePolicyAttachment:RolePolicyAttachment", name, { role: roleName, policyArn });
export const iamPolicy = (name: string, ...statements: Record<string, unknown>[]) => aws("aws:iam/policy:Policy", name, { policy: doc(...statements) });
export const ec2 = (resource: string) => `arn:aws:ec2:us-west-2:*:${resource}`;
export const LAUNCHED = ["fleet/*", "instance/*", "volume/*", "network-interface/*", "launch-template/*", "spot-instances-request/*"].map(ec2);
export const ownedBy = (cluster: string, kind: "RequestTag" | "ResourceTag") => ({ StringEquals: { [`aws:${kind}/kubernetes.io/cluster/${cluster}`]: "owned" } });
export const secretArn = (name: string) => `arn:aws:secretsmanager:us-west-2:${ACCOUNT}:secret:${name}`;
export const SECRETS_KEY = `arn:aws:kms:us-west-2:${ACCOUNT}:key/app-secrets`;
export const viaSecretsManager = { StringEquals: { "kms:ViaService": "secretsmanager.us-west-2.amazonaws.com" } };
export const ecrPolicy = (type: "repositoryPolicy:RepositoryPolicy" | "registryPolicy:RegistryPolicy", name: string, inputs: Record<string, unknown>, ...statements: Record<string, unknown>[]) =>
    aws(`aws:ecr/${type}`, name, { ...inputs, policy: doc(...statements) });
export const PULL = ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"];
export const lifecycle = (name: string, repositoryName: string, rules: unknown[] = [{ rulePriority: 1, selection: { tagStatus: "untagged", countType: "sinceImagePushed", countUnit: "days", countNumber: 1 }, action: { type: "expire" } }]) =>
    aws("aws:ecr/lifecyclePolicy:LifecyclePolicy", name, { repository: repositoryName, policy: JSON.stringify({ rules }) });
export const namedAwsxVpc = (name: string, inputs: Record<string, unknown> = {}) => record("awsx:ec2:Vpc", name, { cidrBlock: "10.0.0.0/16", ...inputs }, { custom: false });
export const vpc = (name: string, id: string, parent?: string) => ({ ...aws("aws:ec2/vpc:Vpc", name, { id, cidrBlock: "10.0.0.0/16" }), opts: { dependsOn: [], parent } });
export const flowLog = (name: string, vpcId: string, trafficType = "ALL") =>
    aws("aws:ec2/flowLog:FlowLog", name, { vpcId, trafficType, logDestinationType: "cloud-watch-logs", logDestination: "arn:aws:logs:us-west-2:111122223333:log-group:/aws/vpc/flow-logs/x" });
export const defaultSecurityGroup = (name: string, inputs: Record<string, unknown> = {}) => aws("aws:ec2/defaultSecurityGroup:DefaultSecurityGroup", name, { vpcId: "vpc-1", ...inputs });
/** `1.NN` with NN shifted by `delta` from a supported bound. */
export const minorFrom = (version: string, delta: number) => `1.${Number(version.split(".")[1]) + delta}`;
export const { oldestSupported: OLDEST_K8S, newestSupported: NEWEST_K8S } = KUBERNETES_VERSIONS;
export const NODE_POLICY_LIST = "AmazonEKSWorkerNodePolicy, AmazonEKSWorkerNodeMinimalPolicy, AmazonEKS_CNI_Policy, AmazonEC2ContainerRegistryPullOnly, AmazonEC2ContainerRegistryReadOnly, AmazonSSMManagedInstanceCore";

/** A hand-built stack that a policy must (or, where `expected` is empty, must not) report on. */
export interface FixtureCase {
    policy: string;
    title: string;
    environment?: Environment;
    providerTags?: Record<string, string>;
    resources: RecordedResource[];
    expected: [string, string][];
}

/** Replaces the inputs of one recorded resource. */
export const editInputs = (type: string, name: string, edit: (inputs: Record<string, any>) => Record<string, any>) => (records: RecordedResource[]) =>
    records.map((r) => (r.type === type && r.name === name ? { ...r, inputs: edit({ ...r.inputs }) } : r));
export const drop = (type: string, name: string) => (records: RecordedResource[]) => records.filter((r) => !(r.type === type && r.name === name));
/** Edits every statement of a recorded policy document (JSON text, as the program records it). */
export const editStatements = (name: string, edit: (s: Record<string, any>) => Record<string, any>) =>
    editInputs("aws:iam/policy:Policy", name, (inputs) => {
        const parsed = JSON.parse(inputs.policy);
        return { ...inputs, policy: JSON.stringify({ ...parsed, Statement: parsed.Statement.map(edit) }) };
    });
export const unconditioned = ({ Condition, ...rest }: Record<string, any>) => rest;
/** `[resource, statement Sid]` per violation. */
export const statements = (run: PolicyRun) => reported(run).map(([name, message]) => [name, /statement "([^"]+)"/.exec(message)?.[1] ?? message]);

/** One test per case: the policy reports exactly `expected` on the hand-built stack. */
export function describeFixtureCases(cases: FixtureCase[]): void {
    describe("on bad fixtures", () => {
        for (const c of cases) {
            it(`${c.policy}: ${c.title}`, async () => {
                const run = await runPolicy(policy(c.policy), fixture(c.environment ?? "dev", c.resources, c.providerTags));
                expect(run.error, String(run.error)).to.equal(undefined);
                expect(reported(run)).to.deep.equal(c.expected);
            });
        }
    });
}

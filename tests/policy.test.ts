import { StackValidationPolicy } from "@pulumi/policy";
import { specialSecretSig, specialSigKey, unknownValue } from "@pulumi/pulumi/runtime/rpc";
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { POLICY_WAIVERS_TYPE } from "../components/shared/policy-waivers";
import { KUBERNETES_VERSIONS } from "../components/versions";
import { policies, securityChecks } from "../policy/policies";
import { stackFacts } from "../policy/stack";
import { WAIVERS_TYPE, readWaivers } from "../policy/waivers";
import { StackGraph, stackGraph } from "./support/harness";
import { RecordedResource } from "./support/mocks";
import { projectRoot } from "./support/paths";
import { stackFileConfig } from "./support/stack-files";
import { checklistIds, checklistPath, checklistText } from "./support/policy-checklist";
import { Environment, aws, awsProvider, doc, eksCluster, fixture, record, stackTags, waivers } from "./support/policy-fixtures";
import { PolicyRun, policyResources, runPolicy } from "./support/policy-harness";

function policy(name: string): StackValidationPolicy {
    const found = policies.find((p) => p.name === name);
    if (!found) throw new Error(`no policy named ${name}`);
    return found;
}

/** `[resource name, message]` per violation, in report order. */
const reported = (run: PolicyRun): [string, string][] => run.violations.map((v) => [v.urn?.split("::").pop() ?? "(stack)", v.message]);

/** A real stack's graph as policy resources, optionally edited first. */
const graphResources = (g: StackGraph, edit: (records: RecordedResource[]) => RecordedResource[] = (r) => r) => policyResources(g.stack, edit(g.resources));
const withoutWaivers = (records: RecordedResource[]) => records.filter((r) => r.type !== POLICY_WAIVERS_TYPE);
const withWaivers = (entries: Record<string, string>) => (records: RecordedResource[]) => [...withoutWaivers(records), waivers(entries)];

const REASON = "compensating control documented in the runbook";
const BCRYPT_HASH = "$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy";
const QUEUE_ARN = "arn:aws:sqs:us-west-2:111122223333:q";

const launchTemplate = (name: string, overrides: Record<string, unknown> = {}) =>
    aws("aws:ec2/launchTemplate:LaunchTemplate", name, {
        metadataOptions: { httpTokens: "required", httpPutResponseHopLimit: 1 },
        blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { encrypted: "true", volumeType: "gp3" } }],
        ...overrides,
    });
const nodeGroup = (name: string, subnetIds: string[], overrides: Record<string, unknown> = {}) =>
    aws("aws:eks/nodeGroup:NodeGroup", name, { clusterName: "c", subnetIds, ...overrides });
const subnet = (name: string, inputs: Record<string, unknown>) => aws("aws:ec2/subnet:Subnet", name, inputs);
const awsxVpc = (inputs: Record<string, unknown>) => record("awsx:ec2:Vpc", "network", inputs, { custom: false });
const discoveryVpc = awsxVpc({
    subnetSpecs: [
        { type: "Private", name: "private", tags: { "karpenter.sh/discovery": "c", "kubernetes.io/role/internal-elb": "1" } },
        { type: "Public", name: "public", tags: { "kubernetes.io/role/elb": "1", team: "web" } },
    ],
});
const nodeClass = (name: string, spec: Record<string, unknown> = {}) =>
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
const ec2Trust = doc({ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" });
const podIdentityStatement = {
    Effect: "Allow",
    Principal: { Service: "pods.eks.amazonaws.com" },
    Action: ["sts:AssumeRole", "sts:TagSession"],
    Condition: { StringEquals: { "aws:SourceAccount": "111122223333" }, ArnLike: { "aws:SourceArn": "arn:aws:eks:us-west-2:111122223333:cluster/c" } },
};
const role = (name: string, assumeRolePolicy: unknown, extra: Record<string, unknown> = {}) => aws("aws:iam/role:Role", name, { assumeRolePolicy, ...extra });
const rootAdmin = { Sid: "AccountAdministers", Effect: "Allow", Principal: { AWS: "arn:aws:iam::111122223333:root" }, Action: ["kms:Decrypt"], Resource: "*" };
const kmsKey = (name: string, overrides: Record<string, unknown> = {}) =>
    aws("aws:kms/key:Key", name, { enableKeyRotation: true, deletionWindowInDays: 30, policy: doc(rootAdmin), ...overrides });
const tlsDeny = { Sid: "DenyHTTP", Effect: "Deny", Principal: "*", Action: "sqs:*", Resource: QUEUE_ARN, Condition: { Bool: { "aws:SecureTransport": "false" } } };
const eventsSend = { Effect: "Allow", Principal: { Service: ["events.amazonaws.com", "sqs.amazonaws.com"] }, Action: "sqs:SendMessage", Resource: QUEUE_ARN };
const queuePolicy = (name: string, ...statements: Record<string, unknown>[]) => aws("aws:sqs/queuePolicy:QueuePolicy", name, { queueUrl: "https://sqs/q", policy: doc(...statements) });
const repository = (name: string, overrides: Record<string, unknown> = {}) =>
    aws("aws:ecr/repository:Repository", name, {
        name,
        imageTagMutability: "IMMUTABLE",
        imageScanningConfiguration: { scanOnPush: true },
        encryptionConfigurations: [{ encryptionType: "KMS" }],
        ...overrides,
    });
const securityGroup = (name: string, ingress: Record<string, unknown>[], egress: Record<string, unknown>[] = []) =>
    aws("aws:ec2/securityGroup:SecurityGroup", name, { vpcId: "vpc-1", description: name, ingress, egress });
const tcp = (port: number, cidr: string, description?: string, toPort = port) =>
    cidr.includes(":")
        ? { protocol: "tcp", fromPort: port, toPort, ipv6CidrBlocks: [cidr], description }
        : { protocol: "tcp", fromPort: port, toPort, cidrBlocks: [cidr], description };
const logGroup = (name: string, inputs: Record<string, unknown>) => aws("aws:cloudwatch/logGroup:LogGroup", name, inputs);
const release = (name: string, chart: string, values: Record<string, unknown>) =>
    record("kubernetes:helm.sh/v3:Release", name, { chart, version: "1.0.0", namespace: "platform", values });

const ACCOUNT = "111122223333";
const accessAssociation = (name: string, policy: string, accessScope?: Record<string, unknown>) =>
    aws("aws:eks/accessPolicyAssociation:AccessPolicyAssociation", name, {
        clusterName: "c",
        principalArn: `arn:aws:iam::${ACCOUNT}:role/${name}`,
        policyArn: `arn:aws:eks::aws:cluster-access-policy/${policy}`,
        accessScope,
    });
const managedPolicy = (name: string) => `arn:aws:iam::aws:policy/${name}`;
const attachment = (name: string, roleName: string, policyArn: string) =>
    aws("aws:iam/rolePolicyAttachment:RolePolicyAttachment", name, { role: roleName, policyArn });
const iamPolicy = (name: string, ...statements: Record<string, unknown>[]) => aws("aws:iam/policy:Policy", name, { policy: doc(...statements) });
const ec2 = (resource: string) => `arn:aws:ec2:us-west-2:*:${resource}`;
const LAUNCHED = ["fleet/*", "instance/*", "volume/*", "network-interface/*", "launch-template/*", "spot-instances-request/*"].map(ec2);
const ownedBy = (cluster: string, kind: "RequestTag" | "ResourceTag") => ({ StringEquals: { [`aws:${kind}/kubernetes.io/cluster/${cluster}`]: "owned" } });
const secretArn = (name: string) => `arn:aws:secretsmanager:us-west-2:${ACCOUNT}:secret:${name}`;
const SECRETS_KEY = `arn:aws:kms:us-west-2:${ACCOUNT}:key/app-secrets`;
const viaSecretsManager = { StringEquals: { "kms:ViaService": "secretsmanager.us-west-2.amazonaws.com" } };
const ecrPolicy = (type: "repositoryPolicy:RepositoryPolicy" | "registryPolicy:RegistryPolicy", name: string, inputs: Record<string, unknown>, ...statements: Record<string, unknown>[]) =>
    aws(`aws:ecr/${type}`, name, { ...inputs, policy: doc(...statements) });
const PULL = ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"];
const lifecycle = (name: string, repositoryName: string, rules: unknown[] = [{ rulePriority: 1, selection: { tagStatus: "untagged", countType: "sinceImagePushed", countUnit: "days", countNumber: 1 }, action: { type: "expire" } }]) =>
    aws("aws:ecr/lifecyclePolicy:LifecyclePolicy", name, { repository: repositoryName, policy: JSON.stringify({ rules }) });
const namedAwsxVpc = (name: string, inputs: Record<string, unknown> = {}) => record("awsx:ec2:Vpc", name, { cidrBlock: "10.0.0.0/16", ...inputs }, { custom: false });
const vpc = (name: string, id: string, parent?: string) => ({ ...aws("aws:ec2/vpc:Vpc", name, { id, cidrBlock: "10.0.0.0/16" }), opts: { dependsOn: [], parent } });
const flowLog = (name: string, vpcId: string, trafficType = "ALL") =>
    aws("aws:ec2/flowLog:FlowLog", name, { vpcId, trafficType, logDestinationType: "cloud-watch-logs", logDestination: "arn:aws:logs:us-west-2:111122223333:log-group:/aws/vpc/flow-logs/x" });
const defaultSecurityGroup = (name: string, inputs: Record<string, unknown> = {}) => aws("aws:ec2/defaultSecurityGroup:DefaultSecurityGroup", name, { vpcId: "vpc-1", ...inputs });
/** `1.NN` with NN shifted by `delta` from a supported bound. */
const minorFrom = (version: string, delta: number) => `1.${Number(version.split(".")[1]) + delta}`;
const { oldestSupported: OLDEST_K8S, newestSupported: NEWEST_K8S } = KUBERNETES_VERSIONS;
const NODE_POLICY_LIST = "AmazonEKSWorkerNodePolicy, AmazonEKS_CNI_Policy, AmazonEC2ContainerRegistryPullOnly, AmazonEC2ContainerRegistryReadOnly, AmazonSSMManagedInstanceCore";

/** A hand-built stack that a policy must (or, where `expected` is empty, must not) report on. */
interface FixtureCase {
    policy: string;
    title: string;
    environment?: Environment;
    providerTags?: Record<string, string>;
    resources: RecordedResource[];
    expected: [string, string][];
}

const cases: FixtureCase[] = [
    // EKS control plane
    {
        policy: "eks-secrets-encryption",
        title: "a cluster without envelope encryption",
        resources: [eksCluster("plain", { encryptionConfig: undefined })],
        expected: [["plain", 'CKV_AWS_58: EKS cluster plain does not encrypt Kubernetes secrets with a customer-managed KMS key (set encryptionConfig { resources: ["secrets"], provider.keyArn })']],
    },
    {
        policy: "eks-secrets-encryption",
        title: "a cluster encrypting with the AWS-managed key",
        resources: [eksCluster("aws-key", { encryptionConfig: { provider: { keyArn: "arn:aws:kms:us-west-2:111122223333:alias/aws/eks" }, resources: ["secrets"] } })],
        expected: [["aws-key", 'CKV_AWS_58: EKS cluster aws-key does not encrypt Kubernetes secrets with a customer-managed KMS key (set encryptionConfig { resources: ["secrets"], provider.keyArn })']],
    },
    {
        policy: "eks-control-plane-logging",
        title: "a cluster logging only api and audit",
        resources: [eksCluster("quiet", { enabledClusterLogTypes: ["api", "audit"] })],
        expected: [["quiet", "CKV_AWS_37: EKS cluster quiet does not enable control-plane log types authenticator, controllerManager, scheduler"]],
    },
    {
        policy: "eks-api-authentication-mode",
        title: "a cluster that still reads the aws-auth ConfigMap",
        resources: [eksCluster("mixed", { accessConfig: { authenticationMode: "API_AND_CONFIG_MAP", bootstrapClusterCreatorAdminPermissions: false } })],
        expected: [["mixed", 'CIS 4.1.7: EKS cluster mixed uses authenticationMode API_AND_CONFIG_MAP; it must be "API"']],
    },
    {
        policy: "eks-api-authentication-mode",
        title: "a cluster without accessConfig (EKS defaults to CONFIG_MAP)",
        resources: [eksCluster("legacy", { accessConfig: undefined })],
        expected: [["legacy", 'CIS 4.1.7: EKS cluster legacy uses authenticationMode CONFIG_MAP (the default); it must be "API"']],
    },
    {
        policy: "eks-public-endpoint-restricted",
        title: "a public endpoint open to the world over IPv4 and IPv6",
        resources: [
            eksCluster("open", {
                vpcConfig: { subnetIds: ["subnet-private-1"], endpointPrivateAccess: true, endpointPublicAccess: true, publicAccessCidrs: ["203.0.113.0/24", "0.0.0.0/0", "::/0"] },
            }),
        ],
        expected: [["open", "CKV_AWS_38: EKS cluster open opens its public endpoint to 0.0.0.0/0, ::/0"]],
    },
    {
        policy: "eks-public-endpoint-restricted",
        title: "a public endpoint by default, with no CIDRs",
        resources: [eksCluster("defaulted", { vpcConfig: { subnetIds: ["subnet-private-1"], endpointPrivateAccess: true } })],
        expected: [["defaulted", "CKV_AWS_38: EKS cluster defaulted has a public endpoint without publicAccessCidrs, so EKS opens it to 0.0.0.0/0"]],
    },
    {
        policy: "eks-public-endpoint-restricted",
        title: "a private-only endpoint (AWS still reports 0.0.0.0/0) and one open to a known range",
        resources: [
            eksCluster("private", { vpcConfig: { subnetIds: ["subnet-private-1"], endpointPrivateAccess: true, endpointPublicAccess: false, publicAccessCidrs: ["0.0.0.0/0"] } }),
            eksCluster("office", { vpcConfig: { subnetIds: ["subnet-private-1"], endpointPrivateAccess: true, endpointPublicAccess: true, publicAccessCidrs: ["203.0.113.0/24"] } }),
        ],
        expected: [],
    },
    {
        policy: "eks-private-endpoint",
        title: "a cluster without the private endpoint",
        resources: [eksCluster("public-only", { vpcConfig: { subnetIds: ["subnet-private-1"], endpointPrivateAccess: false, endpointPublicAccess: true, publicAccessCidrs: ["203.0.113.0/24"] } })],
        expected: [["public-only", "CKV_AWS_39: EKS cluster public-only has no private endpoint (vpcConfig.endpointPrivateAccess must be true)"]],
    },
    {
        policy: "eks-no-creator-admin-in-prod",
        title: "prod clusters that bootstrap the creator as admin, explicitly or by EKS's default",
        environment: "prod",
        resources: [
            eksCluster("creator", { accessConfig: { authenticationMode: "API", bootstrapClusterCreatorAdminPermissions: true } }),
            eksCluster("implicit", { accessConfig: { authenticationMode: "API" } }),
        ],
        expected: [
            ["creator", "BP iam: prod EKS cluster creator makes its creator cluster-admin (accessConfig.bootstrapClusterCreatorAdminPermissions must be false)"],
            ["implicit", "BP iam: prod EKS cluster implicit makes its creator cluster-admin (accessConfig.bootstrapClusterCreatorAdminPermissions must be false)"],
        ],
    },
    {
        policy: "eks-no-creator-admin-in-prod",
        title: "a dev cluster that bootstraps its creator (allowed outside prod)",
        resources: [eksCluster("creator", { accessConfig: { authenticationMode: "API", bootstrapClusterCreatorAdminPermissions: true } })],
        expected: [],
    },
    {
        policy: "eks-supported-version",
        title: "clusters on a retired, a not yet supported, an unpinned and a malformed version",
        resources: [
            eksCluster("retired", { version: minorFrom(OLDEST_K8S, -1) }),
            eksCluster("future", { version: minorFrom(NEWEST_K8S, 1) }),
            eksCluster("unpinned", { version: undefined }),
            eksCluster("patch", { version: `${KUBERNETES_VERSIONS.default}.2` }),
        ],
        expected: [
            ["retired", `CKV_AWS_339: EKS cluster retired runs Kubernetes ${minorFrom(OLDEST_K8S, -1)}; supported versions are ${OLDEST_K8S} to ${NEWEST_K8S}`],
            ["future", `CKV_AWS_339: EKS cluster future runs Kubernetes ${minorFrom(NEWEST_K8S, 1)}; supported versions are ${OLDEST_K8S} to ${NEWEST_K8S}`],
            ["unpinned", `CKV_AWS_339: EKS cluster unpinned sets no version, so EKS picks one at creation and nothing keeps it within ${OLDEST_K8S}-${NEWEST_K8S}`],
            ["patch", `CKV_AWS_339: EKS cluster patch runs version "${KUBERNETES_VERSIONS.default}.2", which is not of the form 1.NN; supported versions are ${OLDEST_K8S} to ${NEWEST_K8S}`],
        ],
    },
    {
        policy: "eks-supported-version",
        title: "clusters on the oldest and the newest supported version",
        environment: "prod",
        resources: [eksCluster("oldest", { version: OLDEST_K8S }), eksCluster("newest", { version: NEWEST_K8S })],
        expected: [],
    },
    // EKS access
    {
        policy: "eks-access-scope",
        title: "view, edit and admin policies cluster-wide, and an association without a scope",
        resources: [
            accessAssociation("viewers", "AmazonEKSViewPolicy", { type: "cluster" }),
            accessAssociation("editors", "AmazonEKSEditPolicy", { type: "cluster" }),
            accessAssociation("ns-admins", "AmazonEKSAdminPolicy", { type: "cluster" }),
            accessAssociation("unscoped", "AmazonEKSClusterAdminPolicy"),
        ],
        expected: [
            ["viewers", `CIS 4.1.1: access policy association viewers grants AmazonEKSViewPolicy cluster-wide to arn:aws:iam::${ACCOUNT}:role/viewers; only AmazonEKSClusterAdminPolicy may be cluster-scoped, other access must be limited to namespaces`],
            ["editors", `CIS 4.1.1: access policy association editors grants AmazonEKSEditPolicy cluster-wide to arn:aws:iam::${ACCOUNT}:role/editors; only AmazonEKSClusterAdminPolicy may be cluster-scoped, other access must be limited to namespaces`],
            ["ns-admins", `CIS 4.1.1: access policy association ns-admins grants AmazonEKSAdminPolicy cluster-wide to arn:aws:iam::${ACCOUNT}:role/ns-admins; only AmazonEKSClusterAdminPolicy may be cluster-scoped, other access must be limited to namespaces`],
            ["unscoped", `CIS 4.1.1: access policy association unscoped grants AmazonEKSClusterAdminPolicy with access scope unset to arn:aws:iam::${ACCOUNT}:role/unscoped; only AmazonEKSClusterAdminPolicy may be cluster-scoped, other access must be limited to namespaces`],
        ],
    },
    {
        policy: "eks-access-scope",
        title: "cluster-admin cluster-wide for a named admin, every other policy in namespaces",
        resources: [
            accessAssociation("platform-admin", "AmazonEKSClusterAdminPolicy", { type: "cluster" }),
            accessAssociation("developers", "AmazonEKSEditPolicy", { type: "namespace", namespaces: ["dev", "staging"] }),
            accessAssociation("team-admin", "AmazonEKSAdminPolicy", { type: "namespace", namespaces: ["team"] }),
        ],
        expected: [],
    },
    // Node groups
    {
        policy: "node-group-private-subnets",
        title: "a node group reaching outside its cluster's (private) subnets",
        resources: [eksCluster("c"), nodeGroup("strays", ["subnet-private-1", "subnet-public-1"])],
        expected: [["strays", "CIS 5.4.3: node group strays uses subnets not shown to be private: subnet-public-1 (compared with the subnets of EKS cluster c and the VPC's subnets)"]],
    },
    {
        policy: "node-group-private-subnets",
        title: "a node group in a subnet the graph marks public, even though the cluster uses it",
        resources: [
            eksCluster("c"),
            subnet("public-ip", { id: "subnet-private-1", vpcId: "vpc-1", mapPublicIpOnLaunch: true }),
            subnet("elb-role", { id: "subnet-private-2", vpcId: "vpc-1", tags: { "kubernetes.io/role/elb": "1" } }),
            nodeGroup("on-public", ["subnet-private-1", "subnet-private-2"]),
        ],
        expected: [["on-public", "CIS 5.4.3: node group on-public uses subnets not shown to be private: subnet-private-1, subnet-private-2 (compared with the subnets of EKS cluster c and the VPC's subnets)"]],
    },
    {
        policy: "node-group-private-subnets",
        title: "a node group of a cluster outside the stack, in subnets nothing shows private",
        resources: [nodeGroup("orphan", ["subnet-x"], { clusterName: "elsewhere" })],
        expected: [["orphan", "CIS 5.4.3: node group orphan uses subnets not shown to be private: subnet-x (compared with no EKS cluster named elsewhere in the stack and the VPC's subnets)"]],
    },
    {
        policy: "node-group-private-subnets",
        title: "a node group without subnets",
        resources: [eksCluster("c"), nodeGroup("nowhere", [])],
        expected: [["nowhere", "CIS 5.4.3: node group nowhere lists no subnetIds"]],
    },
    {
        policy: "node-group-private-subnets",
        title: "node groups in subnets an awsx VPC lists as private, or a private Subnet resource",
        resources: [
            awsxVpc({ privateSubnetIds: ["subnet-x"], publicSubnetIds: ["subnet-y"] }),
            subnet("private-z", { id: "subnet-z", vpcId: "vpc-1", mapPublicIpOnLaunch: false, tags: { "kubernetes.io/role/internal-elb": "1" } }),
            nodeGroup("listed", ["subnet-x", "subnet-z"], { clusterName: "elsewhere" }),
        ],
        expected: [],
    },
    {
        policy: "node-group-no-remote-access",
        title: "a node group with SSH remote access",
        resources: [eksCluster("c"), nodeGroup("ssh", ["subnet-private-1"], { remoteAccess: { ec2SshKey: "ops" } })],
        expected: [["ssh", "CKV_AWS_100: node group ssh enables remoteAccess (SSH); use SSM instead"]],
    },
    // Node roles
    {
        policy: "node-role-policies",
        title: "node roles with broader managed policies, a customer policy named like a node policy and inline policies",
        resources: [
            role("nodes", ec2Trust),
            attachment("nodes-worker", "nodes", managedPolicy("AmazonEKSWorkerNodePolicy")),
            attachment("nodes-s3", "nodes", managedPolicy("AmazonS3FullAccess")),
            attachment("nodes-fake-cni", "nodes", `arn:aws:iam::${ACCOUNT}:policy/AmazonEKS_CNI_Policy`),
            aws("aws:iam/rolePolicy:RolePolicy", "nodes-extra", { role: "nodes", policy: doc({ Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::b/*" }) }),
            role("workers", ec2Trust, {
                name: "eks-workers",
                managedPolicyArns: [managedPolicy("AmazonEKSWorkerNodePolicy"), managedPolicy("AmazonEC2ContainerRegistryPowerUser")],
                inlinePolicies: [{ name: "debug", policy: doc({ Effect: "Allow", Action: "ec2:DescribeInstances", Resource: "*" }) }],
            }),
            aws("aws:iam/policyAttachment:PolicyAttachment", "shared-ssm", { roles: ["eks-workers", "other"], policyArn: managedPolicy("AmazonSSMFullAccess") }),
        ],
        expected: [
            ["nodes", `CIS 5.1.3: node role nodes has arn:aws:iam::aws:policy/AmazonS3FullAccess attached (RolePolicyAttachment nodes-s3); a node role may hold only ${NODE_POLICY_LIST}`],
            ["nodes", `CIS 5.1.3: node role nodes has arn:aws:iam::${ACCOUNT}:policy/AmazonEKS_CNI_Policy attached (RolePolicyAttachment nodes-fake-cni); a node role may hold only ${NODE_POLICY_LIST}`],
            ["nodes", "CIS 5.1.3: node role nodes has an inline policy (RolePolicy nodes-extra); node permissions come only from the AWS-managed node policies"],
            ["workers", `CIS 5.1.3: node role workers has arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPowerUser attached (managedPolicyArns); a node role may hold only ${NODE_POLICY_LIST}`],
            ["workers", `CIS 5.1.3: node role workers has arn:aws:iam::aws:policy/AmazonSSMFullAccess attached (PolicyAttachment shared-ssm); a node role may hold only ${NODE_POLICY_LIST}`],
            ["workers", "CIS 5.1.3: node role workers has an inline policy (inlinePolicies[debug]); node permissions come only from the AWS-managed node policies"],
        ],
    },
    {
        policy: "node-role-policies",
        title: "a node role with exactly the node policies (ECR by its older name), beside a controller role with others",
        resources: [
            role("nodes", ec2Trust),
            ...["AmazonEKSWorkerNodePolicy", "AmazonEKS_CNI_Policy", "AmazonEC2ContainerRegistryReadOnly", "AmazonSSMManagedInstanceCore"].map((p) => attachment(`nodes-${p}`, "nodes", managedPolicy(p))),
            role("controller", doc(podIdentityStatement)),
            attachment("controller-s3", "controller", managedPolicy("AmazonS3FullAccess")),
            aws("aws:iam/rolePolicy:RolePolicy", "controller-inline", { role: "controller", policy: doc({ Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::b/*" }) }),
        ],
        expected: [],
    },
    // Launch templates
    {
        policy: "launch-template-imdsv2",
        title: "launch templates without metadataOptions or with optional tokens",
        resources: [launchTemplate("bare", { metadataOptions: undefined }), launchTemplate("v1", { metadataOptions: { httpTokens: "optional", httpPutResponseHopLimit: 1 } })],
        expected: [
            ["bare", 'CKV_AWS_79: launch template bare allows IMDSv1 (metadataOptions.httpTokens is unset; it must be "required")'],
            ["v1", 'CKV_AWS_79: launch template v1 allows IMDSv1 (metadataOptions.httpTokens is optional; it must be "required")'],
        ],
    },
    {
        policy: "launch-template-hop-limit",
        title: "a launch template letting pods reach IMDS (hop limit 2)",
        resources: [launchTemplate("two-hops", { metadataOptions: { httpTokens: "required", httpPutResponseHopLimit: 2 } })],
        expected: [["two-hops", "CKV_AWS_341: launch template two-hops has httpPutResponseHopLimit 2; it must be 1"]],
    },
    {
        policy: "launch-template-no-public-ip",
        title: "a launch template associating a public IP",
        resources: [
            launchTemplate("public", { networkInterfaces: [{ deviceIndex: 0, associatePublicIpAddress: "true" }] }),
            launchTemplate("private", { networkInterfaces: [{ deviceIndex: 0, associatePublicIpAddress: "false" }] }),
        ],
        expected: [["public", "CKV_AWS_88: launch template public associates a public IP address with its network interfaces"]],
    },
    {
        policy: "launch-template-encrypted-volumes",
        title: "launch templates with unencrypted or unmapped volumes",
        resources: [
            launchTemplate("plain-disks", { blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { encrypted: "false" } }, { deviceName: "/dev/xvdb", ebs: { volumeSize: 10 } }] }),
            launchTemplate("ami-disks", { blockDeviceMappings: undefined }),
        ],
        expected: [
            ["plain-disks", "PC launchtemplate: launch template plain-disks has unencrypted EBS volumes: /dev/xvda, /dev/xvdb"],
            ["ami-disks", "PC launchtemplate: launch template ami-disks has no blockDeviceMappings, so its root volume is not known to be encrypted"],
        ],
    },
    {
        policy: "launch-template-encrypted-volumes",
        title: "an encrypted root volume beside an instance-store mapping",
        resources: [launchTemplate("with-ephemeral", { blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { encrypted: "true" } }, { deviceName: "/dev/sdb", virtualName: "ephemeral0" }] })],
        expected: [],
    },
    // Karpenter
    {
        policy: "karpenter-node-class",
        title: "a node class with IMDSv1, two hops, a plain volume and a selector matching the public subnets",
        resources: [
            discoveryVpc,
            nodeClass("loose", {
                metadataOptions: { httpTokens: "optional", httpPutResponseHopLimit: 2 },
                blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { encrypted: false } }],
                subnetSelectorTerms: [{ tags: { team: "*" } }],
            }),
        ],
        expected: [
            ["loose", 'Karpenter: EC2NodeClass loose does not set metadataOptions.httpTokens "required"'],
            ["loose", "Karpenter: EC2NodeClass loose does not set metadataOptions.httpPutResponseHopLimit 1"],
            ["loose", "Karpenter: EC2NodeClass loose does not encrypt every block device (blockDeviceMappings[].ebs.encrypted true)"],
            ["loose", 'Karpenter: EC2NodeClass loose subnet selector tags {"team":"*"} matches public subnets: network subnet spec public'],
        ],
    },
    {
        policy: "karpenter-node-class",
        title: "a node class whose selector matches no subnet the stack knows",
        resources: [discoveryVpc, nodeClass("stray", { subnetSelectorTerms: [{ tags: { "karpenter.sh/discovery": "other" } }] })],
        expected: [["stray", 'Karpenter: EC2NodeClass stray subnet selector tags {"karpenter.sh/discovery":"other"} matches no subnet the stack shows private']],
    },
    {
        policy: "karpenter-node-class",
        title: "a node class selecting a Subnet resource that maps public IPs",
        resources: [
            subnet("public-a", { id: "subnet-a", vpcId: "vpc-1", mapPublicIpOnLaunch: true, tags: { "karpenter.sh/discovery": "c" } }),
            nodeClass("by-tag"),
        ],
        expected: [["by-tag", 'Karpenter: EC2NodeClass by-tag subnet selector tags {"karpenter.sh/discovery":"c"} matches public subnets: subnet public-a']],
    },
    {
        policy: "karpenter-node-class",
        title: "a node class selecting the private subnets by discovery tag",
        resources: [discoveryVpc, nodeClass("default")],
        expected: [],
    },
    // IAM
    {
        policy: "iam-no-admin-actions",
        title: "a policy allowing everything on everything",
        resources: [aws("aws:iam/policy:Policy", "admin", { policy: doc({ Effect: "Allow", Action: "*", Resource: "*" }) })],
        expected: [["admin", 'CKV_AWS_62: Policy admin.policy statement #1 allows Action "*" on Resource "*" (full administrator)']],
    },
    {
        policy: "iam-no-admin-actions",
        title: "an inline policy allowing every action on one bucket",
        resources: [aws("aws:iam/rolePolicy:RolePolicy", "star", { role: "r", policy: doc({ Sid: "Everything", Effect: "Allow", Action: ["s3:GetObject", "*"], Resource: "arn:aws:s3:::b/*" }) })],
        expected: [["star", 'CKV_AWS_63: RolePolicy star.policy statement "Everything" allows Action "*"']],
    },
    {
        policy: "iam-no-admin-actions",
        title: "a policy allowing IAM:* (action names are case-insensitive)",
        resources: [aws("aws:iam/policy:Policy", "iam-admin", { policy: doc({ Effect: "Allow", Action: "IAM:*", Resource: "*" }) })],
        expected: [["iam-admin", "CKV2_AWS_40: Policy iam-admin.policy statement #1 allows iam:* (full IAM)"]],
    },
    {
        policy: "iam-no-admin-actions",
        title: "a role's inline policy using NotAction, even in a Deny",
        resources: [role("inline", ec2Trust, { inlinePolicies: [{ name: "deny-most", policy: doc({ Effect: "Deny", NotAction: "s3:GetObject", Resource: "*" }) }] })],
        expected: [["inline", "CKV_AWS_63: Role inline.inlinePolicies[deny-most] statement #1 uses NotAction (it grants or denies everything not listed)"]],
    },
    {
        policy: "iam-no-admin-actions",
        title: "AdministratorAccess attached to a role",
        resources: [aws("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "admin-attach", { role: "r", policyArn: "arn:aws:iam::aws:policy/AdministratorAccess" })],
        expected: [["admin-attach", "CKV_AWS_274: RolePolicyAttachment admin-attach attaches AdministratorAccess"]],
    },
    {
        policy: "iam-no-admin-actions",
        title: "a policy that is not JSON",
        resources: [aws("aws:iam/policy:Policy", "broken", { policy: "{not json" })],
        expected: [["broken", "CKV_AWS_63: Policy broken.policy is not valid JSON, so its actions cannot be verified"]],
    },
    {
        policy: "iam-no-admin-actions",
        title: "a broad Deny and a service-wide key-policy grant (neither is Action \"*\" nor iam:*)",
        resources: [queuePolicy("q", eventsSend, tlsDeny), kmsKey("k", { policy: doc({ ...rootAdmin, Action: "kms:*" }) })],
        expected: [],
    },
    {
        policy: "iam-role-trust",
        title: "a role anyone may assume",
        resources: [role("anyone", doc({ Effect: "Allow", Principal: "*", Action: "sts:AssumeRole" }))],
        expected: [["anyone", "CKV_AWS_60: role anyone trust statement #1 lets any principal assume the role"]],
    },
    {
        policy: "iam-role-trust",
        title: "a role trusting whole accounts by id and by root",
        resources: [
            role(
                "accounts",
                doc({
                    Sid: "Partner",
                    Effect: "Allow",
                    Principal: { AWS: ["123456789012", "arn:aws:iam::210987654321:root", "arn:aws:iam::111122223333:role/deploy"] },
                    Action: "sts:AssumeRole",
                }),
            ),
        ],
        expected: [["accounts", 'CKV_AWS_61: role accounts trust statement "Partner" trusts whole accounts: 123456789012, arn:aws:iam::210987654321:root']],
    },
    {
        policy: "iam-role-trust",
        title: "a role without a trust policy",
        resources: [role("untrusted", undefined)],
        expected: [["untrusted", "CKV_AWS_60: role untrusted trust policy is missing, so who may assume it cannot be verified"]],
    },
    {
        policy: "iam-role-trust",
        title: "GitHub OIDC and a named role as trusted principals",
        resources: [
            role(
                "ci",
                doc(
                    {
                        Effect: "Allow",
                        Principal: { Federated: "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com" },
                        Action: "sts:AssumeRoleWithWebIdentity",
                        Condition: { StringEquals: { "token.actions.githubusercontent.com:sub": "repo:o/r:ref:refs/heads/main" } },
                    },
                    { Effect: "Allow", Principal: { AWS: "arn:aws:iam::111122223333:role/admin" }, Action: "sts:AssumeRole" },
                ),
            ),
        ],
        expected: [],
    },
    {
        policy: "iam-pod-identity-trust",
        title: "a Pod Identity role also trusted by EC2",
        resources: [role("shared", doc({ ...podIdentityStatement, Principal: { Service: ["pods.eks.amazonaws.com", "ec2.amazonaws.com"] } }))],
        expected: [["shared", "BP pod identity: Pod Identity role shared trust statement #1 must trust only pods.eks.amazonaws.com, not ec2.amazonaws.com"]],
    },
    {
        policy: "iam-pod-identity-trust",
        title: "a Pod Identity role without sts:TagSession",
        resources: [role("no-tag-session", doc({ ...podIdentityStatement, Action: "sts:AssumeRole" }))],
        expected: [["no-tag-session", "BP pod identity: Pod Identity role no-tag-session trust statement #1 allows sts:AssumeRole; it must allow exactly sts:AssumeRole and sts:TagSession"]],
    },
    {
        policy: "iam-pod-identity-trust",
        title: "a Pod Identity role any account's pods could assume",
        resources: [role("any-account", doc({ ...podIdentityStatement, Condition: undefined }))],
        expected: [["any-account", "BP pod identity: Pod Identity role any-account trust statement #1 has no aws:SourceAccount condition"]],
    },
    {
        policy: "iam-pod-identity-trust",
        title: "a Pod Identity role with a second statement for people",
        resources: [role("and-humans", doc(podIdentityStatement, { Sid: "Humans", Effect: "Allow", Principal: { AWS: "arn:aws:iam::111122223333:role/admin" }, Action: "sts:AssumeRole" }))],
        expected: [
            ["and-humans", 'BP pod identity: Pod Identity role and-humans trust statement "Humans" must trust only pods.eks.amazonaws.com, not arn:aws:iam::111122223333:role/admin'],
            ["and-humans", 'BP pod identity: Pod Identity role and-humans trust statement "Humans" allows sts:AssumeRole; it must allow exactly sts:AssumeRole and sts:TagSession'],
            ["and-humans", 'BP pod identity: Pod Identity role and-humans trust statement "Humans" has no aws:SourceAccount condition'],
        ],
    },
    {
        policy: "iam-pod-identity-trust",
        title: "a proper Pod Identity role beside a node role",
        resources: [role("controller", doc(podIdentityStatement)), role("nodes", ec2Trust)],
        expected: [],
    },
    // Karpenter controller permissions
    {
        policy: "karpenter-controller-scoping",
        title: "EC2 writes on nodes without this cluster's tag condition, and PassRole to any service or any role",
        resources: [
            eksCluster("c"),
            iamPolicy(
                "loose-controller",
                { Sid: "Launch", Effect: "Allow", Action: ["ec2:RunInstances", "ec2:CreateFleet", "ec2:CreateLaunchTemplate"], Resource: LAUNCHED },
                { Sid: "OtherCluster", Effect: "Allow", Action: ["ec2:TerminateInstances", "ec2:DeleteLaunchTemplate"], Resource: [ec2("instance/*"), ec2("launch-template/*")], Condition: ownedBy("other", "ResourceTag") },
                { Sid: "TagIfExists", Effect: "Allow", Action: "ec2:CreateTags", Resource: ec2("instance/*"), Condition: { StringEqualsIfExists: { "aws:RequestTag/kubernetes.io/cluster/c": "owned" } } },
                { Sid: "AllEc2", Effect: "Allow", Action: "ec2:*", Resource: "*" },
                { Sid: "PassAnyRole", Effect: "Allow", Action: "iam:PassRole", Resource: "*" },
                { Sid: "PassToAnyService", Effect: "Allow", Action: "iam:PassRole", Resource: `arn:aws:iam::${ACCOUNT}:role/nodes`, Condition: { StringLike: { "iam:PassedToService": "*" } } },
            ),
            aws("aws:iam/rolePolicy:RolePolicy", "inline-launch", { role: "controller", policy: doc({ Effect: "Allow", Action: "ec2:RunInstances", Resource: ec2("instance/*") }) }),
        ],
        expected: [
            ["loose-controller", 'Karpenter: Policy loose-controller.policy statement "Launch" allows ec2:RunInstances, ec2:CreateFleet, ec2:CreateLaunchTemplate on fleet, instance, volume, network-interface, launch-template, spot-instances-request resources without an aws:RequestTag or aws:ResourceTag condition on kubernetes.io/cluster/c'],
            ["loose-controller", 'Karpenter: Policy loose-controller.policy statement "OtherCluster" allows ec2:TerminateInstances, ec2:DeleteLaunchTemplate on instance, launch-template resources without an aws:RequestTag or aws:ResourceTag condition on kubernetes.io/cluster/c (it names kubernetes.io/cluster/other, not this stack\'s cluster)'],
            ["loose-controller", 'Karpenter: Policy loose-controller.policy statement "TagIfExists" allows ec2:CreateTags on instance resources without an aws:RequestTag or aws:ResourceTag condition on kubernetes.io/cluster/c'],
            ["loose-controller", 'Karpenter: Policy loose-controller.policy statement "AllEc2" allows ec2:RunInstances, ec2:CreateFleet, ec2:CreateLaunchTemplate, ec2:TerminateInstances, ec2:DeleteLaunchTemplate, ec2:CreateTags on instance, launch-template, fleet, volume, network-interface, spot-instances-request resources without an aws:RequestTag or aws:ResourceTag condition on kubernetes.io/cluster/c'],
            ["loose-controller", 'Karpenter: Policy loose-controller.policy statement "PassAnyRole" allows iam:PassRole without an iam:PassedToService condition naming the services'],
            ["loose-controller", 'Karpenter: Policy loose-controller.policy statement "PassAnyRole" allows iam:PassRole on every role; name the role(s) it may pass'],
            ["loose-controller", 'Karpenter: Policy loose-controller.policy statement "PassToAnyService" allows iam:PassRole without an iam:PassedToService condition naming the services'],
            ["inline-launch", "Karpenter: RolePolicy inline-launch.policy statement #1 allows ec2:RunInstances on instance resources without an aws:RequestTag or aws:ResourceTag condition on kubernetes.io/cluster/c"],
        ],
    },
    {
        policy: "karpenter-controller-scoping",
        title: "upstream's statements, the node role passed to EC2, CI passing roles to named services, LBC tagging security groups",
        resources: [
            eksCluster("c"),
            iamPolicy(
                "node-lifecycle",
                {
                    Sid: "AllowScopedEC2InstanceAccessActions",
                    Effect: "Allow",
                    Resource: ["arn:aws:ec2:us-west-2::image/*", "arn:aws:ec2:us-west-2::snapshot/*", ...["security-group/*", "subnet/*", "capacity-reservation/*", "placement-group/*"].map(ec2)],
                    Action: ["ec2:RunInstances", "ec2:CreateFleet"],
                },
                {
                    Sid: "AllowScopedEC2InstanceActionsWithTags",
                    Effect: "Allow",
                    Resource: LAUNCHED,
                    Action: ["ec2:RunInstances", "ec2:CreateFleet", "ec2:CreateLaunchTemplate"],
                    Condition: { ...ownedBy("c", "RequestTag"), StringLike: { "aws:RequestTag/karpenter.sh/nodepool": "*" } },
                },
                { Sid: "AllowScopedDeletion", Effect: "Allow", Resource: [ec2("instance/*"), ec2("launch-template/*")], Action: ["ec2:TerminateInstances", "ec2:DeleteLaunchTemplate"], Condition: ownedBy("c", "ResourceTag") },
                { Sid: "TagOwnedInstances", Effect: "Allow", Resource: ec2("instance/*"), Action: "ec2:CreateTags", Condition: { Null: { "aws:ResourceTag/kubernetes.io/cluster/c": "false" } } },
                { Sid: "NeverEverywhere", Effect: "Deny", Action: "ec2:*", Resource: "*" },
            ),
            iamPolicy("pass-node-role", { Effect: "Allow", Action: "iam:PassRole", Resource: `arn:aws:iam::${ACCOUNT}:role/nodes`, Condition: { StringEquals: { "iam:PassedToService": "ec2.amazonaws.com" } } }),
            iamPolicy("ci-pass", {
                Effect: "Allow",
                Action: "iam:PassRole",
                Resource: `arn:aws:iam::${ACCOUNT}:role/*`,
                Condition: { StringEquals: { "iam:PassedToService": ["eks.amazonaws.com", "pods.eks.amazonaws.com", "vpc-flow-logs.amazonaws.com"] } },
            }),
            iamPolicy("lbc-tags", { Effect: "Allow", Action: ["ec2:CreateTags"], Resource: "arn:aws:ec2:*:*:security-group/*", Condition: { Null: { "aws:RequestTag/elbv2.k8s.aws/cluster": "false" } } }),
        ],
        expected: [],
    },
    // Secrets Manager readers (External Secrets)
    {
        policy: "external-secrets-scoping",
        title: "reading every secret or loose prefixes, and decrypting with any key or an alias without kms:ViaService",
        resources: [
            iamPolicy(
                "greedy-reader",
                { Sid: "AllSecrets", Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: [secretArn("*"), "*"] },
                { Sid: "LoosePrefixes", Effect: "Allow", Action: ["secretsmanager:DescribeSecret"], Resource: [secretArn("dev*"), secretArn("*/db"), secretArn("*/*"), secretArn("dev/*")] },
                { Sid: "AnyKey", Effect: "Allow", Action: "kms:Decrypt", Resource: "*" },
            ),
            role("reader", doc(podIdentityStatement), {
                inlinePolicies: [
                    {
                        name: "read",
                        policy: doc(
                            { Effect: "Allow", Action: "secretsmanager:*", Resource: secretArn("production/*") },
                            { Effect: "Allow", Action: "kms:*", Resource: `arn:aws:kms:us-west-2:${ACCOUNT}:alias/secrets`, Condition: viaSecretsManager },
                        ),
                    },
                ],
            }),
        ],
        expected: [
            ["greedy-reader", `ESO: Policy greedy-reader.policy statement "AllSecrets" allows secretsmanager:GetSecretValue on ${secretArn("*")}, *; only secret ARNs under a prefix (secret:<prefix>/*) are allowed`],
            ["greedy-reader", `ESO: Policy greedy-reader.policy statement "LoosePrefixes" allows secretsmanager:DescribeSecret on ${secretArn("dev*")}, ${secretArn("*/db")}, ${secretArn("*/*")}; only secret ARNs under a prefix (secret:<prefix>/*) are allowed`],
            ["greedy-reader", `ESO: Policy greedy-reader.policy statement "AnyKey" allows kms:Decrypt on *; only the secrets' key ARN (key/<id>) is allowed`],
            ["greedy-reader", 'ESO: Policy greedy-reader.policy statement "AnyKey" allows kms:Decrypt without a kms:ViaService condition (decrypt only through Secrets Manager)'],
            ["reader", `ESO: Role reader.inlinePolicies[read] statement #2 allows kms:Decrypt on arn:aws:kms:us-west-2:${ACCOUNT}:alias/secrets; only the secrets' key ARN (key/<id>) is allowed`],
        ],
    },
    {
        policy: "external-secrets-scoping",
        title: "prefix-scoped reads with the secrets key through Secrets Manager, and a key grant in a policy that reads no secrets",
        resources: [
            iamPolicy(
                "eso",
                { Effect: "Allow", Action: ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"], Resource: [secretArn("dev/*"), secretArn("staging/*")] },
                { Effect: "Allow", Action: "secretsmanager:ListSecrets", Resource: "*" },
                { Effect: "Allow", Action: "kms:Decrypt", Resource: SECRETS_KEY, Condition: viaSecretsManager },
            ),
            aws("aws:iam/rolePolicy:RolePolicy", "control-plane-key", { role: "cluster", policy: doc({ Effect: "Allow", Action: ["kms:Encrypt", "kms:Decrypt"], Resource: "*" }) }),
        ],
        expected: [],
    },
    // KMS
    {
        policy: "kms-key-rotation",
        title: "a key that never rotates",
        resources: [kmsKey("static", { enableKeyRotation: false })],
        expected: [["static", "CKV_AWS_7: KMS key static does not rotate (enableKeyRotation must be true)"]],
    },
    {
        policy: "kms-key-policy",
        title: "a key on AWS's default policy, and one open to everyone",
        resources: [
            kmsKey("default-policy", { policy: undefined }),
            kmsKey("public", { policy: doc(rootAdmin, { Effect: "Allow", Principal: { AWS: "*" }, Action: "kms:Decrypt", Resource: "*" }) }),
        ],
        expected: [
            ["default-policy", "CKV2_AWS_64: KMS key default-policy has no explicit key policy"],
            ["public", 'CKV_AWS_33: KMS key public policy statement #2 allows principal "*" without a condition'],
        ],
    },
    {
        policy: "kms-key-policy",
        title: "principal \"*\" limited by a condition",
        resources: [kmsKey("callers", { policy: doc(rootAdmin, { Effect: "Allow", Principal: "*", Action: "kms:Decrypt", Resource: "*", Condition: { StringEquals: { "kms:CallerAccount": "111122223333" } } }) })],
        expected: [],
    },
    {
        policy: "kms-key-enabled",
        title: "a disabled key that skipped the lockout check",
        resources: [kmsKey("off", { isEnabled: false, bypassPolicyLockoutSafetyCheck: true })],
        expected: [
            ["off", "CKV_AWS_227: KMS key off is disabled (isEnabled false)"],
            ["off", "CKV_AWS_227: KMS key off bypasses the policy-lockout safety check"],
        ],
    },
    // SQS
    {
        policy: "sqs-encryption",
        title: "an unencrypted queue beside one with a KMS key",
        resources: [aws("aws:sqs/queue:Queue", "plain", { name: "plain" }), aws("aws:sqs/queue:Queue", "kms", { name: "kms", kmsMasterKeyId: "alias/queues" })],
        expected: [["plain", "CKV_AWS_27: SQS queue plain is not encrypted (set sqsManagedSseEnabled true or kmsMasterKeyId)"]],
    },
    {
        policy: "sqs-queue-policy",
        title: "a queue anyone may send to",
        resources: [queuePolicy("public-send", { ...eventsSend, Principal: "*" }, tlsDeny)],
        expected: [["public-send", "CKV_AWS_168: queue policy public-send statement #1 allows *; only events.amazonaws.com and sqs.amazonaws.com may send"]],
    },
    {
        policy: "sqs-queue-policy",
        title: "EventBridge allowed every queue action",
        resources: [queuePolicy("all-actions", { ...eventsSend, Action: ["sqs:SendMessage", "sqs:*"] }, tlsDeny)],
        expected: [["all-actions", "CKV_AWS_168: queue policy all-actions statement #1 allows sqs:* besides sqs:SendMessage"]],
    },
    {
        policy: "sqs-queue-policy",
        title: "a queue policy without the TLS-only deny",
        resources: [queuePolicy("plaintext", eventsSend)],
        expected: [["plaintext", 'CKV_AWS_72: queue policy plaintext has no statement denying sqs:* to "*" when aws:SecureTransport is false']],
    },
    // ECR
    {
        policy: "ecr-scan-on-push",
        title: "a repository that never scans",
        resources: [repository("unscanned", { imageScanningConfiguration: { scanOnPush: false } })],
        expected: [["unscanned", "CKV_AWS_163: ECR repository unscanned does not scan images on push"]],
    },
    {
        policy: "ecr-immutable-tags",
        title: "named mutable tags in prod",
        environment: "prod",
        resources: [repository("app", { imageTagMutability: "IMMUTABLE_WITH_EXCLUSION", imageTagMutabilityExclusionFilters: [{ filter: "latest", filterType: "WILDCARD" }] })],
        expected: [["app", "CKV_AWS_51: ECR repository app has imageTagMutability IMMUTABLE_WITH_EXCLUSION; prod allows IMMUTABLE"]],
    },
    {
        policy: "ecr-immutable-tags",
        title: "mutable tags in dev, beside named mutable tags (allowed in dev)",
        resources: [
            repository("mutable", { imageTagMutability: "MUTABLE" }),
            repository("latest-mutable", { imageTagMutability: "IMMUTABLE_WITH_EXCLUSION", imageTagMutabilityExclusionFilters: [{ filter: "latest", filterType: "WILDCARD" }] }),
        ],
        expected: [["mutable", "CKV_AWS_51: ECR repository mutable has imageTagMutability MUTABLE; this stack allows IMMUTABLE or IMMUTABLE_WITH_EXCLUSION"]],
    },
    {
        policy: "ecr-kms-encryption",
        title: "a repository on AES256",
        resources: [repository("aes", { encryptionConfigurations: [{ encryptionType: "AES256" }] })],
        expected: [["aes", "CKV_AWS_136: ECR repository aes has encryptionType AES256; it must be KMS"]],
    },
    {
        policy: "ecr-not-public",
        title: "a public repository of the stack, a public policy on another repository and a public registry policy",
        resources: [
            repository("app"),
            ecrPolicy("repositoryPolicy:RepositoryPolicy", "app-public", { repository: "app" }, { Sid: "PublicPull", Effect: "Allow", Principal: "*", Action: PULL }),
            ecrPolicy("repositoryPolicy:RepositoryPolicy", "elsewhere", { repository: "other-team/base" }, { Effect: "Allow", Principal: { AWS: "*" }, Action: "ecr:*" }),
            ecrPolicy("registryPolicy:RegistryPolicy", "registry", {}, { Sid: "Replicate", Effect: "Allow", Principal: "*", Action: ["ecr:ReplicateImage"], Resource: "*" }),
        ],
        expected: [
            ["app", 'CKV_AWS_32: ECR repository app policy (RepositoryPolicy app-public) statement "PublicPull" allows principal "*" without a condition (public pull/push)'],
            ["elsewhere", 'CKV_AWS_32: ECR repository policy elsewhere (repository other-team/base) statement #1 allows principal "*" without a condition (public pull/push)'],
            ["registry", 'CKV_AWS_32: ECR registry policy registry statement "Replicate" allows principal "*" without a condition (public pull/push)'],
        ],
    },
    {
        policy: "ecr-not-public",
        title: "pulls by a named role and by anyone in the organisation",
        resources: [
            repository("app"),
            ecrPolicy(
                "repositoryPolicy:RepositoryPolicy",
                "app-pull",
                { repository: "app" },
                { Effect: "Allow", Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/ci` }, Action: PULL },
                { Effect: "Allow", Principal: "*", Action: PULL, Condition: { StringEquals: { "aws:PrincipalOrgID": "o-abc123" } } },
            ),
        ],
        expected: [],
    },
    {
        policy: "ecr-lifecycle-policy",
        title: "repositories without a lifecycle policy, with one naming the logical name, and with one without rules",
        resources: [
            repository("kept"),
            lifecycle("kept-lifecycle", "kept"),
            repository("forgotten"),
            repository("team-api", { name: "team/api" }),
            lifecycle("team-api-lifecycle", "team-api"),
            repository("empty"),
            lifecycle("empty-lifecycle", "empty", []),
        ],
        expected: [
            ["forgotten", "BP image: ECR repository forgotten has no lifecycle policy (no LifecyclePolicy with repository forgotten)"],
            ["team-api", "BP image: ECR repository team-api has no lifecycle policy (no LifecyclePolicy with repository team/api)"],
            ["empty", "BP image: ECR repository empty has a lifecycle policy without rules (LifecyclePolicy empty-lifecycle)"],
        ],
    },
    // VPC
    {
        policy: "vpc-flow-logs",
        title: "a prod VPC without flow logs and one logging only rejected traffic",
        environment: "prod",
        resources: [namedAwsxVpc("quiet"), vpc("rejects", "vpc-2"), flowLog("rejects-log", "vpc-2", "REJECT")],
        expected: [
            ["quiet", "CKV2_AWS_11: prod VPC quiet has no flow log of ALL traffic (an aws.ec2.FlowLog with trafficType ALL and this VPC's vpcId)"],
            ["rejects", "CKV2_AWS_11: prod VPC rejects has no flow log of ALL traffic (an aws.ec2.FlowLog with trafficType ALL and this VPC's vpcId)"],
        ],
    },
    {
        policy: "vpc-flow-logs",
        title: "two prod VPCs whose ids the graph does not show, with one flow log between them",
        environment: "prod",
        resources: [namedAwsxVpc("first"), namedAwsxVpc("second"), flowLog("one-log", "vpc-0abc")],
        expected: [["second", "CKV2_AWS_11: prod VPC second has no flow log of ALL traffic (an aws.ec2.FlowLog with trafficType ALL and this VPC's vpcId)"]],
    },
    {
        policy: "vpc-flow-logs",
        title: "a prod VPC whose only flow log is another VPC's",
        environment: "prod",
        resources: [vpc("main", "vpc-1"), flowLog("other-log", "vpc-2")],
        expected: [["main", "CKV2_AWS_11: prod VPC main has no flow log of ALL traffic (an aws.ec2.FlowLog with trafficType ALL and this VPC's vpcId)"]],
    },
    {
        policy: "vpc-flow-logs",
        title: "a prod awsx VPC with its Vpc child logged by id, and one whose id the graph does not show with its own flow log",
        environment: "prod",
        resources: [
            namedAwsxVpc("network"),
            vpc("network", "vpc-1", "awsx:ec2:Vpc::network"),
            flowLog("network-log", "vpc-1"),
            namedAwsxVpc("legacy"),
            flowLog("legacy-log", "vpc-0legacy"),
        ],
        expected: [],
    },
    {
        policy: "vpc-flow-logs",
        title: "a dev VPC without flow logs (required in prod only)",
        resources: [namedAwsxVpc("network")],
        expected: [],
    },
    {
        policy: "default-security-group-no-rules",
        title: "a default security group with inline rules, and one given a standalone rule",
        resources: [
            defaultSecurityGroup("default", {
                ingress: [{ protocol: "-1", fromPort: 0, toPort: 0, self: true }],
                egress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }],
            }),
            defaultSecurityGroup("default-2", { id: "sg-default" }),
            aws("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "late", { securityGroupId: "sg-default", ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "10.0.0.0/16", description: "https" }),
        ],
        expected: [
            ["default", "CKV2_AWS_12: default security group default has a rule: ingress[0] (ingress all traffic); it must have none"],
            ["default", "CKV2_AWS_12: default security group default has a rule: egress[0] (egress all traffic); it must have none"],
            ["default-2", "CKV2_AWS_12: default security group default-2 has a rule: SecurityGroupIngressRule late (ingress tcp 443); it must have none"],
        ],
    },
    {
        policy: "default-security-group-no-rules",
        title: "a rule-less default security group beside a rule on another group",
        resources: [
            defaultSecurityGroup("default", { id: "sg-default", ingress: [], egress: [] }),
            aws("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "app", { securityGroupId: "sg-app", ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "10.0.0.0/16", description: "https" }),
        ],
        expected: [],
    },
    // Security groups
    {
        policy: "security-group-world-ingress",
        title: "SSH, RDP, all traffic and another port open to the world",
        resources: [
            securityGroup("ssh", [tcp(22, "0.0.0.0/0", "ssh")]),
            aws("aws:ec2/securityGroupRule:SecurityGroupRule", "rdp", { type: "ingress", securityGroupId: "sg-1", ...tcp(3389, "::/0", "rdp") }),
            aws("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "everything", { securityGroupId: "sg-1", ipProtocol: "-1", cidrIpv4: "0.0.0.0/0", description: "all" }),
            securityGroup("app", [tcp(8080, "0.0.0.0/0", "app"), tcp(80, "0.0.0.0/0", "web range", 443)]),
        ],
        expected: [
            ["ssh", "CKV_AWS_24: SecurityGroup ssh ingress[0] allows tcp 22 from 0.0.0.0/0"],
            ["rdp", "CKV_AWS_25: SecurityGroupRule rdp rule allows tcp 3389 from ::/0"],
            ["everything", "CKV_AWS_277: SecurityGroupIngressRule everything rule allows all traffic from 0.0.0.0/0"],
            ["app", "CKV_AWS_260: SecurityGroup app ingress[0] allows tcp 8080 from 0.0.0.0/0"],
            ["app", "CKV_AWS_260: SecurityGroup app ingress[1] allows tcp 80-443 from 0.0.0.0/0"],
        ],
    },
    {
        policy: "security-group-world-ingress",
        title: "a load balancer's 80/443 from the world, SSH from the VPC, all egress",
        resources: [securityGroup("alb", [tcp(443, "0.0.0.0/0", "https"), tcp(80, "::/0", "http"), tcp(22, "10.0.0.0/8", "ssh")], [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"], description: "out" }])],
        expected: [],
    },
    {
        policy: "security-group-rule-descriptions",
        title: "an inline rule and a standalone rule without descriptions",
        resources: [
            securityGroup("undocumented", [tcp(443, "10.0.0.0/8")], [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"], description: "all out" }]),
            aws("aws:ec2/securityGroupRule:SecurityGroupRule", "bare", { type: "egress", securityGroupId: "sg-1", ...tcp(5432, "10.0.0.0/16") }),
        ],
        expected: [
            ["undocumented", "CKV_AWS_23: SecurityGroup undocumented ingress[0] (ingress tcp 443) has no description"],
            ["bare", "CKV_AWS_23: SecurityGroupRule bare rule (egress tcp 5432) has no description"],
        ],
    },
    // Logs
    {
        policy: "log-group-retention",
        title: "a log group kept forever",
        resources: [logGroup("forever", { kmsKeyId: "arn:aws:kms:us-west-2:111122223333:key/logs" })],
        expected: [["forever", "CKV_AWS_66: log group forever sets no retentionInDays"]],
    },
    {
        policy: "log-group-retention",
        title: "a month of logs in prod",
        environment: "prod",
        resources: [logGroup("short", { retentionInDays: 30, kmsKeyId: "arn:aws:kms:us-west-2:111122223333:key/logs" })],
        expected: [["short", "CKV_AWS_338: log group short keeps logs 30 days; prod needs at least 365"]],
    },
    {
        policy: "log-group-retention",
        title: "a month of logs in dev",
        resources: [logGroup("short", { retentionInDays: 30, kmsKeyId: "arn:aws:kms:us-west-2:111122223333:key/logs" })],
        expected: [],
    },
    {
        policy: "log-group-kms",
        title: "a log group without a KMS key",
        resources: [logGroup("plain", { retentionInDays: 30 })],
        expected: [["plain", "CKV_AWS_158: log group plain has no kmsKeyId"]],
    },
    // Tags
    {
        policy: "aws-required-tags",
        title: "a provider whose default tags lack project and managed-by",
        providerTags: { environment: "dev" },
        resources: [aws("aws:sqs/queue:Queue", "q", { name: "q", sqsManagedSseEnabled: true })],
        expected: [["q", "BP tags: aws:sqs/queue:Queue q lacks tags project, managed-by (provider aws, own tags included)"]],
    },
    {
        policy: "aws-required-tags",
        title: "resources outside the tagged provider: untagged, self-tagged, untaggable",
        resources: [
            record("aws:s3/bucket:Bucket", "loose", { bucket: "loose" }),
            record("aws:s3/bucket:Bucket", "self-tagged", { bucket: "self", tags: stackTags("dev") }),
            record("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "attach", { role: "r", policyArn: "arn:aws:iam::aws:policy/ReadOnlyAccess" }),
        ],
        expected: [["loose", "BP tags: aws:s3/bucket:Bucket loose lacks tags environment, project, managed-by (no explicit provider, own tags included)"]],
    },
    // Helm
    {
        policy: "argocd-values",
        title: "argo-cd with a plaintext admin password, a LoadBalancer server and exec enabled",
        resources: [
            release("argocd", "argo-cd", {
                configs: { secret: { argocdServerAdminPassword: "hunter2hunter2" }, cm: { "exec.enabled": "true" } },
                server: { service: { type: "LoadBalancer" } },
            }),
        ],
        expected: [
            ["argocd", "argo-cd chart: release argocd sets configs.secret.argocdServerAdminPassword to something other than a bcrypt hash ($2a$/$2b$/$2y$)"],
            ["argocd", "argo-cd chart: release argocd exposes argocd-server as a LoadBalancer Service; it must stay ClusterIP"],
            ["argocd", 'argo-cd chart: release argocd enables exec into pods (configs.cm."exec.enabled")'],
        ],
    },
    {
        policy: "argocd-values",
        title: "a plaintext password even when it is a Pulumi secret (policies see secrets unwrapped)",
        resources: [release("argocd", "argo/argo-cd", { configs: { secret: { argocdServerAdminPassword: { [specialSigKey]: specialSecretSig, value: "hunter2hunter2" } } } })],
        expected: [["argocd", "argo-cd chart: release argocd sets configs.secret.argocdServerAdminPassword to something other than a bcrypt hash ($2a$/$2b$/$2y$)"]],
    },
    {
        policy: "argocd-values",
        title: "argo-cd from OCI with a bcrypt hash, ClusterIP and exec off",
        resources: [
            release("argocd", "oci://ghcr.io/argoproj/argo-helm/argo-cd", {
                configs: { secret: { argocdServerAdminPassword: BCRYPT_HASH }, cm: { "exec.enabled": false } },
                server: { service: { type: "ClusterIP" } },
            }),
        ],
        expected: [],
    },
    {
        policy: "grafana-admin-from-secret",
        title: "kube-prometheus-stack with Grafana's admin password in values",
        resources: [release("monitoring", "kube-prometheus-stack", { grafana: { adminPassword: "prom-operator" } })],
        expected: [
            ["monitoring", "kube-prometheus-stack: release monitoring puts an admin password in Helm values (grafana.adminPassword)"],
            ["monitoring", "kube-prometheus-stack: release monitoring does not take Grafana's admin from grafana.admin.existingSecret"],
        ],
    },
    {
        policy: "grafana-admin-from-secret",
        title: "the grafana chart with admin.existingSecret, and kube-prometheus-stack without Grafana",
        resources: [
            release("grafana", "grafana", { admin: { existingSecret: "grafana-admin", userKey: "admin-user", passwordKey: "admin-password" } }),
            release("metrics", "prometheus-community/kube-prometheus-stack", { grafana: { enabled: false } }),
        ],
        expected: [],
    },
    {
        policy: "helm-no-plaintext-admin-password",
        title: "another chart with a plaintext admin password, beside one with an empty key",
        resources: [
            release("keycloak", "bitnami/keycloak", { auth: { adminPassword: "changeme" } }),
            release("harbor", "harbor", { harborAdminPassword: "", existingSecretAdminPassword: "harbor-admin" }),
        ],
        expected: [["keycloak", "BP helm secrets: release keycloak (chart keycloak) puts a plaintext admin password in values (auth.adminPassword)"]],
    },
];

describe("policy pack", () => {
    describe("layout", () => {
        it("exports one mandatory stack policy per check, uniquely named, its description led by its checklist ids", () => {
            expect(policies.map((p) => p.name)).to.deep.equal(securityChecks.map((c) => c.name));
            expect(new Set(policies.map((p) => p.name)).size).to.equal(policies.length);
            securityChecks.forEach((check, i) => {
                const p = policies[i] as StackValidationPolicy & { validateResource?: unknown };
                expect(p.enforcementLevel, p.name).to.equal("mandatory");
                expect(p.validateStack, p.name).to.be.a("function");
                expect(p.validateResource, p.name).to.equal(undefined);
                expect(check.checks.length, p.name).to.be.greaterThan(0);
                expect(p.description, p.name).to.match(new RegExp(`^${check.checks.join(", ").replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}: \\S`));
            });
        });

        it("names only checklist ids, plus its own BP tags and BP helm secrets", function () {
            const text = checklistText();
            if (text === undefined) {
                if (process.env.EKS_PLATFORM_REQUIRE_REFERENCE === "1") throw new Error(`EKS_PLATFORM_REQUIRE_REFERENCE=1 but ${checklistPath} is missing`);
                console.log(`  (skipping checklist-id test: ${checklistPath} not found)`);
                this.skip();
            }
            const known = checklistIds(text!);
            const unknown = securityChecks.flatMap((c) => c.checks).filter((id) => !known.has(id));
            expect(unknown.sort()).to.deep.equal(["BP helm secrets", "BP tags"]);
        });

        it("is a local Node.js pack whose entry point only starts the server and which installs nothing of its own", () => {
            const dir = path.join(projectRoot, "policy");
            expect(parse(fs.readFileSync(path.join(dir, "PulumiPolicy.yaml"), "utf8"))).to.include({ runtime: "nodejs" });
            const pkg = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8"));
            // PolicyPack reads its version from the package.json in its working directory, the pack's folder.
            expect(pkg.version).to.match(/^\d+\.\d+\.\d+$/);
            expect(pkg).to.not.have.any.keys("dependencies", "devDependencies", "peerDependencies", "scripts");
            const imports = [...fs.readFileSync(path.join(dir, "index.ts"), "utf8").matchAll(/from "([^"]+)"/g)].map((m) => m[1]);
            expect(imports).to.deep.equal(["@pulumi/policy", "./policies"]);
        });

        it("is type-checked by npm test under strict mode", () => {
            const tsconfig = JSON.parse(fs.readFileSync(path.join(projectRoot, "tsconfig.json"), "utf8"));
            expect(tsconfig.include).to.include("policy/**/*.ts");
            expect(tsconfig.compilerOptions.strict).to.equal(true);
        });

        it("reads waivers from the component type the program registers: exactly those the stack file lists", async () => {
            expect(WAIVERS_TYPE).to.equal(POLICY_WAIVERS_TYPE);
            const read = async (stack: "dev" | "prod") => [...readWaivers(graphResources(await stackGraph(stack))).keys()].sort();
            const listed = (stack: "dev" | "prod") =>
                ((stackFileConfig(stack)["eks-platform:policyWaivers"] ?? []) as string[]).map((entry) => entry.slice(0, entry.indexOf(":")).trim()).sort();
            expect(await read("dev")).to.deep.equal(listed("dev"));
            expect(await read("prod")).to.deep.equal(listed("prod"));
            expect(await read("dev")).to.include.members(["CKV_AWS_38", "CIS_4.1.1"]);
            expect(await read("prod")).to.include("CIS_4.1.1").and.not.include("CKV_AWS_38");
        });
    });

    describe("on the real stacks", () => {
        for (const stack of ["dev", "prod"] as const) {
            for (const p of policies) {
                it(`${stack}: ${p.name} reports nothing`, async () => {
                    const run = await runPolicy(p, graphResources(await stackGraph(stack)));
                    expect(run.error, String(run.error)).to.equal(undefined);
                    expect(reported(run)).to.deep.equal([]);
                });
            }
        }

        it("gives every policy something to inspect, except those for charts the program may not install yet", async () => {
            const resources = [...(await stackGraph("dev")).resources, ...(await stackGraph("prod")).resources];
            const idle = securityChecks.filter((c) => !resources.some((r) => c.appliesTo(r.type))).map((c) => c.name);
            expect(idle.filter((name) => !["argocd-values", "grafana-admin-from-secret"].includes(name))).to.deep.equal([]);
        });
    });

    describe("relations on the real graphs", () => {
        /** Replaces the inputs of one recorded resource. */
        const editInputs = (type: string, name: string, edit: (inputs: Record<string, any>) => Record<string, any>) => (records: RecordedResource[]) =>
            records.map((r) => (r.type === type && r.name === name ? { ...r, inputs: edit({ ...r.inputs }) } : r));
        const drop = (type: string, name: string) => (records: RecordedResource[]) => records.filter((r) => !(r.type === type && r.name === name));
        /** Edits every statement of a recorded policy document (JSON text, as the program records it). */
        const editStatements = (name: string, edit: (s: Record<string, any>) => Record<string, any>) =>
            editInputs("aws:iam/policy:Policy", name, (inputs) => {
                const parsed = JSON.parse(inputs.policy);
                return { ...inputs, policy: JSON.stringify({ ...parsed, Statement: parsed.Statement.map(edit) }) };
            });
        const unconditioned = ({ Condition, ...rest }: Record<string, any>) => rest;
        /** `[resource, statement Sid]` per violation. */
        const statements = (run: PolicyRun) => reported(run).map(([name, message]) => [name, /statement "([^"]+)"/.exec(message)?.[1] ?? message]);

        it("node-role-policies ties the program's attachments to its node roles by role name", async () => {
            const dev = await stackGraph("dev");
            const attachmentName = "eks-dev-system-node-AmazonEC2ContainerRegistryPullOnly";
            const edited = editInputs("aws:iam/rolePolicyAttachment:RolePolicyAttachment", attachmentName, (inputs) => ({ ...inputs, policyArn: managedPolicy("AmazonEC2ContainerRegistryPowerUser") }));
            expect(reported(await runPolicy(policy("node-role-policies"), graphResources(dev, edited)))).to.deep.equal([
                ["eks-dev-system-node", `CIS 5.1.3: node role eks-dev-system-node has arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPowerUser attached (RolePolicyAttachment ${attachmentName}); a node role may hold only ${NODE_POLICY_LIST}`],
            ]);
        });

        it("ecr-lifecycle-policy ties each LifecyclePolicy to its repository's name", async () => {
            const prod = await stackGraph("prod");
            expect(reported(await runPolicy(policy("ecr-lifecycle-policy"), graphResources(prod, drop("aws:ecr/lifecyclePolicy:LifecyclePolicy", "platform-tools"))))).to.deep.equal([
                ["platform-tools", "BP image: ECR repository platform-tools has no lifecycle policy (no LifecyclePolicy with repository platform/tools)"],
            ]);
        });

        it("vpc-flow-logs: prod's all-traffic flow log is what covers its VPC", async () => {
            const prod = await stackGraph("prod");
            const missing = [["network", "CKV2_AWS_11: prod VPC network has no flow log of ALL traffic (an aws.ec2.FlowLog with trafficType ALL and this VPC's vpcId)"]];
            const flowLogs = policy("vpc-flow-logs");
            expect(reported(await runPolicy(flowLogs, graphResources(prod, drop("aws:ec2/flowLog:FlowLog", "network-flow-logs"))))).to.deep.equal(missing);
            const rejectsOnly = editInputs("aws:ec2/flowLog:FlowLog", "network-flow-logs", (inputs) => ({ ...inputs, trafficType: "REJECT" }));
            expect(reported(await runPolicy(flowLogs, graphResources(prod, rejectsOnly)))).to.deep.equal(missing);
        });

        it("karpenter-controller-scoping: the program's tag and PassedToService conditions are what make its Karpenter policies pass", async () => {
            const dev = await stackGraph("dev");
            const stripped = (records: RecordedResource[]) =>
                editStatements("eks-dev-karpenter-iam-integration", unconditioned)(editStatements("eks-dev-karpenter-node-lifecycle", unconditioned)(records));
            expect(statements(await runPolicy(policy("karpenter-controller-scoping"), graphResources(dev, stripped)))).to.deep.equal([
                ["eks-dev-karpenter-node-lifecycle", "AllowScopedEC2LaunchTemplateAccessActions"],
                ["eks-dev-karpenter-node-lifecycle", "AllowScopedEC2InstanceActionsWithTags"],
                ["eks-dev-karpenter-node-lifecycle", "AllowScopedResourceCreationTagging"],
                ["eks-dev-karpenter-node-lifecycle", "AllowScopedResourceTagging"],
                ["eks-dev-karpenter-node-lifecycle", "AllowScopedDeletion"],
                ["eks-dev-karpenter-iam-integration", "AllowPassingInstanceRole"],
            ]);
        });

        it("external-secrets-scoping: the program's prefixes and kms:ViaService are what make its ESO policy pass", async () => {
            const dev = await stackGraph("dev");
            const widened = editStatements("eks-dev-external-secrets-read-secrets", (s) =>
                s.Sid === "ReadEnvironmentSecrets" ? { ...s, Resource: secretArn("*") } : s.Sid === "DecryptEnvironmentSecrets" ? unconditioned(s) : s,
            );
            expect(reported(await runPolicy(policy("external-secrets-scoping"), graphResources(dev, widened)))).to.deep.equal([
                [
                    "eks-dev-external-secrets-read-secrets",
                    `ESO: Policy eks-dev-external-secrets-read-secrets.policy statement "ReadEnvironmentSecrets" allows secretsmanager:GetSecretValue, secretsmanager:DescribeSecret on ${secretArn("*")}; only secret ARNs under a prefix (secret:<prefix>/*) are allowed`,
                ],
                [
                    "eks-dev-external-secrets-read-secrets",
                    'ESO: Policy eks-dev-external-secrets-read-secrets.policy statement "DecryptEnvironmentSecrets" allows kms:Decrypt without a kms:ViaService condition (decrypt only through Secrets Manager)',
                ],
            ]);
        });
    });

    describe("on bad fixtures", () => {
        for (const c of cases) {
            it(`${c.policy}: ${c.title}`, async () => {
                const run = await runPolicy(policy(c.policy), fixture(c.environment ?? "dev", c.resources, c.providerTags));
                expect(run.error, String(run.error)).to.equal(undefined);
                expect(reported(run)).to.deep.equal(c.expected);
            });
        }

        it("has a fixture that every policy reports on", () => {
            const covered = new Set(cases.filter((c) => c.expected.length > 0).map((c) => c.policy));
            expect(policies.map((p) => p.name).filter((name) => !covered.has(name))).to.deep.equal([]);
        });
    });

    describe("waivers", () => {
        const eksDev = "CKV_AWS_38: EKS cluster eks-dev opens its public endpoint to 0.0.0.0/0";
        const previewView = (stack: string) =>
            `CIS 4.1.1: access policy association view-ci-preview grants AmazonEKSViewPolicy cluster-wide to arn:aws:iam::${ACCOUNT}:role/eks-platform-preview-${stack}; only AmazonEKSClusterAdminPolicy may be cluster-scoped, other access must be limited to namespaces`;

        it("dev's CKV_AWS_38 waiver is what keeps its world-open endpoint from being reported", async () => {
            const dev = await stackGraph("dev");
            const endpoint = policy("eks-public-endpoint-restricted");
            expect(reported(await runPolicy(endpoint, graphResources(dev)))).to.deep.equal([]);
            expect(reported(await runPolicy(endpoint, graphResources(dev, withoutWaivers)))).to.deep.equal([["eks-dev", eksDev]]);
        });

        it("both stacks' CIS_4.1.1 waiver is what keeps CI's cluster-wide view from being reported", async () => {
            const access = policy("eks-access-scope");
            for (const stack of ["dev", "prod"] as const) {
                const g = await stackGraph(stack);
                expect(reported(await runPolicy(access, graphResources(g))), stack).to.deep.equal([]);
                expect(reported(await runPolicy(access, graphResources(g, withoutWaivers))), stack).to.deep.equal([["view-ci-preview", previewView(stack)]]);
            }
        });

        it("suppresses exactly those checks: without them, dev violates CKV_AWS_38 and CIS 4.1.1, prod CIS 4.1.1, and nothing else in the pack", async () => {
            const violations = async (stack: "dev" | "prod") => {
                const resources = graphResources(await stackGraph(stack), withoutWaivers);
                return (await Promise.all(policies.map((p) => runPolicy(p, resources)))).flatMap((run) => run.violations.map((v) => v.message));
            };
            expect(await violations("dev")).to.deep.equal([eksDev, previewView("dev")]);
            expect(await violations("prod")).to.deep.equal([previewView("prod")]);
        });

        it("applies per check id: waiving CKV_AWS_39 instead leaves CKV_AWS_38 reported", async () => {
            const resources = graphResources(await stackGraph("dev"), withWaivers({ CKV_AWS_39: REASON }));
            expect(reported(await runPolicy(policy("eks-public-endpoint-restricted"), resources))).to.deep.equal([["eks-dev", eksDev]]);
        });

        it("silences only the waived id of a multi-id policy and leaves other policies alone", async () => {
            const resources = fixture("dev", [
                securityGroup("bastion", [tcp(22, "0.0.0.0/0", "ssh"), tcp(3389, "0.0.0.0/0", "rdp")]),
                eksCluster("open", { vpcConfig: { subnetIds: ["subnet-private-1"], endpointPrivateAccess: false, endpointPublicAccess: true, publicAccessCidrs: ["0.0.0.0/0"] } }),
                waivers({ CKV_AWS_24: REASON, CKV_AWS_38: REASON }),
            ]);
            expect(reported(await runPolicy(policy("security-group-world-ingress"), resources))).to.deep.equal([
                ["bastion", "CKV_AWS_25: SecurityGroup bastion ingress[1] allows tcp 3389 from 0.0.0.0/0"],
            ]);
            expect(reported(await runPolicy(policy("eks-public-endpoint-restricted"), resources))).to.deep.equal([]);
            expect(reported(await runPolicy(policy("eks-private-endpoint"), resources))).to.deep.equal([
                ["open", "CKV_AWS_39: EKS cluster open has no private endpoint (vpcConfig.endpointPrivateAccess must be true)"],
            ]);
        });

        it("spells spaces in checklist ids as underscores, and needs a reason", async () => {
            const legacy = eksCluster("legacy", { accessConfig: undefined });
            const mode = policy("eks-api-authentication-mode");
            expect(reported(await runPolicy(mode, fixture("dev", [legacy, waivers({ "CIS_4.1.7": REASON })])))).to.deep.equal([]);
            expect(reported(await runPolicy(mode, fixture("dev", [legacy, waivers({ "CIS_4.1.7": " " })])))).to.have.length(1);
            expect(reported(await runPolicy(mode, fixture("dev", [legacy, waivers({ "CIS_4.1.8": REASON })])))).to.have.length(1);
        });

        it("cannot open prod's endpoint to the world or make its creator admin, while other prod waivers hold", async () => {
            const resources = fixture("prod", [
                eksCluster("prod-cluster", {
                    vpcConfig: { subnetIds: ["subnet-private-1"], endpointPrivateAccess: false, endpointPublicAccess: true, publicAccessCidrs: ["0.0.0.0/0"] },
                    accessConfig: { authenticationMode: "API", bootstrapClusterCreatorAdminPermissions: true },
                }),
                waivers({ CKV_AWS_38: REASON, BP_iam: REASON, CKV_AWS_39: REASON }),
            ]);
            expect(reported(await runPolicy(policy("eks-public-endpoint-restricted"), resources))).to.deep.equal([
                ["prod-cluster", "CKV_AWS_38: EKS cluster prod-cluster opens its public endpoint to 0.0.0.0/0"],
            ]);
            expect(reported(await runPolicy(policy("eks-no-creator-admin-in-prod"), resources))).to.deep.equal([
                ["prod-cluster", "BP iam: prod EKS cluster prod-cluster makes its creator cluster-admin (accessConfig.bootstrapClusterCreatorAdminPermissions must be false)"],
            ]);
            expect(reported(await runPolicy(policy("eks-private-endpoint"), resources))).to.deep.equal([]);
        });
    });

    describe("prod detection", () => {
        it("reads the environment from the AWS provider's default tags of the real stacks", async () => {
            const facts = async (stack: "dev" | "prod") => {
                const { stack: name, environments, isProd } = stackFacts(graphResources(await stackGraph(stack)));
                return { name, environments, isProd };
            };
            expect(await facts("dev")).to.deep.equal({ name: "dev", environments: ["dev"], isProd: false });
            expect(await facts("prod")).to.deep.equal({ name: "prod", environments: ["prod"], isProd: true });
        });

        it("treats a stack as prod when either its environment tag or its name says so", () => {
            const isProd = (stack: string, environment: string) => stackFacts(policyResources(stack, [awsProvider(stackTags(environment))])).isProd;
            expect(isProd("eu-live", "production")).to.equal(true);
            expect(isProd("prod", "dev")).to.equal(true);
            expect(isProd("staging", "staging")).to.equal(false);
        });

        it("applies prod-only rules only in prod", async () => {
            const repo = repository("app", { imageTagMutability: "IMMUTABLE_WITH_EXCLUSION" });
            const immutable = policy("ecr-immutable-tags");
            expect(reported(await runPolicy(immutable, fixture("dev", [repo])))).to.deep.equal([]);
            expect(reported(await runPolicy(immutable, policyResources("staging", [awsProvider(stackTags("prod")), repo])))).to.have.length(1);
        });
    });

    describe("values unknown during preview", () => {
        it("skips only the resource holding the unknown, reports the rest, then re-throws the unknown", async () => {
            const run = await runPolicy(
                policy("ecr-scan-on-push"),
                fixture("dev", [repository("pending", { imageScanningConfiguration: unknownValue }), repository("unscanned", { imageScanningConfiguration: { scanOnPush: false } })]),
            );
            expect(reported(run)).to.deep.equal([["unscanned", "CKV_AWS_163: ECR repository unscanned does not scan images on push"]]);
            expect(run.error).to.be.instanceOf(Error);
            expect((run.error as Error).message).to.equal("string value at .imageScanningConfiguration can't be known during preview");
        });

        it("still finds the stack's facts when a provider's tags are unknown", () => {
            const resources = policyResources("dev", [record("pulumi:providers:aws", "aws", { region: "us-west-2", defaultTags: unknownValue })]);
            expect(stackFacts(resources)).to.include({ stack: "dev", isProd: false });
        });
    });
});

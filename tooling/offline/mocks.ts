import * as pulumi from "@pulumi/pulumi";

/**
 * The account the mocks' credentials belong to when a stack file pins none (README, Reviewing a change
 * offline). A file that pins `aws:allowedAccountIds` gets its first entry instead (`offlineAccountId`), so
 * a pin never fails offline, while a real preview still refuses credentials of any other account.
 */
export const ACCOUNT_ID = "111122223333";

/** The caller's account under the mocks for a stack's engine config: its first pinned account, else ACCOUNT_ID. */
export function offlineAccountId(values: Record<string, string>): string {
    const pinned = values["aws:allowedAccountIds"];
    if (!pinned) return ACCOUNT_ID;
    const first = ([] as unknown[]).concat(JSON.parse(pinned))[0];
    return first === undefined ? ACCOUNT_ID : String(first);
}
/** The identity `pulumi up` runs as in the mocks: the prod deploy role, as CI assumes it. */
export const DEPLOYER_SESSION_ARN = `arn:aws:sts::${ACCOUNT_ID}:assumed-role/eks-platform-deploy-prod/github-actions`;

/** One registration seen by the mock engine, joined with the resource options it was created with. */
export interface RecordedResource {
    type: string;
    name: string;
    inputs: Record<string, any>;
    /** Provider reference (`urn::id`) the resource was registered with, if any. */
    provider?: string;
    custom: boolean;
    /** Options captured by a stack transformation before registration. */
    opts: RecordedOptions;
    /** What the SDK sent the engine: the resources this one waited for (`npm run timeline` walks them). */
    engine: EngineRequest;
}

/**
 * The dependency part of a RegisterResource request, each resource as `type::name`. The SDK sends it once
 * everything named here exists: `dependencies` joins the explicit `dependsOn` (a local component expanded to
 * its custom descendants, a remote one such as awsx's Vpc kept whole) and the resources behind every Output
 * in the inputs; `provider` and `deletedWith` were awaited too. The engine deletes in the reverse order.
 */
export interface EngineRequest {
    dependencies: string[];
    /** Per input property, the resources its Outputs came from. */
    propertyDependencies: Record<string, string[]>;
    parent?: string;
    provider?: string;
    deletedWith?: string;
    /** A component whose children a provider registers (awsx): it finishes only when all of them have. */
    remote: boolean;
    deleteBeforeReplace?: boolean;
}

/** `type::name` of a URN (`urn:pulumi:<stack>::<project>::<parent types>$<type>::<name>`). */
export function urnKey(urn: string): string {
    const [, , qualifiedType, ...name] = urn.split("::");
    return `${qualifiedType.split("$").pop()}::${name.join("::")}`;
}

/** The SDK's RegisterResource request, as far as the recording reads it. */
interface RegisterRequest {
    getType(): string;
    getName(): string;
    getParent(): string;
    getProvider(): string;
    getDeletedwith(): string;
    getRemote(): boolean;
    getDeletebeforereplace(): boolean;
    getDeletebeforereplacedefined(): boolean;
    getDependenciesList(): string[];
    getPropertydependenciesMap(): { forEach(cb: (value: { getUrnsList(): string[] }, key: string) => void): void };
}

export interface RecordedOptions {
    protect?: boolean;
    parent?: string;
    /** `type::name` of each explicit dependency. */
    dependsOn: string[];
    deletedWith?: string;
    providerName?: string;
}

/** Default add-on builds EKS reports for Kubernetes 1.35 (shape only; the program never pins them). */
const ADDON_VERSIONS: Record<string, string> = {
    "vpc-cni": "v1.20.4-eksbuild.2",
    "kube-proxy": "v1.35.0-eksbuild.2",
    "eks-pod-identity-agent": "v1.3.9-eksbuild.3",
    coredns: "v1.12.4-eksbuild.1",
    "aws-ebs-csi-driver": "v1.52.1-eksbuild.1",
    "snapshot-controller": "v8.3.0-eksbuild.1",
};
/**
 * Subnet ranges as awsx's `Auto` strategy lays them out for the program's subnet specs, computed here on their
 * own (not with components/network/subnets.ts `subnetLayout`), so a test comparing the dual-stack VPC's layout
 * with awsx's checks the program against the mocks rather than against itself.
 */
export function mockSubnetCidrs(vpcCidr: string, azs: number): { private: string[]; public: string[] } {
    const [base, prefix] = vpcCidr.split("/");
    const start = base.split(".").reduce((n, octet) => n * 256 + Number(octet), 0);
    const size = 2 ** (32 - Number(prefix));
    const azBlock = size / 2 ** Math.ceil(Math.log2(azs));
    const text = (n: number, bits: number) => `${[24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join(".")}/${Number(prefix) + bits}`;
    const range = (offset: number, bits: number) => Array.from({ length: azs }, (_, i) => text(start + i * azBlock + offset, bits));
    return { private: range(0, 3), public: range(size / 8, 6) };
}

/** The IPv6 block the mocked EC2 gives a VPC that asks for an Amazon-provided one. */
export const MOCK_VPC_IPV6_CIDR = "2600:1f14:e1a:4c00::/56";

const hex = (n: number, width = 17) => n.toString(16).padStart(width, "0");

/** Outputs a real deployment would return for the remote components and invokes the program reads. */
export class PlatformMocks implements pulumi.runtime.Mocks {
    readonly registrations: Omit<RecordedResource, "opts" | "engine">[] = [];
    /** Each registration's request, by `type::name` (see `recordRequests`). */
    readonly requests = new Map<string, EngineRequest>();
    /**
     * Numbers the generated ids, ARNs and endpoints from 1 in every build: a stack's graph is the same whatever
     * was built before it in the process, so results keyed by it (the result cache) carry over between runs.
     */
    private sequence = 0;
    /** The VPC's CIDR and AZ count, for the subnets' ranges (one VPC per stack). */
    private vpcCidr?: { cidr: string; azs: number };

    /** `accountId`: the account the credentials belong to (a stack file pinning `aws:allowedAccountIds` gets its first). */
    constructor(private readonly region: string, private readonly accountId: string = ACCOUNT_ID) {}

    newResource(args: pulumi.runtime.MockResourceArgs): { id: string | undefined; state: Record<string, any> } {
        this.registrations.push({ type: args.type, name: args.name, inputs: args.inputs, provider: args.provider, custom: args.custom ?? true });
        const id = args.custom === false ? undefined : `${args.name}-${hex(++this.sequence, 8)}`;
        return { id, state: { ...args.inputs, ...this.state(args) } };
    }

    /**
     * Records the dependency part of every RegisterResource request the SDK sends the mock monitor set by
     * `setMocks` (the mocks' `newResource` sees only the inputs). Call right after `setMocks`.
     */
    recordRequests(): void {
        const monitor = pulumi.runtime.getMonitor() as unknown as { registerResource(req: RegisterRequest, cb: unknown): unknown };
        const register = monitor.registerResource.bind(monitor);
        monitor.registerResource = (req: RegisterRequest, callback: unknown) => {
            const key = (urn: string) => (urn ? urnKey(urn) : undefined);
            const propertyDependencies: Record<string, string[]> = {};
            req.getPropertydependenciesMap().forEach((deps, property) => (propertyDependencies[property] = deps.getUrnsList().map(urnKey)));
            this.requests.set(`${req.getType()}::${req.getName()}`, {
                dependencies: req.getDependenciesList().map(urnKey),
                propertyDependencies,
                parent: key(req.getParent()),
                // A provider reference is `<urn>::<id>`.
                provider: key(req.getProvider().split("::").slice(0, -1).join("::")),
                deletedWith: key(req.getDeletedwith()),
                remote: req.getRemote(),
                deleteBeforeReplace: req.getDeletebeforereplacedefined() ? req.getDeletebeforereplace() : undefined,
            });
            return register(req, callback);
        };
    }

    /** The recorded request of one registration (an empty one when `recordRequests` was not called). */
    engineRequest(type: string, name: string): EngineRequest {
        return this.requests.get(`${type}::${name}`) ?? { dependencies: [], propertyDependencies: {}, remote: false };
    }

    call(args: pulumi.runtime.MockCallArgs): Record<string, any> {
        switch (args.token) {
            case "aws:index/getCallerIdentity:getCallerIdentity":
                return { accountId: this.accountId, arn: DEPLOYER_SESSION_ARN.replace(ACCOUNT_ID, this.accountId), userId: "AROAEXAMPLE:ci", id: this.accountId };
            case "aws:index/getPartition:getPartition":
                return { partition: "aws", dnsSuffix: "amazonaws.com", reverseDnsPrefix: "com.amazonaws", id: "aws" };
            case "aws:index/getRegion:getRegion":
                return { name: this.region, region: this.region, id: this.region };
            case "aws:ec2/getSubnet:getSubnet": {
                const m = /^subnet-([ab])([0-9a-f]+)$/.exec(args.inputs.id);
                if (!m || !this.vpcCidr) throw new Error(`no mock subnet ${args.inputs.id}`);
                const cidrs = mockSubnetCidrs(this.vpcCidr.cidr, this.vpcCidr.azs);
                const index = parseInt(m[2], 16) - 1;
                return { id: args.inputs.id, cidrBlock: (m[1] === "a" ? cidrs.public : cidrs.private)[index], availabilityZone: `${this.region}${"abcdef"[index]}` };
            }
            case "aws:ec2/getRouteTable:getRouteTable": {
                const m = /^subnet-([ab])([0-9a-f]+)$/.exec(args.inputs.subnetId);
                if (!m) throw new Error(`no mock route table for subnet ${args.inputs.subnetId}`);
                const id = `rtb-${m[1]}${m[2]}`;
                return { id, routeTableId: id, subnetId: args.inputs.subnetId, vpcId: "vpc-0mock" };
            }
            case "aws:ec2/getRouteTables:getRouteTables": {
                const subnets: string[] = args.inputs.filters?.[0]?.values ?? [];
                return { ids: subnets.map((_, i) => `rtb-${hex(i + 1)}`), id: args.inputs.vpcId };
            }
            case "aws:eks/getAddonVersion:getAddonVersion":
                return { ...args.inputs, version: ADDON_VERSIONS[args.inputs.addonName] ?? "v1.0.0-eksbuild.1", id: args.inputs.addonName };
            case "aws:iam/getSessionContext:getSessionContext": {
                // arn:aws:sts::<account>:assumed-role/<role>/<session> -> arn:aws:iam::<account>:role/<role>
                const m = /^arn:aws:sts::(\d{12}):assumed-role\/([^/]+)\/(.+)$/.exec(args.inputs.arn);
                return m
                    ? { arn: args.inputs.arn, issuerArn: `arn:aws:iam::${m[1]}:role/${m[2]}`, issuerName: m[2], sessionName: m[3], id: args.inputs.arn }
                    : { arn: args.inputs.arn, issuerArn: args.inputs.arn, id: args.inputs.arn };
            }
            default: {
                const account = accountLookup(args.token, args.inputs, this.region, this.accountId);
                if (account !== undefined) return account;
                throw new Error(`no mock for invoke ${args.token}`);
            }
        }
    }

    private state(args: pulumi.runtime.MockResourceArgs): Record<string, any> {
        const name = args.inputs.name ?? args.name;
        const arn = (service: string, resource: string) => `arn:aws:${service}:${this.region}:${this.accountId}:${resource}`;
        switch (args.type) {
            case "awsx:ec2:Vpc": {
                const azs = args.inputs.numberOfAvailabilityZones ?? 3;
                this.vpcCidr = { cidr: args.inputs.cidrBlock, azs };
                const ids = (kind: string) => Array.from({ length: azs }, (_, i) => `subnet-${kind}${hex(i + 1, 16)}`);
                return { vpcId: `vpc-${hex(++this.sequence)}`, publicSubnetIds: ids("a"), privateSubnetIds: ids("b"), isolatedSubnetIds: [] };
            }
            // An Amazon-provided /56, as AWS assigns one to a VPC that asks for it.
            case "aws:ec2/vpc:Vpc":
                return { arn: arn("ec2", `vpc/${args.name}`), ...(args.inputs.assignGeneratedIpv6CidrBlock ? { ipv6CidrBlock: MOCK_VPC_IPV6_CIDR } : {}) };
            case "aws:ec2/eip:Eip":
                return { allocationId: `eipalloc-${hex(++this.sequence)}`, publicIp: `198.51.100.${this.sequence % 250}` };
            case "aws:s3/bucket:Bucket": {
                const bucket = args.inputs.bucket ?? `${args.name}-${hex(++this.sequence, 7)}`;
                return { bucket, arn: `arn:aws:s3:::${bucket}`, bucketDomainName: `${bucket}.s3.amazonaws.com` };
            }
            case "aws:kms/key:Key":
                return { arn: arn("kms", `key/${args.name}`), keyId: `${args.name}-key-id` };
            case "aws:cloudwatch/logGroup:LogGroup":
                return { arn: arn("logs", `log-group:${args.inputs.name ?? args.inputs.namePrefix + args.name}`), name: args.inputs.name ?? `${args.inputs.namePrefix}${args.name}` };
            case "aws:iam/role:Role":
                return { arn: `arn:aws:iam::${this.accountId}:role/${name}`, name };
            case "aws:iam/policy:Policy":
                return { arn: `arn:aws:iam::${this.accountId}:policy/${name}`, name };
            case "aws:eks/cluster:Cluster":
                return {
                    arn: arn("eks", `cluster/${name}`),
                    endpoint: `https://${hex(++this.sequence, 32).toUpperCase()}.gr7.${this.region}.eks.amazonaws.com`,
                    certificateAuthority: { data: Buffer.from(`-----BEGIN CERTIFICATE-----\n${name}\n-----END CERTIFICATE-----\n`).toString("base64") },
                    vpcConfig: { ...args.inputs.vpcConfig, clusterSecurityGroupId: `sg-${hex(++this.sequence)}`, vpcId: "vpc-0mock" },
                    // As EKS reports it: IPv6 clusters get a /108 of fd00::/8 it picks, IPv4 ones 172.20.0.0/16 unless given one.
                    kubernetesNetworkConfig:
                        args.inputs.kubernetesNetworkConfig?.ipFamily === "ipv6"
                            ? { ...args.inputs.kubernetesNetworkConfig, serviceIpv6Cidr: "fd5a:2c8e:91b4::/108" }
                            : { ipFamily: "ipv4", serviceIpv4Cidr: "172.20.0.0/16", ...args.inputs.kubernetesNetworkConfig },
                    status: "ACTIVE",
                    name,
                };
            case "aws:eks/nodeGroup:NodeGroup":
                return { arn: arn("eks", `nodegroup/${args.inputs.clusterName}/${args.name}`), status: "ACTIVE", nodeGroupName: `${args.inputs.nodeGroupNamePrefix ?? ""}20261122`, name };
            case "aws:ec2/launchTemplate:LaunchTemplate":
                return { arn: arn("ec2", `launch-template/lt-${hex(++this.sequence)}`), latestVersion: 1, defaultVersion: 1, name };
            case "aws:eks/accessEntry:AccessEntry":
                return { accessEntryArn: arn("eks", `access-entry/${args.inputs.clusterName}/${args.name}`) };
            case "random:index/randomPassword:RandomPassword":
                return { result: `generated-${args.name}-Pw0rd`, bcryptHash: "$2a$10$mockmockmockmockmockmu" };
            case "random:index/randomString:RandomString":
                return { result: "abcdefghijklmnopqrstuv".slice(0, args.inputs.length ?? 22) };
            case "aws:wafv2/webAcl:WebAcl":
                return { arn: arn("wafv2", `regional/webacl/${name}/${hex(++this.sequence, 8)}-0000-4000-8000-000000000000`), name };
            case "aws:ecr/repository:Repository":
                return { arn: arn("ecr", `repository/${name}`), repositoryUrl: `${this.accountId}.dkr.ecr.${this.region}.amazonaws.com/${name}`, name };
            default:
                return { arn: arn(args.type.split(":")[1].split("/")[0], name), name };
        }
    }
}

/** Kubernetes versions the mocked EKS offers. */
export const MOCK_KUBERNETES_VERSIONS = ["1.33", "1.34", "1.35"];

/** Regions with more than three availability zones (as of 2026); the mocks give every other region three. */
const MOCK_ZONE_COUNTS: Record<string, number> = { "us-east-1": 6, "us-west-2": 4, "ap-northeast-2": 4 };

/** The mocked region's availability zones: `<region>a`, `<region>b`, … */
export function mockZones(region: string): string[] {
    return Array.from({ length: MOCK_ZONE_COUNTS[region] ?? 3 }, (_, i) => `${region}${String.fromCharCode(97 + i)}`);
}

/**
 * The preflight's read-only look-ups in an account that is ready for the stack: the region is
 * enabled, every asked-for role and user exists, every type and family is offered in every zone,
 * the Spot service-linked role exists, no GitHub OIDC provider and no ECR repository exist yet, the
 * Docker Hub credentials secret does.
 */
function accountLookup(token: string, inputs: Record<string, any>, region: string, accountId: string): Record<string, any> | undefined {
    const names = (regex: string | undefined) => (regex ? regex.replace(/^\^\(|\)\$$/g, "").split("|").map((n) => n.replace(/\\(.)/g, "$1")) : []);
    switch (token) {
        case "aws:index/getRegions:getRegions":
            return { names: [...new Set([region, "us-east-1", "us-west-2", "eu-west-1"])], id: "regions" };
        case "aws:iam/getAccountAlias:getAccountAlias":
            return { accountAlias: "eks-platform-test", id: accountId };
        case "aws:index/getAvailabilityZones:getAvailabilityZones":
            return { names: mockZones(region), zoneIds: mockZones(region).map((_, i) => `${region.replace(/-/g, "")}-az${i + 1}`), id: region };
        case "aws:ec2/getInstanceTypeOfferings:getInstanceTypeOfferings": {
            const values: string[] = inputs.filters?.[0]?.values ?? [];
            const types = values.flatMap((v) => (v.endsWith(".*") ? [`${v.slice(0, -2)}.large`, `${v.slice(0, -2)}.xlarge`] : [v]));
            const zones = mockZones(region);
            const pairs = types.flatMap((t) => zones.map((z) => [t, z]));
            return { instanceTypes: pairs.map((p) => p[0]), locations: pairs.map((p) => p[1]), locationTypes: pairs.map(() => "availability-zone"), id: region };
        }
        case "aws:eks/getClusterVersions:getClusterVersions":
            return { clusterVersions: MOCK_KUBERNETES_VERSIONS.map((v) => ({ clusterVersion: v, versionStatus: "STANDARD_SUPPORT" })), id: region };
        case "aws:iam/getRoles:getRoles":
            return inputs.pathPrefix === "/aws-service-role/spot.amazonaws.com/"
                ? { names: ["AWSServiceRoleForEC2Spot"], arns: [], id: "spot" }
                : { names: names(inputs.nameRegex), arns: [], id: "roles" };
        case "aws:iam/getUsers:getUsers":
            return { names: names(inputs.nameRegex), arns: [], id: "users" };
        case "aws:iam/getOpenIdConnectProvider:getOpenIdConnectProvider":
            throw invokeError("reading IAM OIDC Provider: couldn't find resource");
        case "aws:ecr/getRepositories:getRepositories":
            return { names: [], id: region };
        case "aws:eks/getClusters:getClusters":
            return { names: [], id: region };
        case "aws:cloudwatch/getLogGroups:getLogGroups":
            return { arns: [], logGroupNames: [], id: region };
        // The Docker Hub credentials of the pull-through cache exist (README, Before your first up).
        case "aws:secretsmanager/getSecret:getSecret": {
            const arn = `arn:aws:secretsmanager:${region}:${accountId}:secret:${inputs.name}-AbCdEf`;
            return { arn, name: inputs.name, id: arn };
        }
        default:
            return undefined;
    }
}

/** An invoke failure as the engine reports it: the SDK turns the gRPC `details` into the error message. */
export function invokeError(message: string): Error {
    return Object.assign(new Error(message), { details: message });
}

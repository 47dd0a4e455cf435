import * as pulumi from "@pulumi/pulumi";

export const ACCOUNT_ID = "111122223333";

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
}

export interface RecordedOptions {
    protect?: boolean;
    parent?: string;
    /** `type::name` of each explicit dependency. */
    dependsOn: string[];
    deletedWith?: string;
    providerName?: string;
}

let sequence = 0;
const hex = (n: number, width = 17) => n.toString(16).padStart(width, "0");

/** Outputs a real deployment would return for the remote components and invokes the program reads. */
export class PlatformMocks implements pulumi.runtime.Mocks {
    readonly registrations: Omit<RecordedResource, "opts">[] = [];

    constructor(private readonly region: string) {}

    newResource(args: pulumi.runtime.MockResourceArgs): { id: string | undefined; state: Record<string, any> } {
        this.registrations.push({ type: args.type, name: args.name, inputs: args.inputs, provider: args.provider, custom: args.custom ?? true });
        const id = args.custom === false ? undefined : `${args.name}-${hex(++sequence, 8)}`;
        return { id, state: { ...args.inputs, ...this.state(args) } };
    }

    call(args: pulumi.runtime.MockCallArgs): Record<string, any> {
        switch (args.token) {
            case "aws:index/getCallerIdentity:getCallerIdentity":
                return { accountId: ACCOUNT_ID, arn: `arn:aws:iam::${ACCOUNT_ID}:user/deployer`, userId: "AIDAEXAMPLE", id: ACCOUNT_ID };
            case "aws:index/getPartition:getPartition":
                return { partition: "aws", dnsSuffix: "amazonaws.com", reverseDnsPrefix: "com.amazonaws", id: "aws" };
            case "aws:index/getRegion:getRegion":
                return { name: this.region, region: this.region, id: this.region };
            case "aws:ec2/getRouteTables:getRouteTables": {
                const subnets: string[] = args.inputs.filters?.[0]?.values ?? [];
                return { ids: subnets.map((_, i) => `rtb-${hex(i + 1)}`), id: args.inputs.vpcId };
            }
            default:
                throw new Error(`no mock for invoke ${args.token}`);
        }
    }

    private state(args: pulumi.runtime.MockResourceArgs): Record<string, any> {
        const name = args.inputs.name ?? args.name;
        const arn = (service: string, resource: string) => `arn:aws:${service}:${this.region}:${ACCOUNT_ID}:${resource}`;
        switch (args.type) {
            case "awsx:ec2:Vpc": {
                const azs = args.inputs.numberOfAvailabilityZones ?? 3;
                const ids = (kind: string) => Array.from({ length: azs }, (_, i) => `subnet-${kind}${hex(i + 1, 16)}`);
                return { vpcId: `vpc-${hex(++sequence)}`, publicSubnetIds: ids("a"), privateSubnetIds: ids("b"), isolatedSubnetIds: [] };
            }
            case "aws:kms/key:Key":
                return { arn: arn("kms", `key/${args.name}`), keyId: `${args.name}-key-id` };
            case "aws:cloudwatch/logGroup:LogGroup":
                return { arn: arn("logs", `log-group:${args.inputs.name ?? args.inputs.namePrefix + args.name}`), name: args.inputs.name ?? `${args.inputs.namePrefix}${args.name}` };
            case "aws:iam/role:Role":
                return { arn: `arn:aws:iam::${ACCOUNT_ID}:role/${name}`, name };
            case "aws:iam/policy:Policy":
                return { arn: `arn:aws:iam::${ACCOUNT_ID}:policy/${name}`, name };
            case "aws:ecr/repository:Repository":
                return { arn: arn("ecr", `repository/${name}`), repositoryUrl: `${ACCOUNT_ID}.dkr.ecr.${this.region}.amazonaws.com/${name}`, name };
            default:
                return { arn: arn(args.type.split(":")[1].split("/")[0], name), name };
        }
    }
}

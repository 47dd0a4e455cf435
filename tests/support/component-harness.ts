import * as pulumi from "@pulumi/pulumi";
import { Cluster, ClusterArgs } from "../../components/cluster";
import { AwsContext } from "../../components/shared/aws-context";
import { KeyAdministration } from "../../components/shared/kms-key";
import { serialized, settle } from "../../tooling/offline/harness";
import { ACCOUNT_ID, DEPLOYER_SESSION_ARN, PlatformMocks, RecordedOptions, RecordedResource } from "../../tooling/offline/mocks";
import { PROJECT } from "../../tooling/offline/stack-files";

export const COMPONENT_TEST_AWS: AwsContext = { accountId: ACCOUNT_ID, partition: "aws", region: "us-west-2", callerArn: DEPLOYER_SESSION_ARN };

/** Key administration as the program builds it for a deployer role and one operators' role. */
export const COMPONENT_TEST_KEY_ADMINISTRATION: KeyAdministration = {
    administrators: [`arn:aws:iam::${ACCOUNT_ID}:role/platform-operators`],
    deployers: [`arn:aws:iam::${ACCOUNT_ID}:role/eks-platform-deploy-prod`],
};

/** The smallest valid Cluster: one admin (so no creator bootstrap warning), private endpoint, one small system node. */
export function minimalClusterArgs(overrides: Partial<ClusterArgs> = {}): ClusterArgs {
    return {
        name: "eks-unit",
        kubernetesVersion: "1.35",
        computeMode: "karpenter",
        vpcId: "vpc-0unit",
        privateSubnetIds: ["subnet-0unit1", "subnet-0unit2"],
        ipFamily: "ipv4",
        privateEgress: [],
        endpointPublicAccess: false,
        publicAccessCidrs: [],
        privateAccessCidrs: [],
        logRetentionDays: 7,
        logsKeyArn: `arn:aws:kms:us-west-2:${ACCOUNT_ID}:key/unit-logs`,
        adminPrincipals: ["role/eks-platform-deploy-prod"],
        namespaceAccess: [],
        bootstrapCreatorAdmin: false,
        systemNodes: { instanceTypes: ["t3.medium"], capacityType: "ON_DEMAND", minSize: 1, desiredSize: 1, maxSize: 2 },
        imageCachePrefix: "docker-hub-unit",
        ownerTags: { project: PROJECT, environment: "unit" },
        supportType: "STANDARD",
        zonalShift: true,
        aws: COMPONENT_TEST_AWS,
        keyAdministration: COMPONENT_TEST_KEY_ADMINISTRATION,
        protect: false,
        ...overrides,
    };
}

/** A Cluster named `cluster` with `minimalClusterArgs`, for add-ons that need one. */
export function minimalCluster(overrides: Partial<ClusterArgs> = {}): Cluster {
    return new Cluster("cluster", minimalClusterArgs(overrides));
}

export interface ComponentBuild<T> {
    /** What `construct` returned. */
    built: T;
    /** Every registration except the stack, with options as `type::name` references. */
    resources: RecordedResource[];
    /** Outputs of `construct`'s `outputs`, resolved. */
    outputs: Record<string, unknown>;
    ofType(type: string): RecordedResource[];
    /** The one resource of `type` (named `name` if given); fails if there is not exactly one. */
    one(type: string, name?: string): RecordedResource;
    /** `type::name` of a resource, as `opts.parent` and `opts.dependsOn` spell it. */
    key(r: RecordedResource): string;
}

/**
 * Builds components alone under the mock engine, with no stack config: `construct` creates them
 * (e.g. a minimal cluster and one add-on) and may return outputs to resolve. Runs in the queue the
 * stack builds use, and records options like the stack harness does. A throw from `construct` rejects.
 */
export function buildComponent<T>(
    construct: () => { built: T; outputs?: Record<string, pulumi.Input<unknown>> },
): Promise<ComponentBuild<T>> {
    return serialized(() => buildNow(construct));
}

async function buildNow<T>(construct: () => { built: T; outputs?: Record<string, pulumi.Input<unknown>> }): Promise<ComponentBuild<T>> {
    const mocks = new PlatformMocks(COMPONENT_TEST_AWS.region);
    await pulumi.runtime.setMocks(mocks, PROJECT, "unit", false);
    mocks.recordRequests();
    pulumi.runtime.setAllConfig({});
    const options = new Map<string, RecordedOptions>();
    const names = new Map<pulumi.Resource, string>();
    let failure: unknown;
    let built: T | undefined;
    const outputs = await pulumi.runtime.runInPulumiStack(async () => {
        pulumi.runtime.registerStackTransformation((args) => {
            names.set(args.resource, `${args.type}::${args.name}`);
            const ref = (r: unknown) => (r ? names.get(r as pulumi.Resource) : undefined);
            const provider = (args.opts as pulumi.CustomResourceOptions).provider;
            options.set(`${args.type}::${args.name}`, {
                protect: args.opts.protect,
                parent: ref(args.opts.parent),
                dependsOn: ([] as unknown[]).concat(args.opts.dependsOn ?? []).map(ref).filter((x): x is string => !!x),
                deletedWith: ref(args.opts.deletedWith),
                providerName: provider ? ref(provider) : undefined,
            });
            return undefined;
        });
        try {
            const result = construct();
            built = result.built;
            return result.outputs ?? {};
        } catch (err) {
            failure = err;
            return {};
        }
    });
    await settle(mocks);
    if (failure) throw failure;
    const resources: RecordedResource[] = mocks.registrations
        .filter((r) => r.type !== "pulumi:pulumi:Stack")
        .map((r) => ({ ...r, opts: options.get(`${r.type}::${r.name}`) ?? { dependsOn: [] }, engine: mocks.engineRequest(r.type, r.name) }));
    const ofType = (type: string) => resources.filter((r) => r.type === type);
    return {
        built: built as T,
        resources,
        outputs: (outputs ?? {}) as Record<string, unknown>,
        ofType,
        one: (type, name) => {
            const found = ofType(type).filter((r) => name === undefined || r.name === name);
            if (found.length !== 1) throw new Error(`expected one ${type}${name ? ` named ${name}` : ""}, found ${found.map((r) => r.name).join(", ") || "none"}`);
            return found[0];
        },
        key: (r) => `${r.type}::${r.name}`,
    };
}

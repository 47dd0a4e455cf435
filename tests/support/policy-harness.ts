import * as policySdk from "@pulumi/policy";
import { PolicyProviderResource, PolicyResource, PolicyResourceOptions, StackValidationArgs, StackValidationPolicy } from "@pulumi/policy";
import { specialSecretSig, specialSigKey } from "@pulumi/pulumi/runtime/rpc";
import { RecordedResource } from "../../tooling/offline/mocks";
import { PROJECT } from "../../tooling/offline/stack-files";

/**
 * The policy server wraps every resource's properties in this proxy, which throws when a value is
 * unknown during preview; exported at runtime, typed as internal.
 */
const unknownCheckingProxy = (policySdk as unknown as { unknownCheckingProxy: <T>(value: T) => T }).unknownCheckingProxy;

/** What one policy reported on one graph. */
export interface PolicyRun {
    violations: { message: string; urn?: string }[];
    /** What validateStack threw, if anything (the engine turns an unknown-value error into an advisory note). */
    error?: unknown;
}

/**
 * Property values as the engine hands them to stack policies: secrets unwrapped to their plain
 * value (policies cannot tell them apart), everything else as recorded.
 */
function engineValue(value: unknown): unknown {
    if (Array.isArray(value)) return value.map(engineValue);
    if (value === null || typeof value !== "object") return value;
    const record = value as Record<string, unknown>;
    if (record[specialSigKey] === specialSecretSig) return engineValue(record.value);
    return Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined).map(([k, v]) => [k, engineValue(v)]));
}

/** `type::name` of the provider a recorded reference (`<urn>::<id>`) points at. */
function providerKey(reference: string | undefined): string | undefined {
    if (!reference) return undefined;
    const urn = reference.slice(0, reference.lastIndexOf("::"));
    const [, , qualifiedType, name] = urn.split("::");
    return qualifiedType && name ? `${qualifiedType.split("$").pop()}::${name}` : undefined;
}

/**
 * The PolicyResource list `pulumi preview --policy-pack` would give a stack policy for these
 * recorded registrations: URNs as the engine builds them (parent types joined by `$`), props from
 * the inputs behind the unknown-checking proxy, options, the provider resource, parent and
 * dependencies as objects.
 */
export function policyResources(stack: string, records: readonly RecordedResource[]): PolicyResource[] {
    const byKey = new Map(records.map((r) => [`${r.type}::${r.name}`, r]));
    const qualifiedType = (r: RecordedResource): string => {
        const parent = r.opts.parent ? byKey.get(r.opts.parent) : undefined;
        return parent ? `${qualifiedType(parent)}$${r.type}` : r.type;
    };
    const urnOf = (r: RecordedResource) => `urn:pulumi:${stack}::${PROJECT}::${qualifiedType(r)}::${r.name}`;

    const converted = new Map<string, PolicyResource>();
    for (const r of records) {
        const type = r.type;
        const props = unknownCheckingProxy(engineValue(r.inputs) as Record<string, any>);
        const opts: PolicyResourceOptions = {
            protect: r.opts.protect === true,
            ignoreChanges: [],
            aliases: [],
            customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
            additionalSecretOutputs: [],
        };
        const parent = r.opts.parent ? byKey.get(r.opts.parent) : undefined;
        if (parent) opts.parent = urnOf(parent);
        const isType = (cls: { new (...rest: any[]): unknown }) => (cls as unknown as { __pulumiType?: string }).__pulumiType === type;
        converted.set(`${r.type}::${r.name}`, {
            type,
            props,
            urn: urnOf(r),
            name: r.name,
            opts,
            dependencies: [],
            propertyDependencies: {},
            isType,
            asType: ((cls: { new (...rest: any[]): unknown }) => (isType(cls) ? props : undefined)) as PolicyResource["asType"],
        });
    }
    for (const r of records) {
        const resource = converted.get(`${r.type}::${r.name}`)!;
        const provider = converted.get(providerKey(r.provider) ?? "");
        if (provider) resource.provider = { type: provider.type, props: provider.props, urn: provider.urn, name: provider.name } satisfies PolicyProviderResource;
        if (r.opts.parent) resource.parent = converted.get(r.opts.parent);
        resource.dependencies = r.opts.dependsOn.map((key) => converted.get(key)).filter((d): d is PolicyResource => d !== undefined);
    }
    return [...converted.values()];
}

/** Runs one stack policy the way the policy server does and collects what it reports. */
export async function runPolicy(policy: StackValidationPolicy, resources: PolicyResource[]): Promise<PolicyRun> {
    const violations: PolicyRun["violations"] = [];
    const args: StackValidationArgs = {
        resources,
        stackTags: new Map(),
        getConfig: <T extends object>() => ({}) as T,
        notApplicable: (reason?: string): never => {
            throw new Error(`notApplicable: ${reason}`);
        },
    };
    try {
        await policy.validateStack(args, (message, urn) => violations.push({ message, urn }));
    } catch (error) {
        return { violations, error };
    }
    return { violations };
}

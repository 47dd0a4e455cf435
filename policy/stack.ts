import { PolicyResource } from "@pulumi/policy";
import { orWhenUnknown } from "./unknowns";
import { isRecord, parseJson, stringMap } from "./values";
import { readWaivers } from "./waivers";

const AWS_PROVIDER = "pulumi:providers:aws";
/** Environment names that mean production, as the program's config validation reads them. */
const PRODUCTION = new Set(["prod", "production"]);

/** What every policy needs to know about the stack as a whole. */
export interface StackFacts {
    /** Stack name from the resources' URNs (`urn:pulumi:<stack>::…`). */
    stack?: string;
    /** `environment` tags found in AWS providers' default tags. */
    environments: string[];
    /** Either the environment tag or the stack name says production. */
    isProd: boolean;
    /** Waived check ids (waiver keys) and their reasons. */
    waivers: Map<string, string>;
}

/**
 * Prod is recognised from the graph, not from policy config: the explicit AWS provider's
 * `defaultTags.tags.environment` (the program sets it from `eks-platform:environment`), or a stack
 * named `prod`/`production`. Either one is enough, so a mislabelled prod stack still gets prod rules.
 */
export function stackFacts(resources: readonly PolicyResource[]): StackFacts {
    const environments = new Set<string>();
    for (const r of resources) {
        const providerProps = r.type === AWS_PROVIDER ? r.props : r.type.startsWith("aws:") ? r.provider?.props : undefined;
        const environment = orWhenUnknown(() => defaultTags(providerProps).environment, undefined);
        if (environment) environments.add(environment);
    }
    const stack = resources.map((r) => /^urn:pulumi:([^:]+)::/.exec(r.urn)?.[1]).find((s) => s !== undefined);
    const isProd = [...environments, stack].some((name) => name !== undefined && PRODUCTION.has(name.toLowerCase()));
    return { stack, environments: [...environments].sort(), isProd, waivers: readWaivers(resources) };
}

/**
 * The `tags` of an AWS provider's `defaultTags`. Provider inputs reach the engine JSON-encoded
 * (`"{\"tags\":{…}}"`), so both that and the object form are read.
 */
export function defaultTags(providerProps: Record<string, unknown> | undefined): Record<string, string> {
    if (!providerProps) return {};
    const parsed = parseJson(providerProps.defaultTags);
    return parsed.ok && isRecord(parsed.value) ? stringMap(parsed.value.tags) : {};
}

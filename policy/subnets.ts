import { PolicyResource } from "@pulumi/policy";
import { orWhenUnknown } from "./unknowns";
import { isTrue, list, nonEmptyString, stringMap } from "./values";

const SUBNET = "aws:ec2/subnet:Subnet";
const AWSX_VPC = "awsx:ec2:Vpc";

/** A subnet (or an awsx subnet spec, which has tags but no id) whose public/private side the graph shows. */
export interface KnownSubnet {
    id?: string;
    tags: Record<string, string>;
    public: boolean;
    /** Where the graph says so, for messages. */
    source: string;
}

/**
 * Every subnet whose side the graph reveals:
 * - `aws:ec2/subnet:Subnet` resources (the awsx VPC's children in a real deployment): public when
 *   they map public IPs on launch or carry the `kubernetes.io/role/elb` tag;
 * - an awsx VPC's `publicSubnetIds` / `privateSubnetIds` / `isolatedSubnetIds` outputs;
 * - an awsx VPC's `subnetSpecs` input: type and tags, no ids (what the mocked graph shows).
 * A value unknown during preview only hides that one subnet.
 */
export function knownSubnets(resources: readonly PolicyResource[]): KnownSubnet[] {
    const known: KnownSubnet[] = [];
    for (const r of resources) {
        if (r.type === SUBNET) {
            // A new subnet's id is unknown during preview; its tags and public-IP flag are not.
            const id = orWhenUnknown(() => (nonEmptyString(r.props.id) ? r.props.id : undefined), undefined);
            const subnet = orWhenUnknown((): KnownSubnet => {
                const tags = stringMap(r.props.tags);
                const isPublic = isTrue(r.props.mapPublicIpOnLaunch) || tags["kubernetes.io/role/elb"] !== undefined;
                return { id, tags, public: isPublic, source: `subnet ${r.name}` };
            }, undefined);
            if (subnet) known.push(subnet);
        }
        if (r.type === AWSX_VPC) {
            const sides: [string, boolean][] = [["publicSubnetIds", true], ["privateSubnetIds", false], ["isolatedSubnetIds", false]];
            for (const [field, isPublic] of sides) {
                const ids = orWhenUnknown(() => list(r.props[field] as string[] | undefined).filter(nonEmptyString), []);
                for (const id of ids) known.push({ id, tags: {}, public: isPublic, source: `${r.name}.${field}` });
            }
            const specs = orWhenUnknown(() => list(r.props.subnetSpecs as { type?: string; name?: string; tags?: unknown }[] | undefined), []);
            for (const spec of specs) {
                known.push({ tags: stringMap(spec.tags), public: spec.type === "Public", source: `${r.name} subnet spec ${spec.name ?? spec.type}` });
            }
        }
    }
    return known;
}

/** Karpenter-style tag selector: every selector tag present, `*` matching any value. */
export function matchesTags(selector: Record<string, string>, tags: Record<string, string>): boolean {
    const entries = Object.entries(selector);
    return entries.length > 0 && entries.every(([key, value]) => tags[key] !== undefined && (value === "*" || tags[key] === value));
}

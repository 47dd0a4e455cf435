import { contains, parseIpv4Cidr } from "./cidr";
import { ConfigReader, Reads } from "./reader";
import { LINK_LOCAL } from "../../components/shared/egress-policy";

type EgressKeys = Reads<{ tenantEgress: "array"; gitopsEnvironments: "array"; gitopsRepoUrl: "string"; vpcCidr: "string" }>;

/** Where an environment reaches when `tenantEgress` does not list it: the internet and AWS APIs. */
export const DEFAULT_TENANT_EGRESS = ["0.0.0.0/0"];

/**
 * `tenantEgress` as CIDRs per application namespace (an empty list: no egress on 443). A CIDR that lies
 * wholly inside a range the policies always cut out would allow nothing, so it is refused; one that merely
 * contains such a range keeps it cut out.
 */
export function readTenantEgress(r: ConfigReader<EgressKeys>, environments: string[], vpcCidr: string, otherStackCidrs: Record<string, string>): Record<string, string[]> {
    const entries = r.get("tenantEgress");
    const egress: Record<string, string[]> = Object.fromEntries(environments.map((env) => [env, DEFAULT_TENANT_EGRESS]));
    if (!r.ok("tenantEgress", "gitopsEnvironments", "gitopsRepoUrl")) return egress;
    if (entries.length > 0 && !r.get("gitopsRepoUrl")) {
        r.reject("tenantEgress", entries, "gitopsRepoUrl is empty, so there are no application namespaces to give egress to");
        return egress;
    }
    const closed: [string, string][] = [
        [LINK_LOCAL, "link-local addresses (the instance metadata service)"],
        ...(r.ok("vpcCidr") ? [[vpcCidr, `this stack's own vpcCidr ${vpcCidr}; pods reach each other only through the policies' explicit allows`] as [string, string]] : []),
        ...Object.entries(otherStackCidrs).map(([stack, cidr]): [string, string] => [cidr, `stack "${stack}"'s vpcCidr ${cidr}`]),
    ];
    const listed = new Map<string, string[]>();
    for (const entry of entries) {
        const eq = entry.indexOf("=");
        const env = entry.slice(0, eq);
        const target = entry.slice(eq + 1);
        if (!environments.includes(env)) {
            r.reject("tenantEgress", entry, `${env} is not one of gitopsEnvironments (${environments.join(", ") || "none set"})`);
            continue;
        }
        const cidr = parseIpv4Cidr(target);
        const inside = cidr && closed.find(([c]) => {
            const range = parseIpv4Cidr(c);
            return range !== undefined && contains(range, cidr);
        });
        if (inside) r.reject("tenantEgress", entry, `${target} lies inside ${inside[1]}, which application pods may never reach on 443`);
        listed.set(env, [...(listed.get(env) ?? []), target]);
    }
    for (const [env, targets] of listed) {
        if (targets.includes("none") && targets.length > 1) r.reject("tenantEgress", targets.map((t) => `${env}=${t}`), `${env}=none means no egress, so ${env} takes no CIDR besides it`);
        egress[env] = targets.filter((t) => t !== "none");
    }
    return egress;
}

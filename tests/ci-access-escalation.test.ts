import { expect } from "chai";
import { ConfigError } from "../stacks/config/reader";
import { otherStackCidrs } from "../stacks/config/load";
import { validateConfig } from "../stacks/config/validate";
import { Request, decide, globMatch, tagContext } from "./support/iam-engine";
import { StackGraph } from "../tooling/offline/harness";
import { ACCOUNT_ID } from "../tooling/offline/mocks";
import { PROJECT, configWith, fixturesDir, stackFileConfig } from "../tooling/offline/stack-files";
import { useStacks } from "./support/use-stacks";
import { trustsEc2 } from "../components/ci-access/boundary";
import { deployPolicyDocuments } from "./support/deploy-documents";

const ROLE = "aws:iam/role:Role";
const list = (x: unknown): any[] => (x === undefined ? [] : Array.isArray(x) ? x : [x]);
const stackFileValue = (stack: string, key: string): unknown => stackFileConfig(stack, fixturesDir)[`${PROJECT}:${key}`];

/** The escalation paths the review found, asked of the CI roles of every fixture stack as the stack builds them. */
describe("CiAccess in every fixture stack: no path to administrator", () => {
    const stacks = useStacks();
    const arnOf = (resource: string) => `arn:aws:iam::${ACCOUNT_ID}:${resource}`;
    const ciOf = (g: StackGraph) => {
        const env = g.stack;
        const doc = (type: string, name: string) => JSON.parse(g.one(type, name).inputs.policy);
        return {
            env,
            other: env === "dev" ? "prod" : "dev",
            deploy: deployPolicyDocuments(g),
            boundary: doc("aws:iam/policy:Policy", "ci-access-boundary"),
            boundaryArn: arnOf(`policy/eks-platform-deploy-${env}-boundary`),
            nodeBoundary: doc("aws:iam/policy:Policy", "ci-access-node-boundary"),
            nodeBoundaryArn: arnOf(`policy/eks-platform-deploy-${env}-node-boundary`),
            preview: [doc("aws:iam/rolePolicy:RolePolicy", "ci-access-preview-read")],
        };
    };
    const owned = (environment: string) => ({ project: PROJECT, environment });
    const each = async (fn: (ci: ReturnType<typeof ciOf>, g: StackGraph) => Promise<void>) => {
        expect(stacks.withCi.length).to.be.at.least(2);
        for (const g of stacks.withCi) await fn(ciOf(g), g);
    };
    /** The engine's decision for a caller with these identity policies (a role of the test account). */
    const evaluate = (identity: any[], r: Request) => decide({ identity }, r);

    it("cannot tag another environment's (or an untagged) role, policy or instance profile as its own", async () => {
        await each(async (ci) => {
            for (const [action, resource] of [["iam:TagRole", "role/admin"], ["iam:TagPolicy", "policy/admin"], ["iam:TagInstanceProfile", "instance-profile/x"]]) {
                const retag = (resourceTags: Record<string, string>) =>
                    evaluate(ci.deploy, { action, resource: arnOf(resource), context: tagContext(resourceTags, owned(ci.env)) });
                expect(await retag(owned(ci.other)), `${ci.env}: ${action} of a ${ci.other} resource`).to.not.equal("allow");
                expect(await retag({}), `${ci.env}: ${action} of an untagged resource`).to.not.equal("allow");
                expect(await retag(owned(ci.env)), `${ci.env}: ${action} of its own resource`).to.equal("allow");
            }
        });
    });

    it("cannot change another environment's role's trust or policies, nor its own without the boundary", async () => {
        await each(async (ci) => {
            for (const action of ["iam:UpdateAssumeRolePolicy", "iam:AttachRolePolicy", "iam:PutRolePolicy"]) {
                const change = (tags: Record<string, string>, boundary?: string) =>
                    evaluate(ci.deploy, { action, resource: arnOf("role/x"), context: { ...tagContext(tags), "iam:PermissionsBoundary": boundary } });
                expect(await change(owned(ci.other), ci.boundaryArn), `${ci.env}: ${action} on a ${ci.other} role`).to.not.equal("allow");
                expect(await change(owned(ci.env)), `${ci.env}: ${action} on a role without the boundary`).to.not.equal("allow");
                expect(await change(owned(ci.env), ci.boundaryArn), `${ci.env}: ${action} on its own bounded role`).to.equal("allow");
            }
        });
    });

    it("creates roles only under its boundary, never removes or swaps a boundary, never strips the owner tags", async () => {
        await each(async (ci) => {
            const create = (boundary?: string) =>
                evaluate(ci.deploy, { action: "iam:CreateRole", resource: arnOf("role/new"), context: { ...tagContext({}, owned(ci.env)), "iam:PermissionsBoundary": boundary } });
            expect(await create(), `${ci.env}: CreateRole without a boundary`).to.not.equal("allow");
            expect(await create(arnOf("policy/AdministratorAccess")), `${ci.env}: CreateRole with another boundary`).to.equal("deny");
            expect(await create(ci.boundaryArn), `${ci.env}: CreateRole with the boundary`).to.equal("allow");
            const own = tagContext(owned(ci.env));
            expect(await evaluate(ci.deploy, { action: "iam:DeleteRolePermissionsBoundary", resource: arnOf("role/x"), context: own })).to.equal("deny");
            expect(await evaluate(ci.deploy, { action: "iam:PutRolePermissionsBoundary", resource: arnOf("role/x"), context: { ...own, "iam:PermissionsBoundary": arnOf("policy/other") } })).to.equal("deny");
            expect(await evaluate(ci.deploy, { action: "iam:UntagRole", resource: arnOf("role/x"), context: { ...own, "aws:TagKeys": ["environment"] } })).to.equal("deny");
            expect(await evaluate(ci.deploy, { action: "iam:CreatePolicy", resource: arnOf("policy/p"), context: tagContext({}, owned(ci.other)) })).to.not.equal("allow");
        });
    });

    it("passes only its environment's roles, only to the platform's services", async () => {
        await each(async (ci) => {
            const pass = (tags: Record<string, string>, service: string) =>
                evaluate(ci.deploy, { action: "iam:PassRole", resource: arnOf("role/any"), context: { ...tagContext(tags), "iam:PassedToService": service } });
            expect(await pass({}, "eks.amazonaws.com"), "an arbitrary role").to.not.equal("allow");
            expect(await pass(owned(ci.other), "eks.amazonaws.com"), "another environment's role").to.not.equal("allow");
            expect(await pass(owned(ci.env), "lambda.amazonaws.com"), "to another service").to.not.equal("allow");
            expect(await pass(owned(ci.env), "eks.amazonaws.com")).to.equal("allow");
        });
    });

    it("never touches CI's own roles, policies, boundary or provider, nor attaches administrator policies", async () => {
        await each(async (ci) => {
            const bounded = { ...tagContext(owned(ci.env)), "iam:PermissionsBoundary": ci.boundaryArn };
            for (const resource of [`role/eks-platform-deploy-${ci.env}`, `role/eks-platform-preview-${ci.env}`, `role/eks-platform-ecr-push-${ci.env}-myapp`]) {
                for (const action of ["iam:UpdateAssumeRolePolicy", "iam:PutRolePolicy", "iam:AttachRolePolicy", "iam:TagRole"]) {
                    expect(await evaluate(ci.deploy, { action, resource: arnOf(resource), context: bounded }), `${action} ${resource}`).to.equal("deny");
                }
            }
            for (const action of ["iam:CreatePolicyVersion", "iam:TagPolicy"]) {
                expect(await evaluate(ci.deploy, { action, resource: ci.boundaryArn, context: tagContext(owned(ci.env), owned(ci.env)) }), action).to.equal("deny");
            }
            const attach = { ...bounded, "iam:PolicyARN": "arn:aws:iam::aws:policy/AdministratorAccess" };
            expect(await evaluate(ci.deploy, { action: "iam:AttachRolePolicy", resource: arnOf("role/x"), context: attach })).to.equal("deny");
        });
    });

    it("can neither delete nor disable a KMS key, and changes key policies only of its own environment's keys", async () => {
        await each(async (ci, g) => {
            const key = `arn:aws:kms:us-west-2:${ACCOUNT_ID}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
            // KMS asks the key's own policy too: the stack's (which names CI's deploy role as a deployer).
            const keyPolicy = JSON.parse(g.ofType("aws:kms/key:Key")[0].inputs.policy);
            const ask = (action: string, tags: Record<string, string>, bypass = "false") =>
                decide(
                    { identity: ci.deploy, resourcePolicy: keyPolicy },
                    { action, resource: key, principal: arnOf(`role/eks-platform-deploy-${ci.env}`), context: { ...tagContext(tags), "kms:BypassPolicyLockoutSafetyCheck": bypass } },
                );
            for (const action of ["kms:ScheduleKeyDeletion", "kms:DisableKey"]) expect(await ask(action, owned(ci.env)), action).to.equal("deny");
            expect(await ask("kms:PutKeyPolicy", owned(ci.other))).to.equal("deny");
            expect(await ask("kms:PutKeyPolicy", {})).to.equal("deny");
            expect(await ask("kms:PutKeyPolicy", owned(ci.env))).to.equal("allow");
            // Skipping the lockout-safety check would let a deployer lock everyone else out of its own key.
            expect(await ask("kms:PutKeyPolicy", owned(ci.env), "true")).to.equal("deny");
        });
    });

    it("reads no secret outside the environment's prefixes; the preview role reads no secret and no other bucket", async () => {
        await each(async (ci, g) => {
            const secret = (name: string) => `arn:aws:secretsmanager:us-west-2:${ACCOUNT_ID}:secret:${name}`;
            expect(await evaluate(ci.deploy, { action: "secretsmanager:GetSecretValue", resource: secret("other-team/db-AbCdEf") })).to.equal("deny");
            expect(await evaluate(ci.preview, { action: "secretsmanager:GetSecretValue", resource: secret("other-team/db-AbCdEf") })).to.not.equal("allow");
            const state = String(stackFileValue(g.stack, "ciStateBucket"));
            expect(await evaluate(ci.preview, { action: "s3:GetObject", resource: `arn:aws:s3:::${state}/.pulumi/stacks/eks-platform/${g.stack}.json` })).to.equal("allow");
            expect(await evaluate(ci.preview, { action: "s3:GetObject", resource: "arn:aws:s3:::someone-elses-bucket/data.csv" })).to.not.equal("allow");
            expect(await evaluate(ci.preview, { action: "s3:PutObject", resource: `arn:aws:s3:::${state}/.pulumi/stacks/eks-platform/${g.stack}.json` })).to.not.equal("allow");
            for (const action of ["ec2:RunInstances", "eks:DeleteCluster", "iam:CreateRole", "kms:Decrypt"]) {
                expect(await evaluate(ci.preview, { action, resource: "*" }), action).to.not.equal("allow");
            }
        });
    });

    it("puts the boundary on every role the platform creates, and under it no role can create or empower another", async () => {
        await each(async (ci, g) => {
            const platformRoles = g.ofType(ROLE).filter((r) => !String(r.inputs.name ?? "").startsWith("eks-platform-"));
            expect(platformRoles.length, g.stack).to.be.at.least(4);
            // EC2 instance roles (nodes) carry the node boundary, every other role the workloads' one.
            for (const role of platformRoles) expect(role.inputs.permissionsBoundary, role.name).to.equal(trustsEc2(role.inputs.assumeRolePolicy) ? ci.nodeBoundaryArn : ci.boundaryArn);
            for (const boundary of [ci.boundary, ci.nodeBoundary]) {
                for (const action of ["iam:CreateRole", "iam:PutRolePolicy", "iam:AttachRolePolicy", "iam:UpdateAssumeRolePolicy", "iam:CreatePolicyVersion", "iam:CreateAccessKey", "iam:PutRolePermissionsBoundary"]) {
                    expect(await evaluate([boundary], { action, resource: arnOf("role/x") }), `${g.stack} boundary: ${action}`).to.not.equal("allow");
                }
                expect(await evaluate([boundary], { action: "iam:PassRole", resource: arnOf("role/x"), context: { "iam:PassedToService": "lambda.amazonaws.com" } })).to.not.equal("allow");
                for (const action of ["kms:ScheduleKeyDeletion", "kms:PutKeyPolicy"]) expect(await evaluate([boundary], { action, resource: "*" })).to.equal("deny");
            }
        });
    });

    it("leaves every action the platform's roles are given inside the boundary (it constrains, it does not break them)", async () => {
        await each(async (ci, g) => {
            // Each role against its own boundary, asked of the real engine in tests/ci-access-boundary.test.ts; here, by name.
            const boundaryAllows = [ci.boundary, ci.nodeBoundary].flatMap((b) => list(b.Statement)).filter((s: any) => s.Effect === "Allow").flatMap((s: any) => list(s.Action)) as string[];
            const inside = (action: string) => boundaryAllows.some((pattern) => globMatch(pattern, action, true));
            const roles = new Set(g.ofType(ROLE).filter((r) => r.inputs.permissionsBoundary).map((r) => r.name));
            const docs = g.ofType("aws:iam/rolePolicy:RolePolicy").map((r) => ({ where: r.name, doc: JSON.parse(r.inputs.policy) }));
            expect(roles.size).to.be.at.least(4);
            const outside = docs.flatMap(({ where, doc }) =>
                list(doc.Statement).filter((s: any) => s.Effect === "Allow").flatMap((s: any) => list(s.Action)).filter((a: string) => !inside(a)).map((a: string) => `${where}: ${a}`),
            );
            expect(outside.filter((o) => !o.startsWith("ci-access-")), g.stack).to.deep.equal([]);
        });
    });
});

describe("CI access config: pins, state location, reviewed previews, applications", () => {
    const errorFor = (stack: "dev" | "prod", overrides: Record<string, unknown>): string => {
        try {
            validateConfig({ project: PROJECT, stack, values: configWith(stack, overrides), otherStackCidrs: otherStackCidrs(fixturesDir, PROJECT, stack) });
        } catch (err) {
            expect(err).to.be.instanceOf(ConfigError);
            return (err as Error).message;
        }
        throw new Error(`config with ${JSON.stringify(overrides)} was accepted`);
    };

    it("requires the repository's ids and the state bucket with ciRepository, each named with what is allowed", () => {
        for (const key of ["ciRepositoryId", "ciRepositoryOwnerId", "ciStateBucket"]) {
            expect(errorFor("dev", { [key]: undefined }), key).to.include(`eks-platform:${key}: got "" (required when ciRepository is set)`);
        }
        expect(errorFor("dev", { ciRepositoryId: "octo-platform" })).to.include('eks-platform:ciRepositoryId: got "octo-platform"; allowed: empty, or the repository\'s numeric id');
        expect(errorFor("dev", { ciStateBucket: "s3://bucket" })).to.include('eks-platform:ciStateBucket: got "s3://bucket"');
    });

    it("refuses a prod stack whose pull-request previews would not wait for a reviewer", () => {
        expect(errorFor("prod", { ciPreviewEnvironment: undefined })).to.include("eks-platform:ciPreviewEnvironment: got \"\" (required in prod when ciRepository is set");
    });

    it("refuses an application entry that is malformed or names an ECR repository the stack does not create", () => {
        expect(errorFor("dev", { ciApplications: ["octo-platform/myapp=myapp"] })).to.include('eks-platform:ciApplications: got "octo-platform/myapp=myapp"; allowed:');
        expect(errorFor("dev", { ciApplications: ["octo-platform/myapp#148930217/803412557=other"] })).to.include(
            'eks-platform:ciApplications: got "octo-platform/myapp#148930217/803412557=other" (ECR repository "other" is not one of ecrRepositories (myapp, platform/tools))',
        );
    });
});

import { expect } from "chai";
import { MANAGED_POLICY_MAX_CHARS, splitPolicyDocument } from "../components/shared/iam";
import { useStacks } from "./support/use-stacks";
import { devWithOptionalFeatures } from "./support/variants";

/** IAM's quotas on documents (whitespace not counted): what `pulumi up` would otherwise learn from a LimitExceeded. */
const INLINE_PER_ROLE_MAX_CHARS = 10_240;
const TRUST_POLICY_MAX_CHARS = 2_048;
const compact = (json: string) => JSON.stringify(JSON.parse(json)).length;

describe("IAM documents within IAM's size quotas (every fixture stack and the optional-features variant)", () => {
    const stacks = useStacks();

    it("keeps every managed policy, every role's inline policies and every trust policy under IAM's limits", async () => {
        const problems: string[] = [];
        for (const g of [...stacks.all, await devWithOptionalFeatures()]) {
            for (const p of g.ofType("aws:iam/policy:Policy")) if (compact(p.inputs.policy) > MANAGED_POLICY_MAX_CHARS) problems.push(`${g.stack}: policy ${p.name} is ${compact(p.inputs.policy)} characters`);
            const inline = new Map<string, number>();
            for (const p of g.ofType("aws:iam/rolePolicy:RolePolicy")) inline.set(String(p.inputs.role), (inline.get(String(p.inputs.role)) ?? 0) + compact(p.inputs.policy));
            for (const [role, total] of inline) if (total > INLINE_PER_ROLE_MAX_CHARS) problems.push(`${g.stack}: role ${role} has ${total} characters of inline policies`);
            for (const r of g.ofType("aws:iam/role:Role")) if (compact(r.inputs.assumeRolePolicy) > TRUST_POLICY_MAX_CHARS) problems.push(`${g.stack}: trust policy of ${r.name} is ${compact(r.inputs.assumeRolePolicy)} characters`);
        }
        expect(problems).to.deep.equal([]);
    });

    it("splits a document into parts under the limit, in order, and refuses a statement too large for any part", () => {
        const statement = (i: number) => ({ Sid: `S${i}`, Effect: "Allow" as const, Action: "s3:GetObject", Resource: `arn:aws:s3:::bucket-${"x".repeat(200)}/${i}` });
        const parts = splitPolicyDocument({ Statement: Array.from({ length: 60 }, (_, i) => statement(i)) });
        expect(parts.length).to.be.greaterThan(1);
        for (const part of parts) expect(JSON.stringify(part).length).to.be.at.most(MANAGED_POLICY_MAX_CHARS);
        expect(parts.flatMap((p) => (p.Statement as any[]).map((s) => s.Sid))).to.deep.equal(Array.from({ length: 60 }, (_, i) => `S${i}`));
        expect(() => splitPolicyDocument({ Statement: [{ ...statement(0), Resource: "x".repeat(7000) }] })).to.throw(/alone may exceed 6144/);
    });
});

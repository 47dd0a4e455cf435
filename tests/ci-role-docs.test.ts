import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { ciRoleDocs, withCiRoleDocs } from "./support/ci-role-docs";
import { projectRoot } from "../tooling/offline/paths";
import { useStacks } from "./support/use-stacks";

describe("README: what each CI role may do", () => {
    const stacks = useStacks();
    const readmePath = path.join(projectRoot, "README.md");

    it("is the table the fixture stacks' own policies produce, statement by statement", () => {
        const readme = fs.readFileSync(readmePath, "utf8");
        const expected = withCiRoleDocs(readme, ciRoleDocs(stacks.withCi));
        // `npm run ci:docs` rewrites the section instead of comparing.
        if (process.env.WRITE_CI_DOCS === "1") {
            fs.writeFileSync(readmePath, expected);
            return;
        }
        expect(readme === expected, "README.md's CI role table is stale: run `npm run ci:docs`").to.equal(true);
    });

    it("would notice a statement added to a role", () => {
        const section = ciRoleDocs(stacks.withCi);
        const g = stacks.dev;
        const deploy = g.ofType("aws:iam/policy:Policy").find((r) => r.name === "ci-access-deploy-iam")!;
        const original = deploy.inputs.policy;
        try {
            const doc = JSON.parse(original);
            doc.Statement.push({ Sid: "Added", Effect: "Allow", Action: "iam:CreateUser", Resource: "*" });
            deploy.inputs.policy = JSON.stringify(doc);
            const changed = ciRoleDocs(stacks.withCi);
            expect(changed).to.not.equal(section);
            expect(changed).to.contain("| Added | Allow | iam:CreateUser | * |  | dev |");
        } finally {
            deploy.inputs.policy = original;
        }
    });
});

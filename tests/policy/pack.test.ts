import { StackValidationPolicy } from "@pulumi/policy";
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { POLICY_WAIVERS_TYPE } from "../../components/shared/policy-waivers";
import { policies, securityChecks } from "../../policy/policies";
import { WAIVERS_TYPE, readWaivers } from "../../policy/waivers";
import { stackGraph } from "../../tooling/offline/harness";
import { projectRoot } from "../../tooling/offline/paths";
import { checklistIds, checklistPath, checklistText } from "../support/policy-checklist";
import { graphResources, reported } from "../support/policy-builders";
import { runPolicy } from "../support/policy-harness";
import { fixturesDir, stackFileConfig } from "../../tooling/offline/stack-files";
import { stackNames } from "../support/stacks";
import { CASES_BY_AREA } from "./cases";

describe("policy pack", () => {
    describe("layout", () => {
        it("exports one mandatory stack policy per check, uniquely named, its description led by its checklist ids", () => {
            expect(policies.map((p) => p.name)).to.deep.equal(securityChecks.map((c) => c.name));
            expect(new Set(policies.map((p) => p.name)).size).to.equal(policies.length);
            securityChecks.forEach((check, i) => {
                const p = policies[i] as StackValidationPolicy & { validateResource?: unknown };
                expect(p.enforcementLevel, p.name).to.equal("mandatory");
                expect(p.validateStack, p.name).to.be.a("function");
                expect(p.validateResource, p.name).to.equal(undefined);
                expect(check.checks.length, p.name).to.be.greaterThan(0);
                expect(p.description, p.name).to.match(new RegExp(`^${check.checks.join(", ").replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}: \\S`));
            });
        });

        it("names only checklist ids, plus its own BP ids", function () {
            const text = checklistText();
            if (text === undefined) {
                if (process.env.EKS_PLATFORM_REQUIRE_REFERENCE === "1") throw new Error(`EKS_PLATFORM_REQUIRE_REFERENCE=1 but ${checklistPath} is missing`);
                console.log(`  (skipping checklist-id test: ${checklistPath} not found)`);
                this.skip();
            }
            const known = checklistIds(text!);
            const unknown = securityChecks.flatMap((c) => c.checks).filter((id) => !known.has(id));
            expect([...new Set(unknown)].sort()).to.deep.equal(["BP ci", "BP dns", "BP helm secrets", "BP ingress class", "BP kms guard", "BP pod security", "BP queue source", "BP secret store scope", "BP tags", "BP waf"]);
        });

        it("is a local Node.js pack whose entry point only starts the server and which installs nothing of its own", () => {
            const dir = path.join(projectRoot, "policy");
            expect(parse(fs.readFileSync(path.join(dir, "PulumiPolicy.yaml"), "utf8"))).to.include({ runtime: "nodejs" });
            const pkg = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8"));
            // PolicyPack reads its version from the package.json in its working directory, the pack's folder.
            expect(pkg.version).to.match(/^\d+\.\d+\.\d+$/);
            expect(pkg).to.not.have.any.keys("dependencies", "devDependencies", "peerDependencies", "scripts");
            const imports = [...fs.readFileSync(path.join(dir, "index.ts"), "utf8").matchAll(/from "([^"]+)"/g)].map((m) => m[1]);
            expect(imports).to.deep.equal(["@pulumi/policy", "./policies"]);
        });

        it("is type-checked by npm test under strict mode", () => {
            const tsconfig = JSON.parse(fs.readFileSync(path.join(projectRoot, "tsconfig.json"), "utf8"));
            expect(tsconfig.include).to.include("policy/**/*.ts");
            expect(tsconfig.compilerOptions.strict).to.equal(true);
        });

        it("reads waivers from the component type the program registers: exactly those the stack file lists", async () => {
            expect(WAIVERS_TYPE).to.equal(POLICY_WAIVERS_TYPE);
            const read = async (stack: string) => [...readWaivers(graphResources(await stackGraph(stack))).keys()].sort();
            const listed = (stack: string) =>
                ((stackFileConfig(stack)["eks-platform:policyWaivers"] ?? []) as string[]).map((entry) => entry.slice(0, entry.indexOf(":")).trim()).sort();
            for (const stack of stackNames(fixturesDir)) expect(await read(stack), stack).to.deep.equal(listed(stack));
            expect(await read("dev")).to.include.members(["CKV_AWS_38", "CIS_4.1.1"]);
            expect(await read("prod")).to.include("CIS_4.1.1").and.not.include("CKV_AWS_38");
        });
    });

    describe("on the fixture stacks", () => {
        for (const stack of stackNames(fixturesDir)) {
            for (const p of policies) {
                it(`${stack}: ${p.name} reports nothing`, async () => {
                    const run = await runPolicy(p, graphResources(await stackGraph(stack)));
                    expect(run.error, String(run.error)).to.equal(undefined);
                    expect(reported(run)).to.deep.equal([]);
                });
            }
        }

        it("gives every policy something to inspect, except those for charts the program may not install yet", async () => {
            const resources = (await Promise.all(stackNames(fixturesDir).map((stack) => stackGraph(stack)))).flatMap((g) => g.resources);
            const idle = securityChecks.filter((c) => !resources.some((r) => c.appliesTo(r.type))).map((c) => c.name);
            // waf-web-acl: the fixtures' ALBs are internal (no certificate); tests/policy/waf.test.ts runs it on a stack with an internet-facing one.
            expect(idle.filter((name) => !["argocd-values", "grafana-admin-from-secret", "waf-web-acl"].includes(name))).to.deep.equal([]);
        });
    });

    describe("hand-built fixtures", () => {
        it("come in one case module per area, each run by its own tests/policy/<area>.test.ts", () => {
            const dir = path.join(projectRoot, "tests", "policy");
            const modules = fs.readdirSync(path.join(dir, "cases")).filter((f) => f.endsWith(".ts") && f !== "index.ts").map((f) => f.slice(0, -3));
            expect(Object.keys(CASES_BY_AREA).sort()).to.deep.equal(modules.sort());
            for (const area of modules) expect(fs.readFileSync(path.join(dir, `${area}.test.ts`), "utf8"), area).to.match(/describeFixtureCases\(\w+Cases\)/);
        });

        it("has a fixture that every policy reports on", () => {
            const covered = new Set(Object.values(CASES_BY_AREA).flat().filter((c) => c.expected.length > 0).map((c) => c.policy));
            expect(policies.map((p) => p.name).filter((name) => !covered.has(name))).to.deep.equal([]);
        });
    });
});

import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { MANAGED_ADDONS } from "../components/versions";
import { projectRoot } from "../tooling/offline/paths";
import { StackGraph } from "../tooling/offline/harness";
import { useStacks } from "./support/use-stacks";

const readme = fs.readFileSync(path.join(projectRoot, "README.md"), "utf8");

// Issue 19, Why 10: figures and lists the README states that the code (or the stacks as shipped, which the
// fixtures keep for these keys) determines.
describe("README claims the code determines", () => {
    const stacks = useStacks();

    it("lists every EKS managed add-on wherever it lists them", () => {
        const lists = [...readme.matchAll(/\(([^()]*\bvpc-cni\b[^()]*\bkube-proxy\b[^()]*)\)/g)].map((m) => m[1]);
        expect(lists.length, "the Cluster row and the upgrade checklist").to.be.at.least(2);
        for (const list of lists) for (const addon of MANAGED_ADDONS) expect(list, addon).to.match(new RegExp(`\\b${addon}\\b`));
        const installed = new Set([...stacks.dev.ofType("aws:eks/addon:Addon"), ...stacks.prod.ofType("aws:eks/addon:Addon")].map((a) => a.inputs.addonName));
        expect([...installed]).to.have.members([...MANAGED_ADDONS]);
    });

    it("gives the dev and prod fixtures' log retention as they build it", () => {
        // Flow logs, control-plane logs and container logs: the groups the Cost notes speak of.
        const days = (g: StackGraph) => {
            const groups = g.ofType("aws:cloudwatch/logGroup:LogGroup").filter((l) => l.inputs.namePrefix === "/aws/vpc/flow-logs/" || /^\/aws\/(eks|containerinsights)\//.test(String(l.inputs.name)));
            expect(groups.length, g.stack).to.equal(3);
            const values = new Set(groups.map((l) => l.inputs.retentionInDays));
            expect(values.size, `${g.stack}: one retention for all three`).to.equal(1);
            return [...values][0];
        };
        expect(/dev keeps them (\d+) days, prod (\d+)/.exec(readme)?.slice(1).map(Number)).to.deep.equal([days(stacks.dev), days(stacks.prod)]);
        expect(Number(/the dev stack keeps (\d+)\)/.exec(readme)?.[1])).to.equal(days(stacks.dev));
    });

    it("promises no install time it cannot keep, and no test immunity to edits", () => {
        expect(readme).to.not.match(/npm ci[^\n]*~\s*\d+ ?s\b/);
        expect(readme).to.not.include("never breaks");
    });
});

import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { APPLICATION_KINDS } from "../components/platform/argocd/gitops";
import { ADMISSION_POLICIES, TENANT_FORBIDDEN_RESOURCES } from "../components/platform/tenants/admission";
import { tenantNetworkPolicyManifests } from "../components/platform/tenants/network-policies";
import { TENANT_LABEL } from "../components/platform/tenants/namespaces";
import { projectRoot } from "../tooling/offline/paths";

const BEGIN = "<!-- tenant-boundaries:begin";
const END = "<!-- tenant-boundaries:end -->";

/** The tenant-boundaries block of a README, markers included. */
function tableIn(file: string): string {
    const text = fs.readFileSync(path.join(projectRoot, file), "utf8");
    const start = text.indexOf(BEGIN);
    const end = text.indexOf(END);
    expect(start, `${file}: ${BEGIN}`).to.be.greaterThan(-1);
    expect(end, `${file}: ${END}`).to.be.greaterThan(start);
    return text.slice(start, end + END.length);
}

describe("the tenant boundaries table", () => {
    const table = tableIn("README.md");

    it("is the same in the platform README and the GitOps template's README", () => {
        expect(tableIn("templates/gitops/README.md")).to.equal(table);
    });

    it("names what the code enforces: the label, every allowed kind, every admission policy, every forbidden RBAC resource, every NetworkPolicy", () => {
        const missing = (names: string[]) => names.filter((n) => !table.includes(n));
        const [key, value] = Object.entries(TENANT_LABEL)[0];
        expect(table).to.include(`\`${key}: ${value}\``);
        expect(missing(APPLICATION_KINDS.map((k) => k.kind)), "AppProject kinds").to.deep.equal([]);
        expect(missing(ADMISSION_POLICIES.map((p) => `\`${p}\``)), "admission policies").to.deep.equal([]);
        expect(missing([...TENANT_FORBIDDEN_RESOURCES]), "RBAC resources").to.deep.equal([]);
        const policies = tenantNetworkPolicyManifests({ namespaces: ["dev"], egress: { dev: ["0.0.0.0/0"] }, vpcCidr: "10.0.0.0/16", otherVpcCidrs: [], albCidrs: [] });
        expect(missing(policies.map((p) => `\`${p.metadata.name}\``)), "NetworkPolicies").to.deep.equal([]);
    });
});

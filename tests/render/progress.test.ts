import { expect } from "chai";
import { buildOffline, renderOffline } from "../../scripts/offline-stack";
import { stackGraph } from "../../tooling/offline/harness";
import { requireReference } from "../support/reference";
import { releaseSpecs } from "../../tooling/offline/render";
import { schemaValidator } from "../../tooling/offline/schemas";
import { fixturesDir } from "../../tooling/offline/stack-files";
import * as path from "path";

/** What `npm run render` and `npm run cost` say on stderr while they work. */
describe("npm run render / npm run cost: progress and warnings", function () {
    this.timeout(120_000);
    before(function () {
        requireReference(this);
    });

    it("say each Helm release as it is rendered, then the total", async () => {
        const graph = await stackGraph("dev");
        const said: string[] = [];
        const rendered = await renderOffline(graph, schemaValidator(), (line) => said.push(line));
        const releases = releaseSpecs(graph);
        expect(said[0]).to.equal(`dev: rendering ${releases.length} Helm releases ...`);
        expect(said.at(-1)).to.match(/^dev: rendered in \d+\.\d s$/);
        const perRelease = said.slice(1, -1);
        expect(perRelease).to.have.length(releases.length);
        for (const r of rendered.releases) {
            const objects = rendered.manifests.filter((m) => m.source === r.releaseName).length;
            const line = new RegExp(`^dev:   ${r.releaseName} \\(\\S+ ${r.version.replace(/\./g, "\\.")}\\): ${objects} objects, \\d+\\.\\d s$`);
            expect(perRelease.filter((l) => line.test(l)), r.releaseName).to.have.length(1);
        }
    });

    it("say what they build and repeat the program's warnings instead of swallowing them", async () => {
        const said: string[] = [];
        const graph = await buildOffline({ stack: "prod", dir: fixturesDir, stackFile: path.join(fixturesDir, "Pulumi.prod.yaml") }, (line) => said.push(line));
        expect(said[0]).to.equal("prod: building the stack offline (Pulumi mocks, no AWS calls) ...");
        expect(said[1]).to.match(new RegExp(`^prod: ${graph.resources.length} resources in \\d+\\.\\d s$`));
        const warnings = said.slice(2);
        expect(warnings).to.have.length(graph.warnings.length).and.not.be.empty;
        expect(warnings.some((w) => w.startsWith("prod: warning: production stack deploys into account") && w.includes("aws:allowedAccountIds"))).to.equal(true);
        expect(warnings.some((w) => w.startsWith("prod: warning: prod: no alert reaches anyone"))).to.equal(true);
        expect(warnings.join("\n")).to.not.include("[runtime]");
    });
});

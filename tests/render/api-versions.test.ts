import { expect } from "chai";
import { KUBERNETES_VERSIONS } from "../../components/versions";
import { apiCatalog, apiFindings } from "../../scripts/upgrade-check/apis";
import { stackGraph } from "../../tooling/offline/harness";
import { RenderedStack } from "../../tooling/offline/render";
import { knownCrds, loadSwagger } from "../../tooling/offline/schemas";
import { requireReference } from "../support/reference";
import { RENDER_STACKS, renderedStack } from "../support/render";
import { beforeBuilding } from "../support/build-hook";

/**
 * Every object the platform applies uses a GA API the version the stacks run serves (the rules of
 * `npm run upgrade-check`, scripts/upgrade-check/apis.ts, which tests/upgrade-check.test.ts covers case by
 * case): no removed or unserved API, no alpha or beta built-in API, no deprecated kind or CRD version.
 * The check against the next version is `npm run upgrade-check` itself (README, "Upgrading Kubernetes").
 */
const VERSION = KUBERNETES_VERSIONS.default;

describe(`Rendered manifests: APIs served by Kubernetes ${VERSION}`, () => {
    for (const stack of RENDER_STACKS) {
        describe(stack, () => {
            let rendered: RenderedStack;
            // Shared with the other render tests; whichever file runs first pays for the render.
            beforeBuilding(async function () {
                requireReference(this);
                rendered = await renderedStack(await stackGraph(stack));
            });

            it("every object, rendered or the program's own, uses a GA API the version serves (custom resources: a version their CRD serves and does not deprecate)", () => {
                const findings = apiFindings(rendered.manifests, apiCatalog(loadSwagger(VERSION), VERSION), undefined, knownCrds());
                expect(findings.map((f) => `${f.subject}: ${f.message}`)).to.deep.equal([]);
            });
        });
    }
});

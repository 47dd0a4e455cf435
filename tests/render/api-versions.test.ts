import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { KUBERNETES_VERSIONS } from "../../components/versions";
import { stackGraph } from "../../tooling/offline/harness";
import { referenceDir } from "../../tooling/offline/paths";
import { requireReference } from "../support/reference";
import { K8sObject, RenderedStack } from "../../tooling/offline/render";
import { RENDER_STACKS, renderedStack } from "../support/render";
import { beforeBuilding } from "../support/build-hook";

/**
 * Upgrade check (README, "Upgrading Kubernetes"): every object the platform applies uses an API the
 * target version serves. The swagger keeps definitions of removed APIs (policy/v1beta1, extensions/v1beta1…),
 * so "served" means: some path of the API server answers for that group/version/kind.
 */
const TARGET = KUBERNETES_VERSIONS.default;

/** `group/version/kind` of every API the target's API server serves. */
function servedApis(): Set<string> {
    const swagger = JSON.parse(fs.readFileSync(path.join(referenceDir, "kubernetes", `swagger-${TARGET}.json`), "utf8"));
    const served = new Set<string>();
    for (const item of Object.values<any>(swagger.paths)) {
        for (const op of Object.values<any>(item)) {
            const gvk = op?.["x-kubernetes-group-version-kind"];
            if (gvk) served.add(`${gvk.group}/${gvk.version}/${gvk.kind}`);
        }
    }
    return served;
}

const groupOf = (o: K8sObject) => (o.apiVersion.includes("/") ? o.apiVersion.split("/")[0] : "");
const versionOf = (o: K8sObject) => o.apiVersion.split("/").pop()!;
/** Kubernetes' own groups: the core group, dot-less groups (apps, batch, policy…) and *.k8s.io. */
/**
 * Built in: a group the API server serves some version of, or a dotless (legacy) one. A `*.k8s.io` group
 * the swagger lacks altogether is a CRD's (snapshot.storage.k8s.io comes from the snapshot-controller add-on).
 */
const isBuiltIn = (o: K8sObject, served: Set<string>) => !groupOf(o).includes(".") || [...served].some((k) => k.startsWith(`${groupOf(o)}/`));

/**
 * What each object breaks on the target version: a built-in API it does not serve (removed) or serves
 * only as alpha/beta (off by default on EKS, removed within three releases); a custom resource whose
 * CRD marks its version deprecated.
 */
export function apiVersionProblems(objects: K8sObject[], served: Set<string>): string[] {
    const problems: string[] = [];
    const deprecatedCrdVersions = new Set(
        objects
            .filter((o) => o.kind === "CustomResourceDefinition")
            .flatMap((crd) => (crd.spec.versions ?? []).filter((v: any) => v.deprecated).map((v: any) => `${crd.spec.group}/${v.name}/${crd.spec.names.kind}`)),
    );
    for (const o of objects) {
        const key = `${groupOf(o)}/${versionOf(o)}/${o.kind}`;
        const what = `${o.apiVersion} ${o.kind} ${o.metadata.namespace ?? ""}/${o.metadata.name}`;
        if (isBuiltIn(o, served)) {
            if (!served.has(key)) problems.push(`${what}: not served by Kubernetes ${TARGET} (removed)`);
            else if (/alpha|beta/.test(versionOf(o))) problems.push(`${what}: a pre-GA API (${o.apiVersion}); use the GA version`);
        } else if (deprecatedCrdVersions.has(key)) {
            problems.push(`${what}: its CRD marks ${o.apiVersion} deprecated`);
        }
    }
    return problems;
}

describe(`Rendered manifests: APIs served by Kubernetes ${TARGET}`, () => {
    let served: Set<string>;
    before(function () {
        requireReference(this);
        served = servedApis();
    });

    for (const stack of RENDER_STACKS) {
        describe(stack, () => {
            let rendered: RenderedStack;
            // Shared with the other render tests; whichever file runs first pays for the render.
            beforeBuilding(async function () {
                requireReference(this);
                rendered = await renderedStack(await stackGraph(stack));
            });

            it("every object, rendered or the program's own, uses a GA API the target serves (custom resources: a version their CRD does not deprecate)", () => {
                expect(apiVersionProblems(rendered.manifests.map((m) => m.object), served)).to.deep.equal([]);
            });
        });
    }

    it("reports removed and pre-GA built-in APIs and deprecated CRD versions, and passes GA ones", () => {
        const obj = (apiVersion: string, kind: string): K8sObject => ({ apiVersion, kind, metadata: { name: "x", namespace: "n" } });
        const crd: K8sObject = {
            apiVersion: "apiextensions.k8s.io/v1",
            kind: "CustomResourceDefinition",
            metadata: { name: "widgets.example.com" },
            spec: { group: "example.com", names: { kind: "Widget" }, versions: [{ name: "v1alpha1", served: true, deprecated: true }, { name: "v1", served: true }] },
        };
        const problems = apiVersionProblems(
            [obj("policy/v1beta1", "PodDisruptionBudget"), obj("extensions/v1beta1", "Ingress"), obj("autoscaling/v2beta2", "HorizontalPodAutoscaler"), obj("networking.k8s.io/v1beta1", "IPAddress"),
             obj("policy/v1", "PodDisruptionBudget"), obj("autoscaling/v2", "HorizontalPodAutoscaler"), crd, obj("example.com/v1alpha1", "Widget"), obj("example.com/v1", "Widget")],
            served,
        );
        expect(problems).to.deep.equal([
            `policy/v1beta1 PodDisruptionBudget n/x: not served by Kubernetes ${TARGET} (removed)`,
            `extensions/v1beta1 Ingress n/x: not served by Kubernetes ${TARGET} (removed)`,
            `autoscaling/v2beta2 HorizontalPodAutoscaler n/x: not served by Kubernetes ${TARGET} (removed)`,
            "networking.k8s.io/v1beta1 IPAddress n/x: a pre-GA API (networking.k8s.io/v1beta1); use the GA version",
            "example.com/v1alpha1 Widget n/x: its CRD marks example.com/v1alpha1 deprecated",
        ]);
    });
});

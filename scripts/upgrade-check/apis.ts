/**
 * Which Kubernetes APIs a version serves and deprecates, from its OpenAPI document, and what that means for
 * the objects the platform applies: the removed/deprecated-API part of `npm run upgrade-check`, and the
 * GA-only rule of tests/render/api-versions.test.ts.
 */
import type { K8sObject, Manifest } from "../../tooling/offline/render";
import { Finding } from "./findings";

/** What one Kubernetes version's API server serves, and which of its kinds it marks deprecated. */
export interface ApiCatalog {
    version: string;
    /** `group/version/kind` of every API some path serves (the swagger keeps definitions of removed APIs too). */
    served: Set<string>;
    /** `group/version/kind` → the deprecation note of its definition ("This API is deprecated in v1.33+. Use …"). */
    deprecatedKinds: Map<string, string>;
}

const gvk = (group: string, version: string, kind: string) => `${group}/${version}/${kind}`;
export const groupOf = (o: Pick<K8sObject, "apiVersion">) => (o.apiVersion.includes("/") ? o.apiVersion.split("/")[0] : "");
export const versionOf = (o: Pick<K8sObject, "apiVersion">) => o.apiVersion.split("/").pop()!;
const keyOf = (o: K8sObject) => gvk(groupOf(o), versionOf(o), o.kind);
const apiVersion = (group: string, version: string) => (group ? `${group}/${version}` : version);

/** The catalog of a swagger (OpenAPI v2) document of Kubernetes `version`. */
export function apiCatalog(swagger: any, version: string): ApiCatalog {
    const served = new Set<string>();
    for (const item of Object.values<any>(swagger.paths)) {
        for (const op of Object.values<any>(item)) {
            const k = op?.["x-kubernetes-group-version-kind"];
            if (k) served.add(gvk(k.group, k.version, k.kind));
        }
    }
    const deprecatedKinds = new Map<string, string>();
    for (const def of Object.values<any>(swagger.definitions)) {
        const note = /Deprecated: (.*)$/s.exec(def.description ?? "")?.[1].trim();
        for (const k of def["x-kubernetes-group-version-kind"] ?? []) if (note && served.has(gvk(k.group, k.version, k.kind))) deprecatedKinds.set(gvk(k.group, k.version, k.kind), note);
    }
    return { version, served, deprecatedKinds };
}

/** APIs `current` serves and `target` no longer does: what an upgrade from one to the other removes. */
export function removedApis(current: ApiCatalog, target: ApiCatalog): string[] {
    return [...current.served].filter((k) => !target.served.has(k)).sort();
}

/**
 * Built in: a group the API server serves some version of, or a dotless (legacy) one. A `*.k8s.io` group
 * the swagger lacks altogether is a CRD's (snapshot.storage.k8s.io comes from the snapshot-controller add-on).
 */
const isBuiltIn = (o: K8sObject, served: Set<string>) => !groupOf(o).includes(".") || [...served].some((k) => k.startsWith(`${groupOf(o)}/`));

/** The versions `catalog` serves of `o`'s group and kind, GA first: what to move an object to. */
function servedVersions(o: K8sObject, catalog: ApiCatalog): string[] {
    const versions = [...catalog.served].filter((k) => k.startsWith(`${groupOf(o)}/`) && k.endsWith(`/${o.kind}`)).map((k) => k.split("/")[1]);
    return versions.sort((a, b) => Number(/alpha|beta/.test(a)) - Number(/alpha|beta/.test(b)) || b.localeCompare(a));
}

/** How a finding names an object: kind, namespace/name, API version, and where it comes from. */
export function describeObject(m: Manifest): string {
    const from = m.source === "program" ? "the program's own object" : `release ${m.source}`;
    return `${m.object.kind} ${m.object.metadata.namespace ? `${m.object.metadata.namespace}/` : ""}${m.object.metadata.name} (${m.object.apiVersion}, ${from})`;
}

/** Where the fix goes: the chart of a release, or the program's component. */
const fixIn = (m: Manifest, change: string) =>
    m.source === "program" ? `change the component that creates it (components/): ${change}` : `bump the chart of release ${m.source} (components/versions.ts CHARTS) to a version that does: ${change}`;

/**
 * What each object meets on `target`. Blocking: a built-in API the target does not serve (removed; `current`
 * says whether the upgrade removes it), an alpha built-in API (EKS enables none), a custom resource version its
 * CRD does not serve. Warnings: a beta built-in API, a kind the target marks deprecated, a CRD version marked
 * deprecated. CRDs are those among `manifests` plus `crds` (the reference's).
 */
export function apiFindings(manifests: readonly Manifest[], target: ApiCatalog, current?: ApiCatalog, crds: readonly K8sObject[] = []): Finding[] {
    const crdVersions = new Map<string, { served: boolean; deprecated: boolean; crd: string; others: string[] }>();
    for (const crd of [...crds, ...manifests.map((m) => m.object).filter((o) => o.kind === "CustomResourceDefinition")]) {
        const versions = (crd.spec?.versions ?? []) as { name: string; served: boolean; deprecated?: boolean; storage?: boolean }[];
        for (const v of versions) {
            const others = versions.filter((o) => o.served && !o.deprecated && o.name !== v.name).map((o) => `${crd.spec.group}/${o.name}`);
            crdVersions.set(gvk(crd.spec.group, v.name, crd.spec.names.kind), { served: v.served, deprecated: !!v.deprecated, crd: crd.metadata.name, others });
        }
    }
    const findings: Finding[] = [];
    for (const m of manifests) {
        const o = m.object;
        const subject = describeObject(m);
        const key = keyOf(o);
        const instead = () => servedVersions(o, target).map((v) => apiVersion(groupOf(o), v))[0];
        if (isBuiltIn(o, target.served)) {
            if (!target.served.has(key)) {
                const removedNow = current?.served.has(key) ? ` (Kubernetes ${current.version} still serves it: the upgrade removes it)` : "";
                const to = instead();
                findings.push({ severity: "block", subject, message: `Kubernetes ${target.version} does not serve ${o.apiVersion} ${o.kind}${removedNow}`, fix: fixIn(m, to ? `render it as ${to} ${o.kind}, the version ${target.version} serves` : `stop applying ${o.kind}: ${target.version} serves no version of it`) });
            } else if (/alpha/.test(versionOf(o))) {
                findings.push({ severity: "block", subject, message: `${o.apiVersion} is an alpha API, which EKS never enables`, fix: fixIn(m, `use a GA or beta version of ${o.kind}`) });
            } else if (/beta/.test(versionOf(o))) {
                const to = instead();
                findings.push({ severity: "warn", subject, message: `${o.apiVersion} is a beta API (off by default for new betas, removed within three releases of its GA)`, fix: to && to !== o.apiVersion ? fixIn(m, `use ${to}`) : undefined });
            } else if (target.deprecatedKinds.has(key)) {
                findings.push({ severity: "warn", subject, message: `Kubernetes ${target.version} marks ${o.apiVersion} ${o.kind} deprecated: ${target.deprecatedKinds.get(key)}` });
            }
        } else {
            const v = crdVersions.get(key);
            if (v && !v.served) {
                findings.push({ severity: "block", subject, message: `its CRD ${v.crd} does not serve ${o.apiVersion}`, fix: fixIn(m, v.others.length ? `use ${v.others.join(" or ")}` : `use a version the CRD serves`) });
            } else if (v?.deprecated) {
                findings.push({ severity: "warn", subject, message: `its CRD ${v.crd} marks ${o.apiVersion} deprecated`, fix: v.others.length ? fixIn(m, `use ${v.others.join(" or ")}`) : undefined });
            }
        }
    }
    return findings;
}

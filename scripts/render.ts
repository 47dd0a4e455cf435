/**
 * `npm run render -- <stack> [<stack> …]`: builds each stack offline under the Pulumi mocks of
 * tooling/offline (no Pulumi CLI, no AWS credentials), renders every Helm release with the exact values, namespace and flags the program
 * passes, and writes one file per object to out/<stack>/: Helm-rendered and program-owned
 * Kubernetes objects, and every other resource with its inputs. Names and key order are stable,
 * so `diff -r` between two commits shows what a change does before `pulumi preview`. Progress (per release) and
 * the program's warnings go to stderr. Secret values
 * are the mocks' stand-ins (secure config becomes a placeholder); Secret data is blanked anyway.
 */
import * as fs from "fs";
import * as path from "path";
import { stringify } from "yaml";
import { helmBinary } from "../tooling/offline/helm";
import { projectRoot } from "../tooling/offline/paths";
import { PROJECT } from "../tooling/offline/stack-files";
import { OfflineStack, buildOffline, ensureCharts, renderOffline, renderScopes, stackFilesFromArgs } from "./offline-stack";
import { K8sObject, plainValues } from "../tooling/offline/render";

const REDACTED = "<redacted>";

/** Reproducible output: the program's `new Date()` (admin password timestamps) reads SOURCE_DATE_EPOCH. */
function pinClock(): void {
    const fixed = Number(process.env.SOURCE_DATE_EPOCH ?? 0) * 1000;
    const RealDate = Date;
    class PinnedDate extends RealDate {
        constructor(...args: unknown[]) {
            if (args.length === 0) super(fixed);
            else super(...(args as [string]));
        }
        static now() {
            return fixed;
        }
    }
    globalThis.Date = PinnedDate as DateConstructor;
}

/** Deep copy with map keys sorted, so the YAML is byte-stable. */
function sorted(value: unknown): unknown {
    if (Array.isArray(value)) return value.map(sorted);
    if (value && typeof value === "object") return Object.fromEntries(Object.keys(value).sort().map((k) => [k, sorted((value as any)[k])]));
    return value;
}

function redactSecret(o: K8sObject): K8sObject {
    if (o.kind !== "Secret") return o;
    const blank = (m?: Record<string, unknown>) => (m ? Object.fromEntries(Object.keys(m).map((k) => [k, REDACTED])) : undefined);
    return { ...o, data: blank(o.data), stringData: blank(o.stringData) };
}

/** Certificates charts generate at render time (`genCA`) differ on every run; blank them for stable diffs. */
function maskCertificates(value: unknown, key = ""): unknown {
    if (typeof value === "string" && /^(caBundle|tls\.crt|tls\.key|ca\.crt|ca\.key)$/.test(key)) return "<generated at render time>";
    if (Array.isArray(value)) return value.map((v) => maskCertificates(v));
    if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskCertificates(v, k)]));
    return value;
}

const safe = (s: string) => s.replace(/[^A-Za-z0-9._-]+/g, "_");

function write(file: string, value: unknown): void {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, stringify(sorted(value), { lineWidth: 0 }));
}

async function main(): Promise<void> {
    const stacks = stackFilesFromArgs("render");
    pinClock();
    helmBinary();
    for (const file of stacks) await renderToDisk(file);
    process.exit(0);
}

async function renderToDisk(file: OfflineStack): Promise<void> {
    const { stack } = file;
    const graph = await buildOffline(file);
    const releases = graph.ofType("kubernetes:helm.sh/v3:Release");
    ensureCharts(releases.map((r) => ({ chart: r.inputs.chart, version: r.inputs.version, repo: r.inputs.repositoryOpts?.repo })));
    const rendered = await renderOffline(graph, renderScopes());

    const out = path.join(projectRoot, "out", stack);
    fs.rmSync(out, { recursive: true, force: true });
    for (const { source, object } of rendered.manifests) {
        const where = object.metadata.namespace ?? "_cluster";
        const group = source === "program" ? "program" : path.join("helm", safe(source));
        write(path.join(out, "kubernetes", group, safe(where), `${safe(object.kind)}.${safe(object.metadata.name ?? "unnamed")}.yaml`), maskCertificates(redactSecret(object)));
    }
    for (const r of graph.resources.filter((r) => !r.type.startsWith("kubernetes:") && !r.type.startsWith("pulumi:providers:kubernetes"))) {
        write(path.join(out, "resources", safe(r.type.replace(/:/g, "_")), `${safe(r.name)}.yaml`), { type: r.type, name: r.name, inputs: plainValues(r.inputs) });
    }
    for (const r of releases) {
        write(path.join(out, "releases", `${safe(r.name)}.yaml`), plainValues(r.inputs));
    }
    console.log(`${PROJECT} ${stack}: ${rendered.manifests.length} Kubernetes objects from ${rendered.releases.length} releases and the program, ${graph.resources.length} resources -> ${path.relative(process.cwd(), out) || out}`);
}

main().catch((err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
});

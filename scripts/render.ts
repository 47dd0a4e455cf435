/**
 * `npm run render -- <stack>`: builds the stack offline under the test mocks (no Pulumi CLI, no AWS
 * credentials), renders every Helm release with the exact values, namespace and flags the program
 * passes, and writes one file per object to out/<stack>/: Helm-rendered and program-owned
 * Kubernetes objects, and every other resource with its inputs. Names and key order are stable,
 * so `diff -r` between two commits shows what a change does before `pulumi preview`. Secret values
 * are the mocks' stand-ins (secure config becomes a placeholder); Secret data is blanked anyway.
 */
import * as fs from "fs";
import * as path from "path";
import { parse, stringify } from "yaml";
import { ChartPin } from "../components/versions";
import { buildStack } from "../tests/support/harness";
import { helmBinary, pullChart, resolveChart } from "../tests/support/helm";
import { projectRoot } from "../tests/support/paths";
import { PROJECT, fixturesDir } from "../tests/support/stack-files";
import { K8sObject, basicScopes, plainValues, renderStack, schemaValidator } from "../tests/support/render";
import { referenceDir } from "../tests/support/reference";

const REDACTED = "<redacted>";

function usage(message: string): never {
    const stacks = fs.readdirSync(projectRoot).map((f) => /^Pulumi\.(.+)\.ya?ml$/.exec(f)?.[1]).filter(Boolean);
    console.error(`${message}\nusage: npm run render -- <stack> [--fixtures]\n  stacks here: ${stacks.join(", ") || "none"}\n  --fixtures  use tests/fixtures/Pulumi.<stack>.yaml instead of the project's stack file`);
    process.exit(2);
}

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

/** Secure config values cannot be decrypted offline: each becomes a placeholder, still marked secret. */
function secureKeys(stackFile: string): Record<string, string> {
    const config = (parse(fs.readFileSync(stackFile, "utf8"))?.config ?? {}) as Record<string, unknown>;
    return Object.fromEntries(
        Object.entries(config)
            .filter(([, v]) => v !== null && typeof v === "object" && "secure" in (v as object))
            .map(([k]) => [k, `placeholder-for-${k.replace(/^.*:/, "")}-0`]),
    );
}

/** Every chart available offline, else pulled (needs network) into the cache. */
function ensureCharts(pins: ChartPin[]): void {
    for (const pin of pins) {
        try {
            resolveChart(pin);
        } catch {
            console.log(`pulling ${pin.chart}@${pin.version} (not in ${referenceDir})`);
            pullChart(pin);
        }
    }
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
    const args = process.argv.slice(2);
    const stack = args.find((a) => !a.startsWith("-"));
    if (!stack) usage("which stack?");
    const dir = args.includes("--fixtures") ? fixturesDir : projectRoot;
    const stackFile = ["yaml", "yml"].map((e) => path.join(dir, `Pulumi.${stack}.${e}`)).find((f) => fs.existsSync(f));
    if (!stackFile) usage(`no Pulumi.${stack}.yaml in ${dir}`);

    pinClock();
    helmBinary();
    const secure = secureKeys(stackFile);
    const graph = await buildStack(stack, secure, Object.keys(secure), dir);
    const releases = graph.ofType("kubernetes:helm.sh/v3:Release");
    ensureCharts(releases.map((r) => ({ chart: r.inputs.chart, version: r.inputs.version, repo: r.inputs.repositoryOpts?.repo })));
    const scopes = fs.existsSync(path.join(referenceDir, "kubernetes")) ? schemaValidator() : basicScopes();
    const rendered = await renderStack(graph, scopes);

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
    for (const r of rendered.releases.filter((r) => r.missingSubcharts.length > 0)) {
        console.warn(`warning: ${r.releaseName}: subcharts ${r.missingSubcharts.join(", ")} are missing from the chart folder and were not rendered`);
    }
    console.log(`${PROJECT} ${stack}: ${rendered.manifests.length} Kubernetes objects from ${rendered.releases.length} releases and the program, ${graph.resources.length} resources -> ${path.relative(process.cwd(), out) || out}`);
    process.exit(0);
}

main().catch((err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
});

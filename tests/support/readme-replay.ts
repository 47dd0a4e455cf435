import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { Document, isMap, isSeq, parseDocument } from "yaml";
import { ACME } from "./acme";
import { PROJECT } from "../../tooling/offline/stack-files";

/**
 * The README's recipes as the tests replay them: every fenced block right after a `<!-- replay: <name> -->`
 * line. A `bash` block is run command by command against a folder holding the stack files and workflows
 * (`pulumi config set/rm`, `pulumi stack init`, `cp`, `for … do … done`); a `yaml` block whose first line is
 * `# <path>` is written to that path. `<placeholder>`s take the values given; a command or placeholder the
 * replay does not know fails it, so the README and the replay cannot drift apart.
 */
export interface Recipe {
    name: string;
    lang: string;
    body: string;
}

/** The blocks marked `<!-- replay: … -->` (the user recipes) or, with `kind` "recipe", the contributor recipes. */
export function readmeRecipes(readme: string, kind: "replay" | "recipe" = "replay"): Recipe[] {
    const found: Recipe[] = [];
    const marker = new RegExp(`^[ \\t]*<!-- ${kind}: (.+?) -->\\n[ \\t]*\`\`\`(\\w+)\\n([\\s\\S]*?)\\n[ \\t]*\`\`\``, "gm");
    for (const m of readme.matchAll(marker)) {
        // Blocks inside list items are indented like their item: take the fence's indentation off.
        const indent = /^[ \t]*/.exec(m[0].split("\n")[1])![0].length;
        found.push({ name: m[1], lang: m[2], body: m[3].split("\n").map((l) => l.slice(Math.min(indent, /^[ \t]*/.exec(l)![0].length))).join("\n") });
    }
    return found;
}

/** Commands that change nothing in the project's files (they act on AWS, the backend or the shell). */
const OUTSIDE_FILES = [/^aws /, /^gh /, /^export \w+=/, /^\w+=\S*( \w+=\S*)*$/, /^pulumi (login|preview|up|stack select)\b/];

/** The replay's state: the folder, the values of the placeholders, the stack `pulumi` acts on by default. */
interface Shell {
    dir: string;
    values: Record<string, string>;
    current?: string;
}

/** Runs `recipe` against the project files in `dir`, `<placeholder>`s replaced from `values`. */
export function replayRecipe(dir: string, recipe: Recipe, values: Record<string, string>): void {
    const shell: Shell = { dir, values };
    const body = fill(recipe.body, values, recipe.name);
    if (recipe.lang === "yaml") {
        const target = /^# ([\w./-]+)/.exec(body)?.[1];
        if (!target) throw new Error(`replay "${recipe.name}": a yaml block starts with "# <path>" naming the file it is`);
        fs.mkdirSync(path.dirname(path.join(dir, target)), { recursive: true });
        fs.writeFileSync(path.join(dir, target), `${body}\n`);
        return;
    }
    if (recipe.lang !== "bash") throw new Error(`replay "${recipe.name}": cannot replay a ${recipe.lang} block`);
    runLines(shell, logicalLines(body), recipe.name);
}

function fill(text: string, values: Record<string, string>, recipe: string): string {
    return text.replace(/<([a-z][a-z0-9-]*)>/g, (_, name: string) => {
        if (values[name] === undefined) throw new Error(`replay "${recipe}": no value for <${name}>`);
        return values[name];
    });
}

/** Lines without comments, continuations joined, `;`-separated commands split (outside quotes). */
function logicalLines(body: string): string[][] {
    const joined = body.replace(/\\\n\s*/g, " ");
    const lines: string[][] = [];
    for (const line of joined.split("\n")) {
        const commands: string[][] = [[]];
        let word: string | undefined;
        let quote: string | undefined;
        const end = () => {
            if (word !== undefined) commands[commands.length - 1].push(word);
            word = undefined;
        };
        for (let i = 0; i < line.length; i++) {
            const c = line[i];
            if (quote) {
                if (c === quote) quote = undefined;
                else word += c;
            } else if (c === "'" || c === '"') {
                quote = c;
                word = word ?? "";
            } else if (c === "#" && word === undefined) {
                break;
            } else if (c === ";") {
                end();
                commands.push([]);
            } else if (/\s/.test(c)) {
                end();
            } else {
                word = (word ?? "") + c;
            }
        }
        end();
        lines.push(...commands.filter((c) => c.length > 0));
    }
    return lines;
}

function runLines(shell: Shell, lines: string[][], recipe: string): void {
    for (let i = 0; i < lines.length; i++) {
        const words = lines[i];
        if (words[0] === "for") {
            // for <var> in <words…>; do <commands…>; done
            const [, variable, inWord, ...items] = words;
            if (inWord !== "in") throw new Error(`replay "${recipe}": cannot read ${words.join(" ")}`);
            const close = lines.findIndex((l, j) => j > i && l[0] === "done");
            if (close < 0 || lines[i + 1]?.[0] !== "do") throw new Error(`replay "${recipe}": a for loop without do … done`);
            const loopBody = [lines[i + 1].slice(1), ...lines.slice(i + 2, close)].filter((l) => l.length > 0);
            for (const item of items) runLines(shell, loopBody.map((l) => l.map((w) => w.split(`$${variable}`).join(item))), recipe);
            i = close;
            continue;
        }
        run(shell, words, recipe);
    }
}

function run(shell: Shell, words: string[], recipe: string): void {
    const line = words.join(" ");
    if (OUTSIDE_FILES.some((r) => r.test(line))) {
        if (words[1] === "stack" && words[2] === "select") shell.current = words[3];
        return;
    }
    if (words[0] === "cp" && words.length === 3) {
        fs.copyFileSync(path.join(shell.dir, words[1]), path.join(shell.dir, words[2]));
        return;
    }
    if (words[0] === "pulumi" && words[1] === "stack" && words[2] === "init") return stackInit(shell, words.slice(3), recipe);
    if (words[0] === "pulumi" && words[1] === "config" && (words[2] === "set" || words[2] === "rm")) return config(shell, words[2], words.slice(3), recipe);
    throw new Error(`replay "${recipe}": does not know how to replay \`${line}\``);
}

/** `pulumi stack init <stack> [--copy-config-from <other>]`: the stack file gets its encryption salt (and the other's config). */
function stackInit(shell: Shell, args: string[], recipe: string): void {
    const [stack, flag, from] = args;
    if (!stack || (flag !== undefined && (flag !== "--copy-config-from" || !from)) || args.length > 3) {
        throw new Error(`replay "${recipe}": cannot read pulumi stack init ${args.join(" ")}`);
    }
    const file = path.join(shell.dir, `Pulumi.${stack}.yaml`);
    const doc = fs.existsSync(file) ? parseDocument(fs.readFileSync(file, "utf8")) : new Document({});
    if (!doc.has("encryptionsalt")) doc.set("encryptionsalt", `v1:${standIn(12, "salt", stack)}`);
    if (from) {
        const source = parseDocument(fs.readFileSync(path.join(shell.dir, `Pulumi.${from}.yaml`), "utf8")).toJS()?.config ?? {};
        // Secrets are re-encrypted with the new stack's key.
        const copied = Object.fromEntries(Object.entries(source).map(([k, v]) => [k, isSecure(v) ? ciphertext(stack, k, JSON.stringify(v)) : v]));
        doc.set("config", doc.createNode(copied));
    }
    fs.writeFileSync(file, doc.toString({ lineWidth: 0 }));
    shell.current = stack;
}

const isSecure = (v: unknown) => v !== null && typeof v === "object" && "secure" in (v as object);
/**
 * What the CLI writes, made of the stack, key and value instead of fresh random bytes: a replay writes the
 * same file every time, so the builds of it are found in the result cache (tooling/offline/graph-cache.ts).
 * Nothing offline decrypts either (tooling/offline/stack-files.ts hands over placeholders).
 */
const standIn = (bytes: number, ...parts: string[]) => createHash("sha256").update(JSON.stringify(parts)).digest().subarray(0, bytes).toString("base64");
const ciphertext = (...parts: string[]) => ({ secure: `v1:${standIn(24, "secret", ...parts)}` });

/** `pulumi config set|rm [-s <stack>] [--path] [--secret|--plaintext] <key> [<value>]`, as the CLI writes the file. */
function config(shell: Shell, verb: string, args: string[], recipe: string): void {
    let stack = shell.current;
    let usePath = false;
    let secret = false;
    const positional: string[] = [];
    for (let i = 0; i < args.length; i++) {
        const a = args[i];
        if (a === "-s" || a === "--stack") stack = args[++i];
        else if (a === "--path") usePath = true;
        else if (a === "--secret" && verb === "set") secret = true;
        else if (a === "--plaintext" && verb === "set") secret = false;
        else if (a.startsWith("-")) throw new Error(`replay "${recipe}": pulumi config ${verb} has no flag ${a} here`);
        else positional.push(a);
    }
    const [key, value] = positional;
    if (!stack || !key || positional.length !== (verb === "set" ? 2 : 1)) {
        throw new Error(`replay "${recipe}": cannot read pulumi config ${verb} ${args.join(" ")} (a stack, a key${verb === "set" ? " and a value" : ""})`);
    }
    const file = path.join(shell.dir, `Pulumi.${stack}.yaml`);
    if (!fs.existsSync(file)) throw new Error(`replay "${recipe}": no stack ${stack} (pulumi stack init it first)`);
    const doc = parseDocument(fs.readFileSync(file, "utf8"));
    if (!doc.has("config")) doc.set("config", doc.createNode({}));
    const steps = usePath ? configPath(key) : [key];
    steps[0] = qualified(String(steps[0]));
    const at = ["config", ...steps];
    if (verb === "rm") {
        const parent = doc.getIn(at.slice(0, -1));
        if (isSeq(parent) && typeof at[at.length - 1] === "number") parent.items.splice(at[at.length - 1] as number, 1);
        else doc.deleteIn(at);
    } else {
        // Top-level values are always text; inside a path, true/false and integers are typed (the CLI's rule).
        const typed = secret ? ciphertext(stack, key, value) : !usePath || steps.length === 1 ? value : value === "true" || value === "false" ? value === "true" : /^-?\d+$/.test(value) ? Number(value) : value;
        const parent = at.length > 2 ? doc.getIn(at.slice(0, -1)) : doc.get("config");
        const last = at[at.length - 1];
        if (typeof last === "number") {
            const length = isSeq(parent) ? parent.items.length : 0;
            if (last > length) throw new Error(`replay "${recipe}": ${key}: index ${last} past the end of a list of ${length}`);
        } else if (parent !== undefined && !isMap(parent)) {
            throw new Error(`replay "${recipe}": ${key} is not a map`);
        }
        doc.setIn(at, typeof typed === "object" ? doc.createNode(typed) : typed);
    }
    fs.writeFileSync(file, doc.toString({ lineWidth: 0 }));
}

const qualified = (key: string) => (key.includes(":") ? key : `${PROJECT}:${key}`);

/** `name[0]`, `a.b` → ["name", 0], ["a", "b"]. */
function configPath(key: string): (string | number)[] {
    const steps: (string | number)[] = [];
    for (const m of key.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) steps.push(m[2] !== undefined ? Number(m[2]) : m[1]);
    return steps;
}

/** The recipes in the order a new user follows them: Before your first up, Account layout, Adding a stack. */
export const REPLAYED = [
    "state bucket and stacks",
    "your values",
    "CI",
    "GitOps",
    "alert receivers",
    "Docker Hub credentials",
    "shared account",
    "adding a stack",
    "adding a stack, with CI",
    "adding a stack, deploy workflow",
];

/** Replays every recipe of `readme` on the project files in `dir`; fails unless they are exactly REPLAYED, in order. */
export function replayReadme(readme: string, dir: string, values: Record<string, string> = ACME): void {
    const recipes = readmeRecipes(readme);
    const names = recipes.map((r) => r.name);
    if (JSON.stringify(names) !== JSON.stringify(REPLAYED)) {
        throw new Error(`README's replay: blocks are ${JSON.stringify(names)}; the replay follows ${JSON.stringify(REPLAYED)}`);
    }
    for (const recipe of recipes) replayRecipe(dir, recipe, values);
}

export { ACME };

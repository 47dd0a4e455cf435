/** Reading the project's `Pulumi.<stack>.yaml` files: the program reads its sibling stacks, the offline tools any. */
import * as fs from "fs";
import * as path from "path";
import { YAMLParseError, parse } from "yaml";
import { ConfigError } from "./reader";

export const STACK_FILE = /^Pulumi\.(.+)\.ya?ml$/;

const parsed = new Map<string, Record<string, unknown>>();

/**
 * The `config:` map of a stack file. A YAML error becomes a ConfigError naming the file and line (the parser's
 * own message names neither the file nor, for a repeated key, the key and where it was first set).
 */
export function readStackFile(file: string): Record<string, unknown> {
    const text = fs.readFileSync(file, "utf8");
    try {
        // A copy of the parse of this text: programs that build many stacks (the tests, `npm run render`) read
        // the same files again and again, and parsing YAML was the larger part of that.
        if (!parsed.has(text)) parsed.set(text, ((parse(text) as { config?: Record<string, unknown> } | null)?.config ?? {}));
        return structuredClone(parsed.get(text)!);
    } catch (err) {
        if (!(err instanceof YAMLParseError)) throw err;
        throw new ConfigError([yamlProblem(path.basename(file), text, err)]);
    }
}

/** Every stack file of `projectDir` but `stack`'s own, by stack name. */
export function otherStackFiles(projectDir: string, stack: string): Record<string, Record<string, unknown>> {
    const out: Record<string, Record<string, unknown>> = {};
    for (const file of fs.readdirSync(projectDir).sort()) {
        const name = STACK_FILE.exec(file)?.[1];
        if (name && name !== stack) out[name] = readStackFile(path.join(projectDir, file));
    }
    return out;
}

function yamlProblem(file: string, text: string, err: YAMLParseError): string {
    const line = err.linePos?.[0].line;
    const where = line ? `${file} line ${line}` : file;
    const lineText = line ? text.split("\n")[line - 1] : "";
    const key = /^(\s*)([^\s#].*?):(\s|$)/.exec(lineText);
    if (err.code === "DUPLICATE_KEY" && key) {
        const declared = `${key[1]}${key[2]}:`;
        const first = text.split("\n").findIndex((l) => l.startsWith(declared)) + 1;
        const earlier = first > 0 && first < line! ? ` (first on line ${first})` : "";
        return `${where}: ${key[2]} is set a second time${earlier}; a stack file sets each key once: delete one of the two lines`;
    }
    return `${where}: not valid YAML (${err.message.split("\n")[0]})`;
}

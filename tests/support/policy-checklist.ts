import * as fs from "fs";
import * as path from "path";
import { projectRoot } from "../../tooling/offline/paths";

/** The shared security checklist, beside the repo like ../shared/reference. */
export const checklistPath = path.resolve(projectRoot, "..", "shared", "security-checklist.md");

/** The checklist's text, or undefined in a plain clone without ../shared. */
export function checklistText(): string | undefined {
    return fs.existsSync(checklistPath) ? fs.readFileSync(checklistPath, "utf8") : undefined;
}

/**
 * Every id in the checklist table's first column, with shorthand expanded:
 * `CKV_AWS_62/63/274, CKV2_AWS_40` → CKV_AWS_62, CKV_AWS_63, CKV_AWS_274, CKV2_AWS_40.
 */
export function checklistIds(text: string): Set<string> {
    const ids = new Set<string>();
    for (const line of text.split("\n")) {
        const cells = line.split("|").map((c) => c.trim());
        if (cells.length < 5 || cells[1] === "id" || /^-+$/.test(cells[1])) continue;
        for (const part of cells[1].split(",").map((p) => p.trim())) {
            const m = /^([A-Z0-9]+_[A-Z]+_)(\d+(?:\/\d+)*)$/.exec(part);
            if (m) for (const n of m[2].split("/")) ids.add(`${m[1]}${n}`);
            else if (part) ids.add(part);
        }
    }
    return ids;
}

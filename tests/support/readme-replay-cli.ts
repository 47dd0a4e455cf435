/**
 * `npx tsx tests/support/readme-replay-cli.ts <folder>`: a copy of the project in `<folder>` with the README's `replay:`
 * blocks (Before your first up, Account layout, Adding a stack) replayed for the example organisation of
 * tests/support/readme-replay.ts (ACME): its account pinned, its region, repositories and CIDRs, a staging
 * stack with its deploy workflow. `.ci/run` runs the whole suite there, so a new user's first hour stays
 * green. `node_modules` is linked, not copied; `../shared` is linked beside the copy when it exists here.
 */
import * as fs from "fs";
import * as path from "path";
import { projectRoot } from "../../tooling/offline/paths";
import { replayReadme } from "./readme-replay";

const LEFT_OUT = new Set(["node_modules", ".build", "out", ".git"]);

function main(): void {
    const target = process.argv[2];
    if (!target) {
        console.error("usage: npx tsx tests/support/readme-replay-cli.ts <folder>  (a new folder for the replayed copy)");
        process.exit(2);
    }
    const dir = path.resolve(target);
    if (fs.existsSync(dir)) {
        console.error(`${dir} exists; give a new folder`);
        process.exit(2);
    }
    fs.mkdirSync(dir, { recursive: true });
    for (const entry of fs.readdirSync(projectRoot)) {
        if (!LEFT_OUT.has(entry)) fs.cpSync(path.join(projectRoot, entry), path.join(dir, entry), { recursive: true });
    }
    fs.symlinkSync(path.join(projectRoot, "node_modules"), path.join(dir, "node_modules"), "dir");
    const shared = path.resolve(projectRoot, "..", "shared");
    const besideCopy = path.resolve(dir, "..", "shared");
    if (fs.existsSync(shared) && !fs.existsSync(besideCopy)) fs.symlinkSync(shared, besideCopy, "dir");
    replayReadme(fs.readFileSync(path.join(dir, "README.md"), "utf8"), dir);
    console.log(`README replayed in ${dir}: stacks ${fs.readdirSync(dir).filter((f) => /^Pulumi\..+\.yaml$/.test(f)).join(", ")}`);
}

main();

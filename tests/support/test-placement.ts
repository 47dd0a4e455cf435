import * as fs from "fs";
import * as path from "path";
import { projectRoot } from "../../tooling/offline/paths";

/**
 * Where a test goes (README "Build and test", "Where a test goes"): the folders of tests/ and what each
 * mirrors. A test file outside them, or a helper where the tests run, is misplaced.
 */
export const TEST_FOLDERS: Record<string, string> = {
    "tests/": "one concern of components/ or stacks/, or a behaviour across areas (the stack, CI, the README)",
    "tests/config/": "stacks/config/",
    "tests/preflight/": "stacks/preflight/",
    "tests/policy/": "policy/, one file per policy area",
    "tests/templates/": "templates/",
    "tests/render/": "the rendered Kubernetes manifests of a whole stack (npm run render)",
};

/** Folders of tests/ that hold no tests: helpers, the policy cases, the fixtures (stack files, charts, recorded AWS responses). */
export const HELPER_FOLDERS = ["tests/support/", "tests/policy/cases/", "tests/fixtures/"];

/** Why `file` (relative to the project, `/`-separated) is misplaced, or undefined when it follows the rule. */
export function misplaced(file: string): string | undefined {
    if (HELPER_FOLDERS.some((f) => file.startsWith(f))) {
        return file.endsWith(".test.ts") ? `${file}: a test in ${HELPER_FOLDERS.find((f) => file.startsWith(f))}, which holds no tests` : undefined;
    }
    const folder = `${path.posix.dirname(file)}/`;
    if (!(folder in TEST_FOLDERS)) return `${file}: tests live in ${Object.keys(TEST_FOLDERS).join(", ")} (README "Where a test goes")`;
    if (!file.endsWith(".test.ts") && file !== "tests/run.js") return `${file}: only <name>.test.ts files here; helpers go to tests/support/`;
    return undefined;
}

export function filesUnder(dir: string): string[] {
    return fs.readdirSync(path.join(projectRoot, dir), { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(`${dir}/${e.name}`) : [`${dir}/${e.name}`]));
}


import * as fs from "fs";
import * as path from "path";

/** The project root (the folder holding Pulumi.yaml), whether tests run from source or compiled. */
export const projectRoot: string = (() => {
    let dir = __dirname;
    while (!fs.existsSync(path.join(dir, "Pulumi.yaml"))) {
        const parent = path.dirname(dir);
        if (parent === dir) throw new Error(`no Pulumi.yaml above ${__dirname}`);
        dir = parent;
    }
    return dir;
})();

/** Upstream files (charts, CRDs, Kubernetes schemas) that sit beside the repo in CI, not in a user's clone. */
export const referenceDir = path.resolve(projectRoot, "..", "shared", "reference");

import * as fs from "fs";
import * as ipaddr from "ipaddr.js";
import * as os from "os";
import * as path from "path";
import { parseDocument } from "yaml";
import { projectRoot } from "../../tooling/offline/paths";
import { readmeRecipes, replayRecipe } from "./readme-replay";
import { PROJECT, stackFileConfig } from "../../tooling/offline/stack-files";
import { stackNames } from "./stacks";

/**
 * A scratch copy of what a stack build reads: `Pulumi.yaml` and every `Pulumi.<stack>.yaml` (and, with
 * `workflows`, `.github/workflows/`). The program's code stays where it is (the builds run it against the
 * copy's folder), so a copy costs a few files, not a project.
 */
export function copyStackFiles(from: string = projectRoot, { workflows = false } = {}): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "eks-platform-stacks-"));
    for (const file of ["Pulumi.yaml", ...stackNames(from).map((s) => `Pulumi.${s}.yaml`)]) fs.copyFileSync(path.join(from, file), path.join(dir, file));
    if (workflows) fs.cpSync(path.join(from, ".github", "workflows"), path.join(dir, ".github", "workflows"), { recursive: true });
    return dir;
}

/** Sets config keys of `Pulumi.<stack>.yaml` in `dir`, keeping its comments (`project:key` or a bare project key). */
export function editStackFile(dir: string, stack: string, values: Record<string, unknown>): void {
    const file = path.join(dir, `Pulumi.${stack}.yaml`);
    const doc = parseDocument(fs.readFileSync(file, "utf8"));
    for (const [key, value] of Object.entries(values)) {
        const qualified = key.includes(":") ? key : `${PROJECT}:${key}`;
        if (value === undefined) doc.deleteIn(["config", qualified]);
        else doc.setIn(["config", qualified], value);
    }
    fs.writeFileSync(file, doc.toString({ lineWidth: 0 }));
}

/**
 * Adds a `staging` stack by replaying README "Adding a stack" (its stack-file blocks, and the CI one when
 * the copied dev file has CI access), with `vpcCidr` as its CIDR.
 */
export function addStackPerRecipe(dir: string, vpcCidr: string): void {
    const readme = readmeRecipes(fs.readFileSync(path.join(projectRoot, "README.md"), "utf8"));
    const withCi = Boolean(stackFileConfig("dev", dir)[`${PROJECT}:ciRepository`]);
    for (const name of ["adding a stack", ...(withCi ? ["adding a stack, with CI"] : [])]) {
        const recipe = readme.find((r) => r.name === name);
        if (!recipe) throw new Error(`README has no "replay: ${name}" block`);
        replayRecipe(dir, recipe, { "staging-vpc-cidr": vpcCidr });
    }
}

/**
 * Points a stack's CI access at `repository`, as README's quick start says; a file that had no CI
 * access yet also gets the GitHub environment its deploys run in (named after its `environment`).
 */
export function setCiRepository(dir: string, stack: string, repository: string): void {
    const config = stackFileConfig(stack, dir);
    const subjects = [`${PROJECT}:ciDeployBranches`, `${PROJECT}:ciDeployEnvironments`].some((k) => Array.isArray(config[k]) && (config[k] as unknown[]).length > 0);
    const environment = String(config[`${PROJECT}:environment`] ?? stack);
    editStackFile(dir, stack, {
        ciRepository: repository,
        // The repository's numeric id and the state bucket, as the quick start says; prod previews wait for a reviewer.
        ciRepositoryId: config[`${PROJECT}:ciRepositoryId`] ?? "123456789",
        ciRepositoryOwnerId: config[`${PROJECT}:ciRepositoryOwnerId`] ?? "987654321",
        ciStateBucket: config[`${PROJECT}:ciStateBucket`] ?? "example-pulumi-state/eks-platform",
        ...(environment === "prod" && !config[`${PROJECT}:ciPreviewEnvironment`] ? { ciPreviewEnvironment: "preview-production" } : {}),
        ...(subjects ? {} : { ciDeployEnvironments: [environment] }),
    });
}

/** A /16 of 10.0.0.0/8 that overlaps no stack file's vpcCidr in `dir` (a new stack's, whatever the user's CIDRs). */
export function unusedVpcCidr(dir: string): string {
    const taken = stackNames(dir).map((s) => ipaddr.parseCIDR(String(stackFileConfig(s, dir)[`${PROJECT}:vpcCidr`])));
    for (let octet = 2; octet < 256; octet++) {
        const candidate = ipaddr.parseCIDR(`10.${octet}.0.0/16`);
        if (!taken.some(([net, bits]) => candidate[0].match(net, Math.min(bits, 16)))) return `10.${octet}.0.0/16`;
    }
    throw new Error(`no free /16 in 10.0.0.0/8 beside the stack files of ${dir}`);
}

export const removeCopy = (dir: string): void => fs.rmSync(dir, { recursive: true, force: true });

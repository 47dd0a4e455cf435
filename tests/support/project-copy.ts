import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parseDocument } from "yaml";
import { projectRoot } from "./paths";
import { PROJECT, stackFileConfig } from "./stack-files";
import { stackNames } from "./stacks";

/**
 * A scratch copy of what a stack build reads: `Pulumi.yaml` and every `Pulumi.<stack>.yaml`. The
 * program's code stays where it is (the builds run it against the copy's folder), so a copy costs a
 * few files, not a project.
 */
export function copyStackFiles(from: string = projectRoot): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "eks-platform-stacks-"));
    for (const file of ["Pulumi.yaml", ...stackNames(from).map((s) => `Pulumi.${s}.yaml`)]) fs.copyFileSync(path.join(from, file), path.join(dir, file));
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
    fs.writeFileSync(file, doc.toString());
}

/**
 * Adds a stack the way README "Adding a stack" says: start from an existing stack file and give the
 * new one its own environment, cluster name, VPC CIDR, cost-center tag, secret prefixes and GitOps
 * environments, and (with CI) its own GitHub environment to deploy from.
 */
export function addStackPerRecipe(dir: string, stack: string, vpcCidr: string, template = "dev"): void {
    fs.copyFileSync(path.join(dir, `Pulumi.${template}.yaml`), path.join(dir, `Pulumi.${stack}.yaml`));
    const withCi = Boolean(stackFileConfig(stack, dir)[`${PROJECT}:ciRepository`]);
    editStackFile(dir, stack, {
        environment: stack,
        clusterName: `eks-${stack}`,
        vpcCidr,
        extraTags: [`cost-center=platform-${stack}`],
        externalSecretsPrefixes: [stack],
        gitopsEnvironments: [stack],
        ciDeployBranches: undefined,
        ciDeployEnvironments: withCi ? [stack] : undefined,
    });
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

export const removeCopy = (dir: string): void => fs.rmSync(dir, { recursive: true, force: true });

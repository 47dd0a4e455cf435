import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { parse } from "yaml";
import { otherStackRegistries } from "./registry-collisions";
import { PlatformConfig } from "./types";
import { validateConfig } from "./validate";

/**
 * Loads and validates the current stack's config. Reads the sibling `Pulumi.<stack>.yaml` files
 * too, so that no two stacks of the project get overlapping VPC CIDRs.
 */
export function loadConfig(projectDir: string = process.cwd()): PlatformConfig {
    const project = pulumi.getProject();
    const stack = pulumi.getStack();
    const values = pulumi.runtime.allConfig();
    return validateConfig({
        project,
        stack,
        values,
        otherStackCidrs: otherStackCidrs(projectDir, project, stack),
        otherStackRegistries: otherStackRegistries(projectDir, project, stack),
        secretKeys: Object.keys(values).filter(isConfigSecret),
    });
}

/** vpcCidr of every stack file in `projectDir` except `stack`'s own. */
export function otherStackCidrs(projectDir: string, project: string, stack: string): Record<string, string> {
    const cidrs: Record<string, string> = {};
    for (const file of fs.readdirSync(projectDir)) {
        const match = /^Pulumi\.(.+)\.ya?ml$/.exec(file);
        if (!match || match[1] === stack) continue;
        const doc = parse(fs.readFileSync(path.join(projectDir, file), "utf8")) as { config?: Record<string, unknown> } | null;
        const cidr = doc?.config?.[`${project}:vpcCidr`];
        if (typeof cidr === "string") cidrs[match[1]] = cidr;
    }
    return cidrs;
}

/** Whether the engine handed `key` over as a secret (the SDK has this, but leaves it out of its typings). */
function isConfigSecret(key: string): boolean {
    const runtime = pulumi.runtime as unknown as { isConfigSecret?: (k: string) => boolean };
    return runtime.isConfigSecret?.(key) ?? false;
}

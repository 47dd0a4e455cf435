import * as pulumi from "@pulumi/pulumi";
import { StackRegistry } from "./registry-collisions";
import { otherStackFiles } from "./stack-files";
import { otherStackNames } from "./stack-names";
import { PlatformConfig } from "./keys";
import { validateConfig } from "./validate";

/**
 * Loads and validates the current stack's config. Reads the sibling `Pulumi.<stack>.yaml` files
 * too, so that no two stacks of the project get overlapping VPC CIDRs, colliding repository names, or
 * the same environment or cluster name.
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
        otherStackNames: otherStackNames(projectDir, project, stack),
        secretKeys: Object.keys(values).filter(isConfigSecret),
    });
}

/** vpcCidr of every stack file in `projectDir` except `stack`'s own. */
export function otherStackCidrs(projectDir: string, project: string, stack: string): Record<string, string> {
    const cidrs: Record<string, string> = {};
    for (const [name, config] of Object.entries(otherStackFiles(projectDir, stack))) {
        const cidr = config[`${project}:vpcCidr`];
        if (typeof cidr === "string") cidrs[name] = cidr;
    }
    return cidrs;
}

/** The registries of every stack file in `projectDir` except `stack`'s own. */
export function otherStackRegistries(projectDir: string, project: string, stack: string): Record<string, StackRegistry> {
    const out: Record<string, StackRegistry> = {};
    for (const [name, config] of Object.entries(otherStackFiles(projectDir, stack))) {
        const names = Array.isArray(config[`${project}:ecrRepositories`]) ? (config[`${project}:ecrRepositories`] as unknown[]).map(String) : [];
        const prefixed = String(config[`${project}:ecrPrefixWithEnvironment`]) === "true";
        const prefix = prefixed ? `${String(config[`${project}:environment`])}/` : "";
        const accounts = config["aws:allowedAccountIds"];
        out[name] = {
            region: typeof config["aws:region"] === "string" ? config["aws:region"] : undefined,
            allowedAccountIds: Array.isArray(accounts) ? accounts.map(String) : [],
            names: names.map((n) => `${prefix}${n}`),
        };
    }
    return out;
}

/** Whether the engine handed `key` over as a secret (the SDK has this, but leaves it out of its typings). */
function isConfigSecret(key: string): boolean {
    const runtime = pulumi.runtime as unknown as { isConfigSecret?: (k: string) => boolean };
    return runtime.isConfigSecret?.(key) ?? false;
}

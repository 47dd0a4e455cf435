import { otherStackFiles } from "./stack-files";

/** What another stack file says about the ECR repositories it creates, and where. */
export interface StackRegistry {
    region?: string;
    /** `aws:allowedAccountIds`; empty when the file does not pin its account. */
    allowedAccountIds: string[];
    /** Repository names as created (prefix applied). */
    names: string[];
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

/**
 * The other stack files that certainly target this stack's account and region: both pin their accounts
 * and the lists meet, in the same region. Where a file pins no account, only the account itself can tell.
 */
export function stacksSharingAccount(own: Omit<StackRegistry, "names">, others: Record<string, StackRegistry>): { stack: string; accounts: string[] }[] {
    return Object.entries(others).flatMap(([stack, other]) => {
        if (other.region !== own.region) return [];
        const accounts = own.allowedAccountIds.filter((id) => other.allowedAccountIds.includes(id));
        return accounts.length > 0 ? [{ stack, accounts }] : [];
    });
}

/**
 * Repository names this stack shares with another stack file that certainly targets the same account
 * and region ({@link stacksSharingAccount}). Where a file pins no account, the preflight looks for taken
 * names in the account itself.
 */
export function registryCollisions(own: StackRegistry, others: Record<string, StackRegistry>): { stack: string; name: string; accounts: string[] }[] {
    return stacksSharingAccount(own, others).flatMap(({ stack, accounts }) =>
        own.names.filter((name) => others[stack].names.includes(name)).map((name) => ({ stack, name, accounts })),
    );
}

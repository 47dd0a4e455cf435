/** What another stack file says about the ECR repositories it creates, and where. */
export interface StackRegistry {
    region?: string;
    /** `aws:allowedAccountIds`; empty when the file does not pin its account. */
    allowedAccountIds: string[];
    /** Repository names as created (prefix applied). */
    names: string[];
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

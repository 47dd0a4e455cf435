/**
 * A copied stack file that still carries its source's environment or clusterName. Both name things that are
 * account-wide, not regional (IAM roles such as eks-platform-deploy-<environment> and <clusterName>-karpenter),
 * and both are what IAM scoping tells stacks apart by (the environment tag, ARNs naming the cluster). So two
 * stack files may share them only when each pins its account and no account is in both: the one layout where
 * the validator can prove they never meet. An unpinned file may target any account.
 */
import { ConfigReader, Reads } from "./reader";
import { otherStackFiles } from "./stack-files";

/** What another stack file names its environment and cluster, and which accounts it pins. */
export interface StackNames {
    environment?: string;
    clusterName?: string;
    /** `aws:allowedAccountIds`; empty when the file pins none. */
    allowedAccountIds: string[];
}

/** The names of every stack file in `projectDir` except `stack`'s own. */
export function otherStackNames(projectDir: string, project: string, stack: string): Record<string, StackNames> {
    const text = (v: unknown) => (typeof v === "string" ? v : undefined);
    return Object.fromEntries(
        Object.entries(otherStackFiles(projectDir, stack)).map(([name, config]) => {
            const accounts = config["aws:allowedAccountIds"];
            return [name, { environment: text(config[`${project}:environment`]), clusterName: text(config[`${project}:clusterName`]), allowedAccountIds: Array.isArray(accounts) ? accounts.map(String) : [] }];
        }),
    );
}

/** Rejects an environment or clusterName another stack file uses, unless both pin disjoint accounts. */
export function checkStackNames(r: ConfigReader<Reads<{ environment: "string"; clusterName: "string" }>>, allowedAccountIds: string[], others: Record<string, StackNames>): void {
    const apart = (other: StackNames) => allowedAccountIds.length > 0 && other.allowedAccountIds.length > 0 && !allowedAccountIds.some((id) => other.allowedAccountIds.includes(id));
    const hint = "; give this stack file its own, or pin different accounts in both files (aws:allowedAccountIds)";
    for (const [stack, other] of Object.entries(others)) {
        if (apart(other)) continue;
        if (r.ok("environment") && r.get("environment") === other.environment) {
            r.reject("environment", other.environment, `stack "${stack}" has the same environment: the environment tag and the role names derived from it would be shared${hint}`);
        }
        if (r.ok("clusterName") && r.get("clusterName") === other.clusterName) {
            r.reject("clusterName", other.clusterName, `stack "${stack}" names its cluster the same: IAM role names derived from it are account-wide${hint}`);
        }
    }
}

import { CiAccessArgs } from "../../components/ci-access/types";
import { ciAccessIssues } from "../../components/ci-access/iam";
import { deployRoleName } from "../../components/ci-access/types";
import { ConfigKey } from "./keys";
import { ConfigReader } from "./reader";
import { CiConfig } from "./types";

/** The config key each CiAccess argument comes from. */
const ARGUMENT_KEYS: Partial<Record<keyof CiAccessArgs, ConfigKey>> = {
    repository: "ciRepository",
    environment: "environment",
    deployBranches: "ciDeployBranches",
    deployEnvironments: "ciDeployEnvironments",
    trustedRoleArns: "ciTrustedRoleArns",
    deploySessionSeconds: "ciDeploySessionSeconds",
};

/** Reads the CiAccess keys; undefined when `ciRepository` is empty (no CI access in this stack). */
export function readCiConfig(r: ConfigReader, environment: string, adminPrincipals: string[]): CiConfig | undefined {
    const repository = r.get("ciRepository");
    const ci = {
        repository,
        deployBranches: r.get("ciDeployBranches"),
        deployEnvironments: r.get("ciDeployEnvironments"),
        trustedRoleArns: r.get("ciTrustedRoleArns"),
        deploySessionSeconds: r.get("ciDeploySessionSeconds"),
        oidcProviderArn: r.get("ciOidcProviderArn") || undefined,
    };
    if (!repository) return undefined;

    // The component's own checks, reported under the config keys they come from; a key that already
    // failed its own rule (built from the same forms) is not reported again.
    for (const issue of ciAccessIssues({ ...ci, environment })) {
        const keys = issue.fields.map((field) => ARGUMENT_KEYS[field]!);
        if (!r.ok(...keys)) continue;
        r.note(`${r.qualified(keys.join("/"))}: got ${JSON.stringify(issue.value)}; allowed: ${issue.allowed}`);
    }
    const deployRole = `role/${deployRoleName(environment)}`;
    const listed = adminPrincipals.find((p) => p === deployRole || p.endsWith(`:${deployRole}`));
    if (listed) r.reject("clusterAdminArns", listed, "CiAccess already makes its deploy role a cluster-admin; EKS allows one access entry per principal");
    return ci;
}

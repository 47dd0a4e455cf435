import { ciAccessProblems } from "../../components/ci-access/iam";
import { deployRoleName } from "../../components/ci-access/types";
import { ConfigReader } from "./reader";
import { CiConfig } from "./types";

const FIELD_KEYS: Record<string, string> = {
    repository: "ciRepository",
    deployBranches: "ciDeployBranches",
    deployEnvironments: "ciDeployEnvironments",
    "deployBranches/deployEnvironments": "ciDeployBranches/ciDeployEnvironments",
    trustedRoleArns: "ciTrustedRoleArns",
    deploySessionSeconds: "ciDeploySessionSeconds",
};
const OIDC_PROVIDER = /^arn:aws(-cn|-us-gov)?:iam::\d{12}:oidc-provider\/token\.actions\.githubusercontent\.com$/;

/** Reads the CiAccess keys; undefined when `ciRepository` is empty (no CI access in this stack). */
export function readCiConfig(r: ConfigReader, environment: string, adminPrincipals: string[]): CiConfig | undefined {
    const repository = r.string("ciRepository");
    const ci = {
        repository,
        deployBranches: r.list("ciDeployBranches"),
        deployEnvironments: r.list("ciDeployEnvironments"),
        trustedRoleArns: r.list("ciTrustedRoleArns"),
        deploySessionSeconds: r.integer("ciDeploySessionSeconds"),
        oidcProviderArn: r.string("ciOidcProviderArn") || undefined,
    };
    if (!repository) return undefined;

    // The component's own checks, reported under the config keys they come from.
    for (const problem of ciAccessProblems({ ...ci, environment })) {
        const field = problem.slice(0, problem.indexOf(":"));
        r.note(`${r.qualified(FIELD_KEYS[field] ?? field)}${problem.slice(field.length)}`);
    }
    if (ci.oidcProviderArn && !OIDC_PROVIDER.test(ci.oidcProviderArn)) r.reject("ciOidcProviderArn", ci.oidcProviderArn);
    const deployRole = `role/${deployRoleName(environment)}`;
    const listed = adminPrincipals.find((p) => p === deployRole || p.endsWith(`:${deployRole}`));
    if (listed) r.reject("clusterAdminArns", listed, "CiAccess already makes its deploy role a cluster-admin; EKS allows one access entry per principal");
    return ci;
}

import { CI_ACCESS_FORMS, CiAccessArgs, CiApplication } from "../../components/ci-access/types";
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
    prodAgentRoleArns: "ciProdAgentRoleArns",
    deploySessionSeconds: "ciDeploySessionSeconds",
    repositoryId: "ciRepositoryId",
    repositoryOwnerId: "ciRepositoryOwnerId",
    stateLocation: "ciStateBucket",
    previewEnvironment: "ciPreviewEnvironment",
    applications: "ciApplications",
    applicationPushEnvironment: "ciApplicationPushEnvironment",
    applicationPullEnvironment: "ciApplicationPullEnvironment",
};

/** Reads the CiAccess keys; undefined when `ciRepository` is empty (no CI access in this stack). */
export function readCiConfig(r: ConfigReader, environment: string, adminPrincipals: string[]): CiConfig | undefined {
    const repository = r.get("ciRepository");
    const ci = {
        repository,
        deployBranches: r.get("ciDeployBranches"),
        deployEnvironments: r.get("ciDeployEnvironments"),
        trustedRoleArns: r.get("ciTrustedRoleArns"),
        prodAgentRoleArns: r.get("ciProdAgentRoleArns"),
        deploySessionSeconds: r.get("ciDeploySessionSeconds"),
        oidcProviderArn: r.get("ciOidcProviderArn") || undefined,
        repositoryId: r.get("ciRepositoryId"),
        repositoryOwnerId: r.get("ciRepositoryOwnerId"),
        stateLocation: r.get("ciStateBucket"),
        previewEnvironment: r.get("ciPreviewEnvironment") || undefined,
        secretPrefixes: r.get("externalSecretsPrefixes") ?? [],
        applications: readApplications(r, environment),
        applicationPushEnvironment: r.get("ciApplicationPushEnvironment") || undefined,
        applicationPullEnvironment: r.get("ciApplicationPullEnvironment") || undefined,
    };
    if (!repository) return undefined;
    for (const key of ["ciRepositoryId", "ciRepositoryOwnerId", "ciStateBucket"] as const) {
        if (r.ok(key) && !r.get(key)) r.reject(key, "", "required when ciRepository is set");
    }
    // Prod's pull-request previews wait for a reviewer: unreviewed code never holds prod credentials.
    if (environment === "prod" && !ci.previewEnvironment) r.reject("ciPreviewEnvironment", "", "required in prod when ciRepository is set (a GitHub environment with required reviewers)");
    // Jenkins: a reviewed stack's roles are reachable only from an agent that never builds a branch or pull request.
    if (r.ok("ciPreviewEnvironment", "ciTrustedRoleArns") && ci.previewEnvironment && ci.trustedRoleArns.length > 0) {
        r.reject(
            "ciTrustedRoleArns",
            ci.trustedRoleArns,
            `empty in a stack with ciPreviewEnvironment (${ci.previewEnvironment}): an agent that builds branches and pull requests would reach its roles before any review; list the instance role of a Jenkins agent that builds main alone in ciProdAgentRoleArns`,
        );
    }
    if (r.ok("ciPreviewEnvironment", "ciProdAgentRoleArns") && !ci.previewEnvironment && ci.prodAgentRoleArns.length > 0) {
        r.reject("ciProdAgentRoleArns", ci.prodAgentRoleArns, "only in a stack with ciPreviewEnvironment (reviewed previews); list this stack's agent roles in ciTrustedRoleArns");
    }

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

/** `ciApplications` entries with the ECR repository's full name; each must be one of `ecrRepositories`. */
function readApplications(r: ConfigReader, environment: string): CiApplication[] {
    if (!r.ok("ciApplications", "ecrRepositories", "ecrPrefixWithEnvironment")) return [];
    const names: string[] = r.get("ecrRepositories");
    const prefix = r.get("ecrPrefixWithEnvironment") ? `${environment}/` : "";
    const apps: CiApplication[] = [];
    for (const entry of r.get("ciApplications") as string[]) {
        const [, repository, repositoryOwnerId, repositoryId, ecr] = CI_ACCESS_FORMS.application.pattern.exec(entry)!;
        if (!names.includes(ecr)) {
            r.reject("ciApplications", entry, `ECR repository "${ecr}" is not one of ecrRepositories (${names.join(", ") || "none"})`);
            continue;
        }
        apps.push({ repository, repositoryId, repositoryOwnerId, ecrRepository: `${prefix}${ecr}` });
    }
    return apps;
}

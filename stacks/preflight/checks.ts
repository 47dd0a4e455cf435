import { AUTO_MODE } from "../../components/versions";
import { addonsNeedingABuild, missingBuilds, noBuildText } from "./addon-builds";
import { AccountFacts, Lookup, LookupRequest } from "./lookups";

/** The slice of validated stack config the preflight reads. */
export interface PreflightInput {
    project: string;
    /** The EKS cluster name (`clusterName`), unique per account and region. */
    clusterName: string;
    /** Log groups the stack creates under fixed names. */
    fixedLogGroupNames: string[];
    environment: string;
    region: string;
    /** Fully qualified config keys, so messages can name them. */
    namespace: string;
    kubernetesVersion: string;
    /** Config key `computeMode`; fixed at creation, so an existing cluster's must match. */
    computeMode: "karpenter" | "auto";
    /** `ipFamily`: an existing cluster of this stack must have been created with it (EKS cannot change it). */
    ipFamily: string;
    /** Empty in `auto` mode, which has no system node group. */
    systemNodeInstanceTypes: string[];
    /** Zones the VPC spans: a system instance type must be offered in at least this many. */
    azCount: number;
    karpenterInstanceFamilies: string[];
    /** Karpenter may launch spot capacity (needs the EC2 Spot service-linked role). */
    spotCapacity: boolean;
    /** IAM principals named in config, each with the key it came from. */
    principals: { key: string; principal: string }[];
    repositories: string[];
    /** CI access is configured; with `oidcProviderArn` the provider is given, not looked up. */
    ci?: { oidcProviderArn?: string; oidcUrl: string };
    /** `aws:allowedAccountIds` of the stack file. */
    allowedAccountIds: string[];
    /** Production stacks warn when no account is pinned. */
    production: boolean;
    /** Secrets Manager secret with the pull-through cache's Docker Hub credentials. */
    dockerHubCredentialsSecret: string;
}

export interface PreflightResult {
    /** Each names the config key, the value and what to do; any problem stops the program. */
    problems: string[];
    warnings: string[];
    accountId?: string;
    /** Spot capacity is configured and the account lacks `AWSServiceRoleForEC2Spot`: the program creates it. */
    createSpotServiceLinkedRole: boolean;
    /** A GitHub OIDC provider this stack did not create: CI access reuses it instead of creating a duplicate. */
    reuseGithubOidcProviderArn?: string;
    /** ARN of the Docker Hub credentials secret (the pull-through cache rule needs the full ARN). */
    dockerHubCredentialsArn?: string;
    /**
     * The IPv4 service range of this stack's existing cluster (DescribeCluster): fixed at creation, so an Auto Mode
     * stack keeps it even when a later `otherVpcCidrs` would make the program choose the other range.
     */
    existingServiceIpv4Cidr?: string;
}

const PRINCIPAL = /^(?:arn:aws[a-z-]*:iam::(\d{12}):)?(role|user)\/(?:[^/]+\/)*([^/]+)$/;

/** What to look up for `input`: the role and user names of this account, the types and families, the repos. */
export function lookupRequest(input: PreflightInput): LookupRequest {
    const roles = new Set<string>();
    const users = new Set<string>();
    for (const { principal } of input.principals) {
        const m = PRINCIPAL.exec(principal);
        if (m) (m[2] === "role" ? roles : users).add(m[3]);
    }
    return {
        kubernetesVersion: input.kubernetesVersion,
        instanceTypes: input.systemNodeInstanceTypes,
        instanceFamilies: input.karpenterInstanceFamilies,
        roleNames: [...roles].sort(),
        userNames: [...users].sort(),
        repositoryNames: input.repositories,
        githubOidcUrl: input.ci?.oidcUrl ?? "",
        managedAddons: addonsNeedingABuild(input.computeMode),
        clusterName: input.clusterName,
        fixedLogGroupNames: input.fixedLogGroupNames,
        dockerHubCredentialsSecret: input.dockerHubCredentialsSecret,
    };
}

/** Judges the facts against the config: problems stop the program before anything is created. */
export function evaluate(input: PreflightInput, facts: AccountFacts): PreflightResult {
    const problems: string[] = [];
    const warnings: string[] = [];
    const key = (k: string) => (k.includes(":") ? k : `${input.namespace}:${k}`);
    const got = (k: string, value: unknown, what: string) => problems.push(`${key(k)}: got ${JSON.stringify(value)}; ${what}`);
    /** A look-up that failed is a problem of its own: the deploy would meet the same error later. */
    const read = <T>(lookup: Lookup<T>, what: string, needs: string): T | undefined => {
        if (lookup.ok) return lookup.value;
        problems.push(`preflight: could not ${what} (${lookup.error}); the identity running Pulumi needs ${needs}`);
        return undefined;
    };

    const accountId = facts.accountId.ok ? facts.accountId.value : undefined;
    if (!facts.accountId.ok) {
        problems.push(`aws: no usable credentials for ${input.region} (${facts.accountId.error}); check aws:profile / aws:assumeRoles in the stack file or the ambient AWS credentials`);
        return { problems, warnings, createSpotServiceLinkedRole: false };
    }
    const account = `${accountId}${facts.accountAlias ? ` (${facts.accountAlias})` : ""}`;

    if (input.allowedAccountIds.length > 0 && !input.allowedAccountIds.includes(accountId!)) {
        got("aws:allowedAccountIds", input.allowedAccountIds, `the credentials are for account ${account}; use credentials for an allowed account or fix the list`);
    } else if (input.production && input.allowedAccountIds.length === 0) {
        warnings.push(
            `production stack deploys into account ${account} as ${facts.callerArn ?? "the current identity"}; ` +
                `pin it with \`pulumi config set --path 'aws:allowedAccountIds[0]' ${accountId}\` so other credentials fail before anything changes`,
        );
    }

    const regions = read(facts.regions, `list the account's regions in ${input.region}`, "ec2:DescribeRegions");
    if (regions && !regions.includes(input.region)) {
        got("aws:region", input.region, `not enabled for account ${account}; enable it (Account > AWS Regions) or choose one of ${regions.slice().sort().join(", ")}`);
    }

    const autoModeMissing = AUTO_MODE.unavailableRegionPrefixes.find((prefix) => input.region.startsWith(prefix));
    if (input.computeMode === "auto" && autoModeMissing) {
        got("computeMode", "auto", `EKS Auto Mode is not offered in aws:region ${input.region} (none of the ${autoModeMissing}* Regions has it; ${AUTO_MODE.source}, checked ${AUTO_MODE.checked}); use computeMode karpenter there, or another region`);
    }

    const versions = read(facts.kubernetesVersions, "list EKS Kubernetes versions", "eks:DescribeClusterVersions");
    if (versions) {
        const offered = versions.find((v) => v.version === input.kubernetesVersion);
        if (!offered) {
            const list = versions.map((v) => v.version).sort().join(", ");
            got("kubernetesVersion", input.kubernetesVersion, `EKS in ${input.region} offers ${list}; choose one of those`);
        } else if (/EXTENDED/i.test(offered.status)) {
            warnings.push(`${key("kubernetesVersion")}: ${input.kubernetesVersion} is in extended support in ${input.region} (6x the control-plane price); plan the upgrade`);
        }
        if (offered) {
            const addons = read(facts.managedAddonVersions, `look up EKS add-on versions for Kubernetes ${input.kubernetesVersion}`, "eks:DescribeAddonVersions");
            const missing = missingBuilds(addons ?? {});
            if (missing.length > 0) {
                got("kubernetesVersion", input.kubernetesVersion, `${noBuildText(input.region, missing, "it")}; stay on the current version until it does`);
            }
        }
    }

    // The zone count first: a VPC asked to span more zones than the region has is azCount's fault, not the types'.
    const regionZones = read(facts.availabilityZones, `list the availability zones of ${input.region}`, "ec2:DescribeAvailabilityZones");
    const spanned = regionZones && regionZones.length < input.azCount ? regionZones.length : input.azCount;
    if (regionZones && regionZones.length < input.azCount) {
        got("azCount", input.azCount, `${input.region} has ${regionZones.length} availability zones (${regionZones.slice().sort().join(", ")}); allowed here: 2 to ${regionZones.length}`);
    }
    const zones = read(facts.instanceTypeZones, `list instance type offerings in ${input.region}`, "ec2:DescribeInstanceTypeOfferings");
    if (zones) {
        for (const type of input.systemNodeInstanceTypes) {
            const where = zones[type] ?? [];
            if (where.length === 0) got("systemNodeInstanceTypes", type, `not offered in ${input.region}; choose a type the region offers`);
            else if (where.length < spanned) {
                got("systemNodeInstanceTypes", type, `offered in ${where.length} zone(s) of ${input.region} (${where.sort().join(", ")}) but the VPC spans ${spanned}; choose a type offered in every zone`);
            }
        }
        for (const family of input.karpenterInstanceFamilies) {
            if (!Object.keys(zones).some((t) => t.startsWith(`${family}.`))) {
                got("karpenterInstanceFamilies", family, `no size of this family is offered in ${input.region}; remove it or choose a family the region offers`);
            }
        }
    }

    const roles = read(facts.existingRoles, "list IAM roles", "iam:ListRoles");
    const users = read(facts.existingUsers, "list IAM users", "iam:ListUsers");
    for (const { key: k, principal } of input.principals) {
        const m = PRINCIPAL.exec(principal);
        if (!m || (m[1] && m[1] !== accountId)) continue; // another account's principal cannot be listed from here
        const known = m[2] === "role" ? roles : users;
        if (known && !known.includes(m[3])) {
            got(k, principal, `no IAM ${m[2]} named ${m[3]} in account ${account}; create it first or fix the name (EKS refuses access entries for missing principals)`);
        }
    }

    const spotRole = input.spotCapacity ? read(facts.spotServiceLinkedRole, "look for the EC2 Spot service-linked role", "iam:ListRoles") : true;
    const createSpotServiceLinkedRole = spotRole === false;

    let reuseGithubOidcProviderArn: string | undefined;
    if (input.ci && !input.ci.oidcProviderArn) {
        const existing = read(facts.githubOidcProvider, "look for the account's GitHub OIDC provider", "iam:GetOpenIDConnectProvider");
        const ours = existing && existing.tags.project === input.project && existing.tags.environment === input.environment;
        if (existing && !ours) {
            reuseGithubOidcProviderArn = existing.arn;
            const owner = existing.tags.environment ? `the ${existing.tags.environment} stack` : "something outside this stack";
            warnings.push(`CI access reuses the account's GitHub OIDC provider ${existing.arn}, created by ${owner}; destroying that stack removes it (see README, Teardown)`);
        }
    }

    const repositories = read(facts.ecrRepositories, `list ECR repositories in ${input.region}`, "ecr:DescribeRepositories and ecr:ListTagsForResource");
    for (const [name, tags] of Object.entries(repositories ?? {})) {
        if (tags.project === input.project && tags.environment === input.environment) continue;
        const owner = tags.environment && tags.project === input.project ? `the ${tags.environment} stack of this project` : "something outside this stack";
        got("ecrRepositories", name, `a repository of that name already exists in ${account} ${input.region}, owned by ${owner}; remove it from this list, import it (\`pulumi import aws:ecr/repository:Repository ...\`), or give the stacks different names`);
    }

    const ours = (tags: Record<string, string>) => tags.project === input.project && tags.environment === input.environment;
    const owner = (tags: Record<string, string>) => (tags.project === input.project && tags.environment ? `the ${tags.environment} stack of this project` : "something outside this stack");
    const cluster = read(facts.existingCluster, `list EKS clusters in ${input.region}`, "eks:ListClusters and eks:DescribeCluster");
    if (cluster && !ours(cluster.tags)) {
        got("clusterName", input.clusterName, `an EKS cluster of that name already exists in ${account} ${input.region}, owned by ${owner(cluster.tags)}; choose another clusterName`);
    } else if (cluster) {
        // Auto Mode is chosen when the cluster is created; switching would replace the cluster and everything in it.
        const created = cluster.autoMode ? "auto" : "karpenter";
        if (created !== input.computeMode) {
            got(
                "computeMode",
                input.computeMode,
                `this stack's cluster ${input.clusterName} was created with computeMode ${created} (DescribeCluster: computeConfig.enabled is ${cluster.autoMode}), and the mode cannot change after creation; set computeMode back to ${created}, or create a new stack for ${input.computeMode} and move the workloads`,
            );
        }
        if (cluster.ipFamily && cluster.ipFamily !== input.ipFamily) {
            // EKS fixes the family at creation; the update would replace the cluster (and the VPC under it), losing every workload.
            got(
                "ipFamily",
                input.ipFamily,
                `this stack's cluster ${input.clusterName} was created with ipFamily ${cluster.ipFamily}, and EKS cannot change a cluster's IP family; set ipFamily back to ${cluster.ipFamily}, or create a new stack with ${input.ipFamily} and move the workloads (README, Choosing a mode)`,
            );
        }
    }
    const logGroups = read(facts.existingLogGroups, `list CloudWatch log groups in ${input.region}`, "logs:DescribeLogGroups and logs:ListTagsForResource");
    for (const [name, tags] of Object.entries(logGroups ?? {})) {
        if (ours(tags)) continue;
        got("clusterName", input.clusterName, `the log group ${name} this cluster needs already exists in ${account} ${input.region}, owned by ${owner(tags)} (a destroyed cluster of the same name leaves it behind); delete it, import it (\`pulumi import aws:cloudwatch/logGroup:LogGroup ...\`), or choose another clusterName`);
    }

    // ECR accepts a Docker Hub cache rule only with credentials; without them every Docker Hub image would fail to pull.
    const dockerHub = read(facts.dockerHubCredentials, `look up the Secrets Manager secret ${input.dockerHubCredentialsSecret}`, "secretsmanager:DescribeSecret");
    const dockerHubCredentialsArn = dockerHub ?? undefined;
    if (dockerHub === null) {
        got(
            "dockerHubCredentialsSecret",
            input.dockerHubCredentialsSecret,
            `no such secret in ${account} ${input.region}; the ECR pull-through cache pulls Docker Hub images (Grafana, busybox, Velero) with it. Create it with a Docker Hub access token: \`aws secretsmanager create-secret --region ${input.region} --name ${input.dockerHubCredentialsSecret} --secret-string '{"username":"<user>","accessToken":"<token>"}'\` (README, Before your first up)`,
        );
    }

    const existingServiceIpv4Cidr = cluster && ours(cluster.tags) ? cluster.serviceIpv4Cidr : undefined;
    return { problems, warnings, accountId, createSpotServiceLinkedRole, reuseGithubOidcProviderArn, dockerHubCredentialsArn, existingServiceIpv4Cidr };
}

import * as aws from "@pulumi/aws";

/** The outcome of one read-only AWS look-up: a value, or the error text AWS gave. */
export type Lookup<T> = { ok: true; value: T } | { ok: false; error: string };

/** What the account and region look like before anything is created, read during `pulumi preview`. */
export interface AccountFacts {
    accountId: Lookup<string>;
    /** Absent when the account has no alias. */
    accountAlias?: string;
    callerArn?: string;
    /** Regions the account may use (enabled, or not opt-in). */
    regions: Lookup<string[]>;
    /** The region's availability zones that are up (no Local or Wavelength Zones): what the VPC can span. */
    availabilityZones: Lookup<string[]>;
    /** Instance type → availability zones of the region that offer it, for the types and families asked about. */
    instanceTypeZones: Lookup<Record<string, string[]>>;
    /** Kubernetes versions EKS offers in the region, with their support status. */
    kubernetesVersions: Lookup<{ version: string; status: string }[]>;
    /** IAM role and user names of this account that exist, out of those asked about. */
    existingRoles: Lookup<string[]>;
    existingUsers: Lookup<string[]>;
    /** Whether `AWSServiceRoleForEC2Spot` exists (without it, the first spot launch fails). */
    spotServiceLinkedRole: Lookup<boolean>;
    /** The account's GitHub Actions OIDC provider, when there is one. */
    githubOidcProvider: Lookup<{ arn: string; tags: Record<string, string> } | undefined>;
    /** ECR repositories of the region that carry one of the configured names, with their tags. */
    ecrRepositories: Lookup<Record<string, Record<string, string>>>;
    /** EKS managed add-on → the default build EKS offers for the Kubernetes version, undefined when it offers none. */
    managedAddonVersions: Lookup<Record<string, string | undefined>>;
    /** An EKS cluster of the configured name in the region, when one exists: its tags, IP family and whether it runs Auto Mode. */
    existingCluster: Lookup<ExistingCluster | undefined>;
    /** Log groups the stack creates under fixed names that already exist, with their tags. */
    existingLogGroups: Lookup<Record<string, Record<string, string>>>;
    /** ARN of the Docker Hub credentials secret; null when there is no such secret. */
    dockerHubCredentials: Lookup<string | null>;
}

/** What DescribeCluster says about a cluster that already has the configured name. */
export interface ExistingCluster {
    tags: Record<string, string>;
    /** `kubernetesNetworkConfig.ipFamily`; undefined when EKS reports none. */
    ipFamily?: string;
    /** Whether it runs EKS Auto Mode (`computeConfig.enabled`). */
    autoMode: boolean;
    /** `kubernetesNetworkConfig.serviceIpv4Cidr`: the IPv4 service range it was created with. */
    serviceIpv4Cidr?: string;
}

/** What to look up: names come from the validated stack config. */
export interface LookupRequest {
    kubernetesVersion: string;
    instanceTypes: string[];
    instanceFamilies: string[];
    roleNames: string[];
    userNames: string[];
    repositoryNames: string[];
    githubOidcUrl: string;
    /** EKS managed add-ons that need a build for `kubernetesVersion`. */
    managedAddons: readonly string[];
    clusterName: string;
    /** Log groups the stack creates under names it cannot vary (EKS, Container Insights and WAF choose them). */
    fixedLogGroupNames: string[];
    /** Secrets Manager secret the ECR pull-through cache reads Docker Hub credentials from. */
    dockerHubCredentialsSecret: string;
}

/** How IAM (NoSuchEntity) and the provider (couldn't find resource / empty result) say "there is none". */
const NOT_FOUND = /NoSuchEntity|couldn't find resource|empty result|not found/i;
export const SPOT_SERVICE_LINKED_ROLE = { name: "AWSServiceRoleForEC2Spot", pathPrefix: "/aws-service-role/spot.amazonaws.com/" };

async function attempt<T>(read: () => Promise<T>): Promise<Lookup<T>> {
    try {
        return { ok: true, value: await read() };
    } catch (err) {
        return { ok: false, error: firstLine(err) };
    }
}

function firstLine(err: unknown): string {
    const text = err instanceof Error ? err.message : String(err);
    return text.split("\n").find((line) => line.trim().length > 0)?.trim() ?? text;
}

/** `^(a|b)$` for names taken literally (IAM names may hold `+=,.@-`). */
function exactly(names: string[]): string {
    return `^(${names.map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|")})$`;
}

/** Runs every look-up in parallel through the stack's own provider (its region, profile and assumed role). */
export async function lookUpAccount(req: LookupRequest, provider: aws.Provider): Promise<AccountFacts> {
    const opts = { provider };
    const identity = attempt(() => aws.getCallerIdentity({}, opts));
    const alias = attempt(() => aws.iam.getAccountAlias(opts));
    const regions = attempt(async () => {
        const found = await aws.getRegions({ allRegions: true, filters: [{ name: "opt-in-status", values: ["opt-in-not-required", "opted-in"] }] }, opts);
        return found.names;
    });
    const zones = attempt(async () => {
        const found = await aws.getAvailabilityZones({ state: "available", filters: [{ name: "zone-type", values: ["availability-zone"] }] }, opts);
        return found.names;
    });
    const offerings = attempt(async () => {
        const values = [...req.instanceTypes, ...req.instanceFamilies.map((f) => `${f}.*`)];
        const found = await aws.ec2.getInstanceTypeOfferings({ locationType: "availability-zone", filters: [{ name: "instance-type", values }] }, opts);
        const zones: Record<string, string[]> = {};
        found.instanceTypes.forEach((type, i) => (zones[type] ??= []).push(found.locations[i]));
        return zones;
    });
    const versions = attempt(async () => {
        const found = await aws.eks.getClusterVersions({}, opts);
        return found.clusterVersions.map((v) => ({ version: v.clusterVersion, status: v.versionStatus }));
    });
    const roles = req.roleNames.length === 0 ? Promise.resolve({ ok: true, value: [] } as Lookup<string[]>) : attempt(async () => (await aws.iam.getRoles({ nameRegex: exactly(req.roleNames) }, opts)).names);
    const users = req.userNames.length === 0 ? Promise.resolve({ ok: true, value: [] } as Lookup<string[]>) : attempt(async () => (await aws.iam.getUsers({ nameRegex: exactly(req.userNames) }, opts)).names);
    const spot = attempt(async () => {
        const found = await aws.iam.getRoles({ pathPrefix: SPOT_SERVICE_LINKED_ROLE.pathPrefix }, opts);
        return found.names.includes(SPOT_SERVICE_LINKED_ROLE.name);
    });
    const oidc = attempt(async () => {
        try {
            const found = await aws.iam.getOpenIdConnectProvider({ url: req.githubOidcUrl }, opts);
            return { arn: found.arn, tags: found.tags ?? {} };
        } catch (err) {
            // Absence is an answer, not a failure; any other error (e.g. access denied) is reported.
            if (NOT_FOUND.test(firstLine(err))) return undefined;
            throw err;
        }
    });
    const repositories = attempt(async () => {
        if (req.repositoryNames.length === 0) return {};
        const existing = (await aws.ecr.getRepositories({}, opts)).names.filter((n) => req.repositoryNames.includes(n));
        const tagged = await Promise.all(existing.map(async (name) => [name, (await aws.ecr.getRepository({ name }, opts)).tags ?? {}] as const));
        return Object.fromEntries(tagged);
    });

    // The same look-up the managed add-ons make (aws.eks.getAddonVersion), so an upgrade to a version
    // some add-on has no build for stops here, not halfway through `pulumi up`.
    const addonVersions = attempt(async () => {
        const found = await Promise.all(
            req.managedAddons.map(async (addonName) => {
                try {
                    return [addonName, (await aws.eks.getAddonVersion({ addonName, kubernetesVersion: req.kubernetesVersion, mostRecent: false }, opts)).version] as const;
                } catch (err) {
                    if (NOT_FOUND.test(firstLine(err))) return [addonName, undefined] as const;
                    throw err;
                }
            }),
        );
        return Object.fromEntries(found);
    });

    // A cluster or log group of the same name (another stack, or what a destroyed cluster left) makes
    // creation fail halfway; its tags say whether it is this stack's own.
    const cluster = attempt(async () => {
        const names = (await aws.eks.getClusters({}, opts)).names;
        if (!names.includes(req.clusterName)) return undefined;
        const found = await aws.eks.getCluster({ name: req.clusterName }, opts);
        const network = found.kubernetesNetworkConfigs?.[0];
        return { tags: found.tags ?? {}, ipFamily: network?.ipFamily, serviceIpv4Cidr: network?.serviceIpv4Cidr || undefined, autoMode: (found.computeConfigs ?? []).some((c) => c.enabled) };
    });
    const logGroups = attempt(async () => {
        const found = await Promise.all(
            req.fixedLogGroupNames.map(async (name) => {
                const names = (await aws.cloudwatch.getLogGroups({ logGroupNamePrefix: name }, opts)).logGroupNames ?? [];
                return names.includes(name) ? ([[name, (await aws.cloudwatch.getLogGroup({ name }, opts)).tags ?? {}]] as const) : [];
            }),
        );
        return Object.fromEntries(found.flat());
    });

    const dockerHub = attempt(async () => {
        try {
            return (await aws.secretsmanager.getSecret({ name: req.dockerHubCredentialsSecret }, opts)).arn;
        } catch (err) {
            if (NOT_FOUND.test(firstLine(err))) return null;
            throw err;
        }
    });

    const [id, a, r, z, o, v, ro, u, s, gh, ecr, av, cl, lg, dh] = await Promise.all([identity, alias, regions, zones, offerings, versions, roles, users, spot, oidc, repositories, addonVersions, cluster, logGroups, dockerHub]);
    return {
        accountId: id.ok ? { ok: true, value: id.value.accountId } : id,
        callerArn: id.ok ? id.value.arn : undefined,
        accountAlias: a.ok && a.value.accountAlias ? a.value.accountAlias : undefined,
        regions: r,
        availabilityZones: z,
        instanceTypeZones: o,
        kubernetesVersions: v,
        existingRoles: ro,
        existingUsers: u,
        spotServiceLinkedRole: s,
        githubOidcProvider: gh,
        ecrRepositories: ecr,
        managedAddonVersions: av,
        existingCluster: cl,
        existingLogGroups: lg,
        dockerHubCredentials: dh,
    };
}

/**
 * The stack area: environment, network, registry, tags, waivers and protection. Its keys (type, default,
 * description, rule), its reader and its type; keys.ts joins the areas.
 */
import { CI_ACCESS_FORMS } from "../../components/ci-access/types";
import { IpFamily, NatStrategy } from "../../components/network/types";
import * as checks from "./checks";
import { overlaps, parseIpv4Cidr } from "./cidr";
import { ConfigReader, Reads } from "./reader";
import { StackRegistry, registryCollisions } from "./registry-collisions";
import { BOOLEAN, KeySpec, RETENTION_DAYS, check, integer, list, oneOf, pattern } from "./rules";
import { readTenantEgress } from "./tenant-egress";

const ECR_NAME = /^(?=.{2,256}$)(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/;

export const STACK_KEYS = {
    environment: {
        type: "string",
        description: "Environment name; becomes the `environment` tag and names the GitOps environments.",
        rule: pattern(CI_ACCESS_FORMS.environment.pattern, CI_ACCESS_FORMS.environment.form),
        crossKey: "no other stack file's, unless both pin different accounts (aws:allowedAccountIds)",
    },
    vpcCidr: {
        type: "string",
        description: "IPv4 CIDR of the VPC; must not overlap any other stack's so VPCs can be peered.",
        rule: check("a private (RFC 1918) IPv4 CIDR from /16 to /20", checks.vpcCidr),
        crossKey: "overlapping no other stack's vpcCidr",
    },
    azCount: {
        type: "integer",
        // awsx splits the VPC into a power-of-two block per zone (4 for 3-4 zones, 8 for 5-6); a private subnet is
        // 1/8 of the VPC, so from 5 zones on it fills its block and leaves no room for the public one.
        description: "Number of availability zones (at most 4: each holds a private subnet of 1/8 of the VPC and a public one of 1/64).",
        default: 3,
        rule: integer(2, 4),
    },
    natStrategy: {
        type: "string",
        description: "NAT gateways: `single` (one shared, cheaper) or `onePerAz` (survives an AZ outage).",
        default: "onePerAz",
        rule: oneOf(["single", "onePerAz"]),
    },
    ipFamily: {
        type: "string",
        description: "IP family of the VPC and the cluster, fixed at creation: `ipv4`, or `ipv6` (a dual-stack VPC with an Amazon-provided IPv6 block; pods and Services get IPv6 addresses, so the pod count is no longer bounded by vpcCidr; README, Choosing a mode).",
        default: "ipv4",
        rule: oneOf(["ipv4", "ipv6"]),
        crossKey: "ipv4 in the China regions (aws:region cn-*: EKS offers no IPv6 clusters there); unchanged once the stack's cluster exists (the preflight compares it with the cluster's)",
    },
    flowLogRetentionDays: {
        type: "integer",
        description: "Retention of the VPC flow-log group, in days.",
        default: 365,
        rule: RETENTION_DAYS,
    },
    ecrRepositories: {
        type: "array",
        description: "ECR repositories to create, one per name.",
        default: [],
        rule: list(pattern(ECR_NAME, "an ECR repository name (lowercase; segments of [a-z0-9] joined by '.', '_', '-' or '/'; 2-256 characters)"), { unique: true }),
    },
    ecrPrefixWithEnvironment: {
        type: "boolean",
        description: "Name each repository `<environment>/<name>`, so stacks sharing an account and region never claim the same names.",
        default: false,
        rule: BOOLEAN,
    },
    ecrKeepTaggedImages: {
        type: "integer",
        description: "How many tagged images each ECR lifecycle policy keeps (untagged ones expire after 1 day).",
        default: 30,
        rule: integer(1, 10000),
    },
    ecrMutableTags: {
        type: "array",
        description: "Tag filters (wildcards allowed, e.g. `latest`) exempt from tag immutability; empty keeps every tag immutable.",
        default: [],
        rule: list(check("a tag filter of letters, digits, '.', '_', '-' and '*' that leaves some tag immutable (not * alone)", checks.mutableTagFilter), { maxItems: 5, unique: true }),
        crossKey: "empty in prod (the policy pack's ecr-immutable-tags allows no exclusion there)",
    },
    dockerHubCredentialsSecret: {
        type: "string",
        description: "Secrets Manager secret (its name starts with ecr-pullthroughcache/) holding Docker Hub `username` and `accessToken`: the stack's ECR pull-through cache pulls Docker Hub images (Grafana, busybox, Velero) with it.",
        default: "ecr-pullthroughcache/docker-hub",
        rule: pattern(/^ecr-pullthroughcache\/[A-Za-z0-9/_+=.@-]{1,480}$/, "a secret name starting with ecr-pullthroughcache/"),
    },
    tenantEgress: {
        type: "array",
        description: "Where each gitopsEnvironments namespace's pods may connect on TCP 443 (the internet, AWS APIs), as `<environment>=<IPv4 CIDR>` or `<environment>=none`; an environment not listed gets 0.0.0.0/0. Link-local addresses (instance metadata), this VPC and the other stacks' VPCs are always cut out.",
        default: [],
        rule: list(check("<environment>=<IPv4 CIDR> or <environment>=none, e.g. production=203.0.113.0/24", checks.tenantEgress), { unique: true }),
        crossKey: "needs gitopsRepoUrl; each environment one of gitopsEnvironments; none alone for its environment; no CIDR inside link-local 169.254.0.0/16, vpcCidr or another stack's vpcCidr",
    },
    policyWaivers: {
        type: "array",
        description: "Security checks this stack waives, each `<check id>: <reason>` (see shared security checklist ids).",
        default: [],
        rule: list(pattern(checks.WAIVER, "'<CHECK_ID>: <reason of at least 10 characters>'")),
        crossKey: "each check id once",
    },
    protectResources: {
        type: "boolean",
        description: "Protect stateful resources (cluster, keys, repositories, log groups) from deletion and refuse to force-delete repositories.",
        default: true,
        rule: BOOLEAN,
    },
    extraTags: {
        type: "array",
        description: "Extra `key=value` tags for every AWS resource, on top of environment, project and managed-by.",
        default: [],
        rule: list(check("a key=value tag: key of 1-128 characters not starting with 'aws:' nor one the program sets (environment, project, managed-by), value up to 256 characters", checks.extraTag)),
    },
} as const satisfies Record<string, KeySpec>;

/** Keys of other namespaces the program reads; documented with the project's keys, declared by their providers. */
export const PROVIDER_KEYS = {
    "aws:region": {
        type: "string",
        description: "AWS region of the stack (set it with `pulumi config set aws:region <region>`).",
        rule: check("an AWS region code of the commercial, GovCloud or China partition", checks.region),
    },
} as const satisfies Record<string, KeySpec>;

/** The stack-wide part of the configuration. */
export interface StackConfig {
    /** Environment name, e.g. `dev` or `prod`. */
    environment: string;
    /** Tags every AWS resource carries (through the provider's default tags). */
    tags: Record<string, string>;
    /** Whether stateful resources are protected from deletion. */
    protect: boolean;
    /** Waived security checks: check id → reason. */
    waivers: Record<string, string>;
    network: NetworkConfig;
    registry: RegistryConfig;
}

export interface NetworkConfig {
    vpcCidr: string;
    azCount: number;
    natStrategy: NatStrategy;
    /** `ipv6`: dual-stack VPC, IPv6 pods and Services. Config key `ipFamily`. */
    ipFamily: IpFamily;
    flowLogRetentionDays: number;
    /** The other stack files' VPC CIDRs: no pod of this stack may connect there. */
    otherVpcCidrs: string[];
    /** Per gitopsEnvironments namespace, the CIDRs its pods reach on 443 (`tenantEgress`); empty: none. */
    tenantEgress: Record<string, string[]>;
}

export interface RegistryConfig {
    /** `<environment>/` when ecrPrefixWithEnvironment is on, else empty. */
    namePrefix: string;
    repositories: string[];
    keepTaggedImages: number;
    mutableTagFilters: string[];
    /** Secrets Manager secret with the Docker Hub credentials of the pull-through cache. Config key `dockerHubCredentialsSecret`. */
    dockerHubCredentialsSecret: string;
}

/** What the stack reader needs besides the keys: the stack, its region and accounts, and the other stack files. */
export interface StackContext {
    project: string;
    stack: string;
    /** `aws:region`; undefined when missing (reported already). */
    region?: string;
    allowedAccountIds: string[];
    otherStackCidrs: Record<string, string>;
    otherStackRegistries: Record<string, StackRegistry>;
}

type StackKeys = typeof STACK_KEYS & Reads<{ gitopsEnvironments: "array"; gitopsRepoUrl: "string" }>;

/** Reads the stack keys and checks the rules between them and the other stack files. */
export function readStackConfig(r: ConfigReader<StackKeys>, ctx: StackContext): StackConfig {
    const environment = r.get("environment");
    const vpcCidr = r.get("vpcCidr");
    if (r.ok("vpcCidr")) checkVpcOverlap(r, vpcCidr, ctx.otherStackCidrs);
    const waivers = readWaivers(r);
    const ipFamily = r.get("ipFamily") as IpFamily;
    if (ipFamily === "ipv6" && ctx.region?.startsWith("cn-") && r.ok("ipFamily")) {
        r.reject("ipFamily", ipFamily, `EKS creates no IPv6 cluster in the China regions (aws:region ${ctx.region}); use ipv4 there`);
    }
    const tenantEgress = readTenantEgress(r, r.get("gitopsEnvironments"), vpcCidr, ctx.otherStackCidrs);
    const mutableTags = r.get("ecrMutableTags");
    if (mutableTags.length > 0 && r.ok("ecrMutableTags") && (checks.isProduction(environment) || checks.isProduction(ctx.stack))) {
        r.reject("ecrMutableTags", mutableTags, "prod keeps every image tag immutable: the policy pack's ecr-immutable-tags refuses any exclusion there");
    }
    const namePrefix = r.get("ecrPrefixWithEnvironment") ? `${environment}/` : "";
    if (r.ok("ecrRepositories", "ecrPrefixWithEnvironment") && ctx.region) {
        const own = { region: ctx.region, allowedAccountIds: ctx.allowedAccountIds, names: r.get("ecrRepositories").map((n) => `${namePrefix}${n}`) };
        for (const c of registryCollisions(own, ctx.otherStackRegistries)) {
            r.reject("ecrRepositories", c.name, `stack "${c.stack}" creates the same repository in account ${c.accounts.join(", ")} and ${own.region}; set ecrPrefixWithEnvironment: true in one of the two stack files, or name the repositories apart`);
        }
    }
    return {
        environment,
        tags: readTags(r, ctx.project, environment),
        protect: r.get("protectResources"),
        waivers,
        network: {
            vpcCidr,
            azCount: r.get("azCount"),
            natStrategy: r.get("natStrategy") as NatStrategy,
            ipFamily,
            flowLogRetentionDays: r.get("flowLogRetentionDays"),
            otherVpcCidrs: Object.values(ctx.otherStackCidrs).filter((c) => parseIpv4Cidr(c) !== undefined),
            tenantEgress,
        },
        registry: {
            namePrefix,
            repositories: r.get("ecrRepositories"),
            keepTaggedImages: r.get("ecrKeepTaggedImages"),
            mutableTagFilters: mutableTags,
            dockerHubCredentialsSecret: r.get("dockerHubCredentialsSecret"),
        },
    };
}

/** The VPC's own form is its key's rule; this is the rule it shares with the other stacks. */
function checkVpcOverlap(r: ConfigReader<StackKeys>, text: string, others: Record<string, string>): void {
    const cidr = parseIpv4Cidr(text)!;
    for (const [stack, otherText] of Object.entries(others)) {
        const other = parseIpv4Cidr(otherText);
        if (other && overlaps(cidr, other)) r.reject("vpcCidr", text, `overlaps stack "${stack}" (${otherText})`);
    }
}

function readTags(r: ConfigReader<StackKeys>, project: string, environment: string): Record<string, string> {
    const tags: Record<string, string> = {};
    for (const entry of r.get("extraTags")) {
        const eq = entry.indexOf("=");
        tags[entry.slice(0, eq)] = entry.slice(eq + 1);
    }
    return { ...tags, environment, project, "managed-by": "pulumi" };
}

function readWaivers(r: ConfigReader<StackKeys>): Record<string, string> {
    const waivers: Record<string, string> = {};
    for (const entry of r.get("policyWaivers")) {
        const [, id, reason] = checks.WAIVER.exec(entry)!;
        if (waivers[id] !== undefined) r.reject("policyWaivers", entry, `${id} is waived twice`);
        waivers[id] = reason;
    }
    return waivers;
}

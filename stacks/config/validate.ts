import { distance } from "fastest-levenshtein";
import { overlaps, parseIpv4Cidr } from "./cidr";
import { readAwsAccountSettings } from "./aws-account";
import { StackRegistry, registryCollisions, stacksSharingAccount } from "./registry-collisions";
import { readAddonsConfig } from "./addons";
import { WAIVER } from "./checks";
import { readCiConfig } from "./ci";
import { isProduction, readClusterConfig } from "./cluster";
import { readOpsConfig } from "./ops";
import { readPlatformConfig } from "./platform";
import { CONFIG_KEYS, ConfigKey, PROVIDER_KEYS, allowedText } from "./keys";
import { ConfigError, ConfigReader } from "./reader";
import { KNOWN_NAMESPACES, didYouMean } from "./reference";
import { checkPartitions } from "./partition";
import { StackNames, checkStackNames } from "./stack-names";
import { failures } from "./rules";
import { readTenantEgress } from "./tenant-egress";
import { NatStrategy, PlatformConfig } from "./types";

/** What the loader knows besides this stack's own config values. */
export interface ConfigContext {
    project: string;
    stack: string;
    /** All config of this stack, fully qualified keys (`aws:region`, `eks-platform:vpcCidr`), raw strings. */
    values: Record<string, string>;
    /** vpcCidr of every other stack in the project, by stack name. */
    otherStackCidrs: Record<string, string>;
    /** ECR repositories of every other stack file, to refuse names certain to collide in one account and region. */
    otherStackRegistries?: Record<string, StackRegistry>;
    /** Environment, clusterName and pinned accounts of every other stack file, to refuse a copy that kept them. */
    otherStackNames?: Record<string, StackNames>;
    /** Fully qualified keys whose values were set with `--secret`. */
    secretKeys?: string[];
}

/** Turns raw stack config into a typed PlatformConfig, or throws a ConfigError naming every bad key. */
export function validateConfig(ctx: ConfigContext): PlatformConfig {
    const r = new ConfigReader(ctx.project, ctx.values, ctx.secretKeys ?? []);
    rejectUnknownKeys(r, ctx);
    // Every key's type and own rule first, in declaration order; cross-key checks follow.
    for (const key of Object.keys(CONFIG_KEYS) as ConfigKey[]) r.get(key);

    const region = ctx.values["aws:region"];
    const regionProblems = region === undefined ? [] : failures(PROVIDER_KEYS["aws:region"].rule, region);
    if (region === undefined) r.note(`aws:region: missing; set it with \`pulumi config set aws:region <region>\` (allowed: ${allowedText("aws:region")})`);
    else for (const failure of regionProblems) r.reject("aws:region", failure.value, failure.reason);

    const aws = readAwsAccountSettings(ctx.values);
    aws.problems.forEach((p) => r.note(p));
    if (region !== undefined && regionProblems.length === 0) checkPartitions(r, region, aws.settings.assumeRoles.map((role) => String(role.roleArn)));

    const environment = r.get("environment");
    const vpcCidr = r.get("vpcCidr");
    if (r.ok("vpcCidr")) checkVpcOverlap(r, vpcCidr, ctx.otherStackCidrs);
    checkStackNames(r, aws.settings.allowedAccountIds, ctx.otherStackNames ?? {});

    const protect = r.get("protectResources");
    const tags = readTags(r, ctx.project, environment);
    const waivers = readWaivers(r);
    const cluster = readClusterConfig(r, environment, waivers);
    const addons = readAddonsConfig(r);
    const platform = readPlatformConfig(r, region ?? "", environment);
    const ops = readOpsConfig(r, environment);
    const tenantEgress = readTenantEgress(r, r.get("gitopsEnvironments"), vpcCidr, ctx.otherStackCidrs);
    const ci = readCiConfig(r, environment, cluster.adminPrincipals);
    const mutableTags = r.get("ecrMutableTags");
    if (mutableTags.length > 0 && r.ok("ecrMutableTags") && (isProduction(environment) || isProduction(ctx.stack))) {
        r.reject("ecrMutableTags", mutableTags, "prod keeps every image tag immutable: the policy pack's ecr-immutable-tags refuses any exclusion there");
    }
    const namePrefix = r.get("ecrPrefixWithEnvironment") ? `${environment}/` : "";
    if (r.ok("ecrRepositories", "ecrPrefixWithEnvironment") && ctx.values["aws:region"]) {
        const own = { region: ctx.values["aws:region"], allowedAccountIds: aws.settings.allowedAccountIds, names: r.get("ecrRepositories").map((n) => `${namePrefix}${n}`) };
        for (const c of registryCollisions(own, ctx.otherStackRegistries ?? {})) {
            r.reject("ecrRepositories", c.name, `stack "${c.stack}" creates the same repository in account ${c.accounts.join(", ")} and ${own.region}; set ecrPrefixWithEnvironment: true in one of the two stack files, or name the repositories apart`);
        }
    }

    if (r.problems.length > 0) throw new ConfigError(r.problems);
    return {
        project: ctx.project,
        stack: ctx.stack,
        region: region!,
        environment,
        tags,
        protect,
        clusterName: r.get("clusterName"),
        cluster,
        addons,
        platform,
        ops,
        ci,
        waivers,
        awsAccount: aws.settings,
        sharedAccountWith: stacksSharingAccount({ region, allowedAccountIds: aws.settings.allowedAccountIds }, ctx.otherStackRegistries ?? {}),
        network: {
            vpcCidr,
            azCount: r.get("azCount"),
            natStrategy: r.get("natStrategy") as NatStrategy,
            flowLogRetentionDays: r.get("flowLogRetentionDays"),
            otherVpcCidrs: Object.values(ctx.otherStackCidrs).filter((c) => parseIpv4Cidr(c) !== undefined),
            tenantEgress,
        },
        registry: {
            namePrefix,
            repositories: r.get("ecrRepositories"),
            keepTaggedImages: r.get("ecrKeepTaggedImages"),
            mutableTagFilters: r.get("ecrMutableTags"),
            dockerHubCredentialsSecret: r.get("dockerHubCredentialsSecret"),
        },
    };
}

/** Keys of the project's namespace must be known; other namespaces must be ones this program reads. */
function rejectUnknownKeys(r: ConfigReader, ctx: ConfigContext): void {
    const known = Object.keys(CONFIG_KEYS);
    const namespaces = [ctx.project, ...KNOWN_NAMESPACES];
    for (const qualified of Object.keys(ctx.values)) {
        const colon = qualified.indexOf(":");
        const namespace = qualified.slice(0, colon);
        const key = qualified.slice(colon + 1);
        if (namespace !== ctx.project) {
            if (namespaces.includes(namespace)) continue;
            const hint = didYouMean(namespace, namespaces);
            const meant = hint ? `; ${hint.replace(/\?$/, ":" + key + "?")}` : "";
            r.note(`${qualified}: unknown config namespace "${namespace}"${meant}; allowed namespaces: ${namespaces.join(", ")}`);
            continue;
        }
        if (known.includes(key)) continue;
        const guess = known.find((k) => distance(k.toLowerCase(), key.toLowerCase()) <= 2);
        const hint = guess ? `did you mean ${ctx.project}:${guess}? ` : "";
        r.note(`${qualified}: unknown key; ${hint}allowed keys: ${known.join(", ")}`);
    }
}

/** The VPC's own form is its key's rule; this is the rule it shares with the other stacks. */
function checkVpcOverlap(r: ConfigReader, text: string, others: Record<string, string>): void {
    const cidr = parseIpv4Cidr(text)!;
    for (const [stack, otherText] of Object.entries(others)) {
        const other = parseIpv4Cidr(otherText);
        if (other && overlaps(cidr, other)) r.reject("vpcCidr", text, `overlaps stack "${stack}" (${otherText})`);
    }
}

function readTags(r: ConfigReader, project: string, environment: string): Record<string, string> {
    const tags: Record<string, string> = {};
    for (const entry of r.get("extraTags")) {
        const eq = entry.indexOf("=");
        tags[entry.slice(0, eq)] = entry.slice(eq + 1);
    }
    return { ...tags, environment, project, "managed-by": "pulumi" };
}

function readWaivers(r: ConfigReader): Record<string, string> {
    const waivers: Record<string, string> = {};
    for (const entry of r.get("policyWaivers")) {
        const [, id, reason] = WAIVER.exec(entry)!;
        if (waivers[id] !== undefined) r.reject("policyWaivers", entry, `${id} is waived twice`);
        waivers[id] = reason;
    }
    return waivers;
}

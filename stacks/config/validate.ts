import { distance } from "fastest-levenshtein";
import { isPrivate, overlaps, parseIpv4Cidr } from "./cidr";
import { readAwsAccountSettings } from "../aws-provider";
import { readAddonsConfig } from "./addons";
import { readCiConfig } from "./ci";
import { CLOUDWATCH_RETENTION_DAYS, readClusterConfig } from "./cluster";
import { readPlatformConfig } from "./platform";
import { CONFIG_KEYS } from "./keys";
import { ConfigError, ConfigReader } from "./reader";
import { NatStrategy, PlatformConfig } from "./types";

/** What the loader knows besides this stack's own config values. */
export interface ConfigContext {
    project: string;
    stack: string;
    /** All config of this stack, fully qualified keys (`aws:region`, `eks-platform:vpcCidr`), raw strings. */
    values: Record<string, string>;
    /** vpcCidr of every other stack in the project, by stack name. */
    otherStackCidrs: Record<string, string>;
    /** Fully qualified keys whose values were set with `--secret`. */
    secretKeys?: string[];
}

const NAT_STRATEGIES: readonly NatStrategy[] = ["single", "onePerAz"];
const ECR_NAME = /^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/;
const REGION = /^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d+$/;

/** Turns raw stack config into a typed PlatformConfig, or throws a ConfigError naming every bad key. */
export function validateConfig(ctx: ConfigContext): PlatformConfig {
    const r = new ConfigReader(ctx.project, ctx.values);
    rejectUnknownKeys(r, ctx);

    const region = ctx.values["aws:region"];
    if (region === undefined || !REGION.test(region)) {
        r.note(`aws:region: got ${JSON.stringify(region ?? null)}; allowed: an AWS region code (set it with \`pulumi config set aws:region <region>\`)`);
    }

    const environment = r.string("environment");
    if (r.has("environment") && !/^[a-z][a-z0-9-]{1,15}$/.test(environment)) r.reject("environment", environment);

    const vpcCidr = r.string("vpcCidr");
    if (r.has("vpcCidr")) checkVpcCidr(r, vpcCidr, ctx.otherStackCidrs);

    const azCount = r.integer("azCount");
    if (!Number.isInteger(azCount) || azCount < 2 || azCount > 6) r.reject("azCount", azCount);

    const natStrategy = r.string("natStrategy") as NatStrategy;
    if (!NAT_STRATEGIES.includes(natStrategy)) r.reject("natStrategy", natStrategy);

    const flowLogRetentionDays = r.integer("flowLogRetentionDays");
    if (!CLOUDWATCH_RETENTION_DAYS.includes(flowLogRetentionDays)) r.reject("flowLogRetentionDays", flowLogRetentionDays);

    const clusterName = r.string("clusterName");
    if (r.has("clusterName") && !/^[0-9A-Za-z][A-Za-z0-9_-]{0,23}$/.test(clusterName)) r.reject("clusterName", clusterName);

    const repositories = r.list("ecrRepositories");
    for (const name of repositories) {
        if (name.length < 2 || name.length > 256 || !ECR_NAME.test(name)) r.reject("ecrRepositories", name);
    }
    const duplicate = repositories.find((name, i) => repositories.indexOf(name) !== i);
    if (duplicate) r.reject("ecrRepositories", duplicate, "listed twice");

    const keepTaggedImages = r.integer("ecrKeepTaggedImages");
    if (keepTaggedImages < 1 || keepTaggedImages > 10000) r.reject("ecrKeepTaggedImages", keepTaggedImages);

    const mutableTagFilters = r.list("ecrMutableTags");
    if (mutableTagFilters.length > 5) r.reject("ecrMutableTags", mutableTagFilters, "more than 5 filters");
    for (const filter of mutableTagFilters) {
        if (!/^[A-Za-z0-9._*-]{1,128}$/.test(filter)) r.reject("ecrMutableTags", filter);
    }

    const protect = r.boolean("protectResources");
    const tags = readTags(r, ctx.project, environment);
    const waivers = readWaivers(r);
    const cluster = readClusterConfig(r, environment, waivers);
    const addons = readAddonsConfig(r, cluster.systemNodes.minSize);
    const platform = readPlatformConfig(r, region ?? "", ctx.secretKeys ?? []);
    const ci = readCiConfig(r, environment, cluster.adminPrincipals);
    const aws = readAwsAccountSettings(ctx.values);
    aws.problems.forEach((p) => r.note(p));

    if (r.problems.length > 0) throw new ConfigError(r.problems);
    return {
        project: ctx.project,
        stack: ctx.stack,
        region: region!,
        environment,
        tags,
        protect,
        clusterName,
        cluster,
        addons,
        platform,
        ci,
        waivers,
        awsAccount: aws.settings,
        network: { vpcCidr, azCount, natStrategy, flowLogRetentionDays },
        registry: { repositories, keepTaggedImages, mutableTagFilters },
    };
}

function rejectUnknownKeys(r: ConfigReader, ctx: ConfigContext): void {
    const known = Object.keys(CONFIG_KEYS);
    for (const qualified of Object.keys(ctx.values)) {
        if (!qualified.startsWith(`${ctx.project}:`)) continue;
        const key = qualified.slice(ctx.project.length + 1);
        if (known.includes(key)) continue;
        const guess = known.find((k) => distance(k.toLowerCase(), key.toLowerCase()) <= 2);
        const hint = guess ? `did you mean ${ctx.project}:${guess}? ` : "";
        r.note(`${qualified}: unknown key; ${hint}allowed keys: ${known.join(", ")}`);
    }
}

function checkVpcCidr(r: ConfigReader, text: string, others: Record<string, string>): void {
    const cidr = parseIpv4Cidr(text);
    if (!cidr) return r.reject("vpcCidr", text, "not an IPv4 network address with prefix");
    if (!isPrivate(cidr)) return r.reject("vpcCidr", text, "not in 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16");
    if (cidr.prefix < 16) return r.reject("vpcCidr", text, "AWS VPCs are at most /16");
    if (cidr.prefix > 20) return r.reject("vpcCidr", text, "too small: private subnets get prefix +3 and must hold at least /23 of pod and node addresses");
    for (const [stack, otherText] of Object.entries(others)) {
        const other = parseIpv4Cidr(otherText);
        if (other && overlaps(cidr, other)) r.reject("vpcCidr", text, `overlaps stack "${stack}" (${otherText})`);
    }
}

function readTags(r: ConfigReader, project: string, environment: string): Record<string, string> {
    const tags: Record<string, string> = {};
    for (const entry of r.list("extraTags")) {
        const eq = entry.indexOf("=");
        const key = entry.slice(0, eq);
        const value = entry.slice(eq + 1);
        if (eq < 1 || key.length > 128 || value.length > 256 || key.toLowerCase().startsWith("aws:")) {
            r.reject("extraTags", entry);
        } else {
            tags[key] = value;
        }
    }
    return { ...tags, environment, project, "managed-by": "pulumi" };
}

function readWaivers(r: ConfigReader): Record<string, string> {
    const waivers: Record<string, string> = {};
    for (const entry of r.list("policyWaivers")) {
        const match = /^([A-Za-z0-9_.-]+):\s*(.{10,})$/.exec(entry.trim());
        if (match) waivers[match[1]] = match[2];
        else r.reject("policyWaivers", entry);
    }
    return waivers;
}

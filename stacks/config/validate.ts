import { distance } from "fastest-levenshtein";
import { readAwsAccountSettings } from "./aws-account";
import { StackRegistry, stacksSharingAccount } from "./registry-collisions";
import { readAddonsConfig } from "./addons";
import { readCiConfig } from "./ci";
import { readClusterConfig } from "./cluster";
import { readPlatformConfig } from "./platform";
import { readStackConfig } from "./stack";
import { CONFIG_KEYS, ConfigKey, PROVIDER_KEYS, PlatformConfig, allowedText } from "./keys";
import { ConfigError, ConfigReader, KeyTable } from "./reader";
import { KNOWN_NAMESPACES, didYouMean } from "./reference";
import { checkPartitions } from "./partition";
import { StackNames, checkStackNames } from "./stack-names";
import { failures } from "./rules";

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
    const r = new ConfigReader({ ...CONFIG_KEYS, ...PROVIDER_KEYS }, ctx.project, ctx.values, ctx.secretKeys ?? []);
    rejectUnknownKeys(r, ctx);
    // Every key's type and own rule first, in declaration order; cross-key checks follow, area by area.
    for (const key of Object.keys(CONFIG_KEYS) as ConfigKey[]) r.get(key);

    const region = ctx.values["aws:region"];
    const regionProblems = region === undefined ? [] : failures(PROVIDER_KEYS["aws:region"].rule, region);
    if (region === undefined) r.note(`aws:region: missing; set it with \`pulumi config set aws:region <region>\` (allowed: ${allowedText("aws:region")})`);
    else for (const failure of regionProblems) r.reject("aws:region", failure.value, failure.reason);

    const aws = readAwsAccountSettings(ctx.values);
    aws.problems.forEach((p) => r.note(p));
    if (region !== undefined && regionProblems.length === 0) checkPartitions(r, CONFIG_KEYS, region, aws.settings.assumeRoles.map((role) => String(role.roleArn)));
    checkStackNames(r, aws.settings.allowedAccountIds, ctx.otherStackNames ?? {});

    const stackConfig = readStackConfig(r, { ...ctx, region, allowedAccountIds: aws.settings.allowedAccountIds, otherStackRegistries: ctx.otherStackRegistries ?? {} });
    const { environment } = stackConfig;
    const cluster = readClusterConfig(r, environment, stackConfig.waivers);
    const addons = readAddonsConfig(r, environment);
    const platform = readPlatformConfig(r, region ?? "", environment);
    const ci = readCiConfig(r, environment, cluster.adminPrincipals);

    if (r.problems.length > 0) throw new ConfigError(r.problems);
    return {
        ...stackConfig,
        project: ctx.project,
        stack: ctx.stack,
        region: region!,
        clusterName: r.get("clusterName"),
        cluster,
        addons,
        platform,
        ci,
        awsAccount: aws.settings,
        sharedAccountWith: stacksSharingAccount({ region, allowedAccountIds: aws.settings.allowedAccountIds }, ctx.otherStackRegistries ?? {}),
    };
}

/** Keys of the project's namespace must be known; other namespaces must be ones this program reads. */
function rejectUnknownKeys(r: ConfigReader<KeyTable>, ctx: ConfigContext): void {
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

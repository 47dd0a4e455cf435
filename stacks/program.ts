import { applicationLogGroupName } from "../components/cluster/container-logs";
import { controlPlaneLogGroupName } from "../components/cluster/control-plane";
import { wafLogGroupName } from "../components/platform/waf";
import { GITHUB_OIDC } from "../components/ci-access/types";
import { awsProvider } from "./aws-provider";
import { isProduction } from "./config/checks";
import * as pulumi from "@pulumi/pulumi";
import { loadConfig } from "./config/load";
import { configWarnings } from "./config/warnings";
import { PlatformConfig } from "./config/keys";
import { PlatformOutputs, stackOutputs } from "./outputs";
import { buildPlatform } from "./platform";
import { PreflightInput, preflight } from "./preflight";

/** `index.ts` exports `stackOutputs(await runProgram())`; the outputs are declared in ./outputs. */
export { stackOutputs };

/**
 * The whole program, as `index.ts` runs it: validate the config (nothing registered on error), build the
 * provider from it, check the target account with read-only look-ups (nothing created on error), then
 * build the stack.
 */
export async function runProgram(projectDir: string = process.cwd()): Promise<PlatformOutputs> {
    const cfg = loadConfig(projectDir);
    for (const warning of configWarnings(cfg)) pulumi.log.warn(warning);
    const provider = awsProvider(cfg.region, cfg.tags, cfg.awsAccount);
    const checked = await preflight(preflightInput(cfg), provider);
    return buildPlatform(cfg, { provider, preflight: checked });
}

/** What the preflight needs to know of a validated config. */
export function preflightInput(cfg: PlatformConfig): PreflightInput {
    const principals = [
        ...cfg.cluster.adminPrincipals.map((principal) => ({ key: "clusterAdminArns", principal })),
        ...cfg.cluster.namespaceAccess.map((a) => ({ key: "namespaceAccess", principal: a.principal })),
        ...(cfg.ci?.trustedRoleArns ?? []).map((principal) => ({ key: "ciTrustedRoleArns", principal })),
        ...(cfg.ci?.prodAgentRoleArns ?? []).map((principal) => ({ key: "ciProdAgentRoleArns", principal })),
    ];
    return {
        project: cfg.project,
        clusterName: cfg.clusterName,
        fixedLogGroupNames: [
            controlPlaneLogGroupName(cfg.clusterName),
            ...(cfg.addons.containerLogs ? [applicationLogGroupName(cfg.clusterName)] : []),
            ...(cfg.platform.ingress?.scheme === "internet-facing" && cfg.platform.waf.enabled ? [wafLogGroupName(cfg.clusterName)] : []),
        ],
        environment: cfg.environment,
        region: cfg.region,
        namespace: cfg.project,
        kubernetesVersion: cfg.cluster.kubernetesVersion,
        computeMode: cfg.cluster.computeMode,
        ipFamily: cfg.network.ipFamily,
        systemNodeInstanceTypes: cfg.cluster.computeMode === "auto" ? [] : cfg.cluster.systemNodes.instanceTypes,
        azCount: cfg.network.azCount,
        karpenterInstanceFamilies: cfg.addons.karpenter.nodePool.instanceFamilies,
        spotCapacity: cfg.addons.karpenter.nodePool.capacityTypes.includes("spot"),
        principals,
        repositories: cfg.registry.repositories.map((name) => `${cfg.registry.namePrefix}${name}`),
        ci: cfg.ci ? { oidcUrl: GITHUB_OIDC.url, oidcProviderArn: typeof cfg.ci.oidcProviderArn === "string" ? cfg.ci.oidcProviderArn : undefined } : undefined,
        allowedAccountIds: cfg.awsAccount.allowedAccountIds,
        production: isProduction(cfg.environment) || cfg.protect,
        dockerHubCredentialsSecret: cfg.registry.dockerHubCredentialsSecret,
    };
}

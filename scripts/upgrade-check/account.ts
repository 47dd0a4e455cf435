/**
 * The account's view of an upgrade, read with the AWS SDK (read-only): the build of each managed add-on EKS
 * offers for the target (the preflight's look-up, stacks/preflight/addon-builds.ts) and the cluster's upgrade
 * insights (ListInsights, DescribeInsight). The client is injected, so tests replay recorded responses.
 */
import { DescribeAddonVersionsCommand, DescribeInsightCommand, EKSClient, Insight, InsightSummary, ListInsightsCommand } from "@aws-sdk/client-eks";
import { AddonVersionListing, defaultBuild, missingBuilds, noBuildText } from "../../stacks/preflight/addon-builds";
import { Finding } from "./findings";

/** What the check sends: an `EKSClient`, or a test's stand-in answering the same commands. */
export type EksClientLike = Pick<EKSClient, "send">;

/** An `EKSClient` for the stack's region (and `aws:profile`) once the SDK's default chain finds credentials; else why not. */
export async function eksClient(region: string, profile?: string): Promise<{ client: EKSClient } | { skipped: string }> {
    const client = new EKSClient({ region, profile, maxAttempts: 3 });
    try {
        await client.config.credentials();
        return { client };
    } catch (err) {
        client.destroy();
        return { skipped: `no AWS credentials from the SDK's default chain (${firstLine(err)})` };
    }
}

const firstLine = (err: unknown) => (err instanceof Error ? err.message : String(err)).split("\n")[0].trim();
const errorName = (err: unknown) => (err as { name?: string }).name ?? "";

export interface AccountRequest {
    region: string;
    clusterName: string;
    /** The managed add-ons the stack installs (an Auto Mode stack installs fewer). */
    addons: readonly string[];
    current: string;
    target: string;
}

export interface AccountView {
    findings: Finding[];
    /** Add-on → EKS's default build for the target (undefined: none); empty when the look-up failed. */
    addonBuilds: Record<string, string | undefined>;
}

/** Asks EKS about the target: add-on builds, then the cluster's upgrade insights. */
export async function accountView(client: EksClientLike, req: AccountRequest): Promise<AccountView> {
    const [builds, insights] = await Promise.all([addonBuilds(client, req), insightFindings(client, req)]);
    return { findings: [...builds.findings, ...insights], addonBuilds: builds.addonBuilds };
}

async function addonBuilds(client: EksClientLike, req: AccountRequest): Promise<AccountView> {
    try {
        const entries = await Promise.all(
            req.addons.map(async (addonName) => {
                const versions: AddonVersionListing[] = [];
                let nextToken: string | undefined;
                do {
                    const page = await client.send(new DescribeAddonVersionsCommand({ addonName, kubernetesVersion: req.target, nextToken }));
                    versions.push(...(page.addons ?? []).filter((a) => a.addonName === addonName).flatMap((a) => a.addonVersions ?? []));
                    nextToken = page.nextToken;
                } while (nextToken);
                return [addonName, defaultBuild(versions, req.target)] as const;
            }),
        );
        const builds = Object.fromEntries(entries);
        const missing = missingBuilds(builds);
        const findings: Finding[] = entries.filter(([, v]) => v).map(([name, v]) => ({ severity: "ok", subject: `managed add-on ${name}`, message: `EKS's default build for ${req.target} is ${v}` }));
        if (missing.length > 0) {
            findings.push({ severity: "block", subject: `managed add-on(s) ${missing.join(", ")}`, message: noBuildText(req.region, missing, `Kubernetes ${req.target}`), fix: `stay on ${req.current} until EKS publishes one (the preflight of \`pulumi preview\` stops the upgrade too)` });
        }
        return { findings, addonBuilds: builds };
    } catch (err) {
        return { findings: [{ severity: "block", subject: "managed add-on builds", message: `could not ask EKS (${firstLine(err)})`, fix: "grant the identity eks:DescribeAddonVersions, or run with credentials that have it" }], addonBuilds: {} };
    }
}

async function insightFindings(client: EksClientLike, req: AccountRequest): Promise<Finding[]> {
    const summaries: InsightSummary[] = [];
    try {
        let nextToken: string | undefined;
        do {
            const page = await client.send(new ListInsightsCommand({ clusterName: req.clusterName, filter: { categories: ["UPGRADE_READINESS"], kubernetesVersions: [req.target] }, nextToken }));
            summaries.push(...(page.insights ?? []));
            nextToken = page.nextToken;
        } while (nextToken);
    } catch (err) {
        if (errorName(err) === "ResourceNotFoundException") {
            return [{ severity: "ok", subject: `cluster ${req.clusterName}`, message: `does not exist in ${req.region}: no upgrade insights (a new cluster is created at the configured version)` }];
        }
        return [{ severity: "block", subject: `upgrade insights of ${req.clusterName}`, message: `could not list them (${firstLine(err)})`, fix: "grant the identity eks:ListInsights and eks:DescribeInsight, or run with credentials that have them" }];
    }
    if (summaries.length === 0) return [{ severity: "ok", subject: `upgrade insights of ${req.clusterName}`, message: `EKS reports none for ${req.target} yet (it refreshes them daily)` }];
    return Promise.all(
        summaries.map(async (summary): Promise<Finding> => {
            const status = summary.insightStatus?.status ?? "UNKNOWN";
            const subject = `upgrade insight "${summary.name}" (${summary.id})`;
            if (status === "PASSING") return { severity: "ok", subject, message: summary.insightStatus?.reason ?? "passing" };
            try {
                const { insight } = await client.send(new DescribeInsightCommand({ clusterName: req.clusterName, id: summary.id! }));
                return insightFinding(insight ?? summary, subject, status);
            } catch (err) {
                return { severity: "block", subject, message: `${status}: ${summary.insightStatus?.reason ?? ""}; could not describe it (${firstLine(err)})`, fix: "grant the identity eks:DescribeInsight, or read the insight in the EKS console" };
            }
        }),
    );
}

/** An insight that is not passing: ERROR blocks, WARNING and UNKNOWN warn; the resources, deprecated APIs and their clients say what to change. */
function insightFinding(insight: Insight, subject: string, status: string): Finding {
    const parts = [`${status}: ${insight.insightStatus?.reason ?? insight.description ?? ""}`.trim()];
    for (const d of insight.categorySpecificSummary?.deprecationDetails ?? []) {
        const clients = (d.clientStats ?? []).map((c) => `${c.userAgent} (${c.numberOfRequestsLast30Days} requests in 30 days)`).join(", ");
        parts.push(`${d.usage} stops being served in ${d.stopServingVersion}; use ${d.replacedWith}${clients ? `; called by ${clients}` : ""}`);
    }
    for (const a of insight.categorySpecificSummary?.addonCompatibilityDetails ?? []) parts.push(`add-on ${a.name} is compatible from ${(a.compatibleVersions ?? []).join(", ")}`);
    const resources = (insight.resources ?? []).filter((r) => r.insightStatus?.status !== "PASSING").map((r) => r.kubernetesResourceUri ?? r.arn);
    if (resources.length > 0) parts.push(`resources: ${resources.join(", ")}`);
    const fix = [insight.recommendation, ...Object.entries(insight.additionalInfo ?? {}).map(([k, v]) => `${k}: ${v}`)].filter(Boolean).join("; ");
    return { severity: status === "ERROR" ? "block" : "warn", subject, message: parts.join("; "), fix: fix || "see the insight in the EKS console (Upgrade insights)" };
}

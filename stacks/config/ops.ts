import { isProduction } from "./cluster";
import { ConfigReader } from "./reader";
import { OpsConfig } from "./types";

/** Reads the metrics, DNS, WAF, container-log and lifecycle keys; each key's own rule is the reader's. */
export function readOpsConfig(r: ConfigReader, environment: string): OpsConfig {
    const production = isProduction(environment);
    const replicas = r.get("metricsServerReplicas");
    const systemNodes = r.get("systemNodeMinSize");
    if (r.ok("metricsServerReplicas", "systemNodeMinSize") && replicas > systemNodes) {
        r.reject("metricsServerReplicas", replicas, `more than systemNodeMinSize ${systemNodes}; each replica needs its own system node`);
    }

    const zoneIds = r.get("externalDnsZoneIds");
    const domains = r.get("externalDnsDomains");
    if (r.ok("externalDnsZoneIds", "externalDnsDomains") && zoneIds.length === 0 && domains.length > 0) {
        r.reject("externalDnsDomains", domains, "externalDnsZoneIds is empty, so no external-dns is installed to manage these domains; list the hosted zone ids too");
    }

    // The platform's own host names must be ones external-dns publishes, or they silently never resolve.
    if (zoneIds.length > 0 && domains.length > 0 && r.ok("externalDnsDomains")) {
        for (const key of ["argocdHostname", "grafanaHostname"] as const) {
            const host = r.get(key);
            if (host && r.ok(key) && !domains.some((d) => host === d || host.endsWith(`.${d}`))) {
                r.reject(key, host, `not under any of externalDnsDomains (${domains.join(", ")}), so external-dns would not publish it`);
            }
        }
    }

    const wafEnabled = r.get("wafEnabled");
    if (production && !wafEnabled && r.get("ingressCertificateArn") && r.get("ingressScheme") === "internet-facing") {
        r.reject("wafEnabled", false, "a production ALB that faces the internet is protected by WAF");
    }

    const containerLogs = r.get("containerLogs");
    return {
        metricsServer: { replicas },
        externalDns: zoneIds.length > 0 ? { zoneIds, domains, policy: production ? "upsert-only" : "sync" } : undefined,
        waf: { enabled: wafEnabled, rateLimit: r.get("wafRateLimit"), logRetentionDays: r.get("wafLogRetentionDays") },
        containerLogs: containerLogs ? { retentionDays: r.get("containerLogRetentionDays") } : undefined,
        lifecycle: { supportType: r.get("clusterSupportType") as "STANDARD" | "EXTENDED", zonalShift: r.get("zonalShift") },
    };
}

import { expect } from "chai";
import { otherStackCidrs } from "../../stacks/config/load";
import { validateConfig } from "../../stacks/config/validate";
import { errorFor } from "../support/config-errors";
import { PROJECT, configWith, fixturesDir } from "../../tooling/offline/stack-files";

describe("operations config (metrics, DNS, WAF, container logs, lifecycle)", () => {
    const CERT_ARN = "arn:aws:acm:us-west-2:111122223333:certificate/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d";
    const config = (stack: string, overrides: Record<string, unknown> = {}) =>
        validateConfig({ project: PROJECT, stack, values: configWith(stack, overrides), otherStackCidrs: otherStackCidrs(fixturesDir, PROJECT, stack) });

    it("installs external-dns only with zone ids; upsert-only in prod, sync elsewhere", () => {
        expect(config("prod").addons.externalDns).to.deep.equal({ zoneIds: ["Z0PRODEXAMPLE000001"], domains: ["example.com"], policy: "upsert-only" });
        expect(config("dev").addons.externalDns?.policy).to.equal("sync");
        expect(config("dev", { externalDnsZoneIds: undefined, externalDnsDomains: undefined }).addons.externalDns).to.equal(undefined);
    });
    it("rejects a zone id with the /hostedzone/ prefix, and domains without zones", () => {
        expect(errorFor("dev", { externalDnsZoneIds: ["/hostedzone/Z0DEV"] })).to.include('eks-platform:externalDnsZoneIds: got "/hostedzone/Z0DEV"; allowed: a list of up to 10 unique items, each a Route 53 hosted zone id');
        expect(errorFor("dev", { externalDnsZoneIds: undefined })).to.include('eks-platform:externalDnsDomains: got ["dev.example.com"] (externalDnsZoneIds is empty, so no external-dns is installed');
    });
    it("rejects a platform host name external-dns would not publish", () => {
        const ingress = { ingressCertificateArn: CERT_ARN, argocdHostname: "argocd.example.org", grafanaHostname: "grafana.example.com" };
        expect(errorFor("prod", ingress)).to.include('eks-platform:argocdHostname: got "argocd.example.org" (not under any of externalDnsDomains (example.com), so external-dns would not publish it)');
        expect(config("prod", { ...ingress, argocdHostname: "argocd.example.com" }).addons.externalDns?.domains).to.deep.equal(["example.com"]);
    });
    it("refuses to turn WAF off for a production internet-facing ALB, allows it for an internal one and in dev", () => {
        const ingress = { ingressCertificateArn: CERT_ARN, argocdHostname: "argocd.example.com", grafanaHostname: "grafana.example.com" };
        expect(errorFor("prod", { ...ingress, ingressScheme: "internet-facing", wafEnabled: false })).to.include("eks-platform:wafEnabled: got false (a production ALB that faces the internet is protected by WAF)");
        expect(config("prod", { ...ingress, ingressScheme: "internal", wafEnabled: false }).platform.waf.enabled).to.equal(false);
        const devHosts = { argocdHostname: "argocd.dev.example.com", grafanaHostname: "grafana.dev.example.com" };
        expect(config("dev", { ...ingress, ...devHosts, ingressScheme: "internet-facing", wafEnabled: false }).platform.waf.enabled).to.equal(false);
    });
    it("rejects more metrics-server replicas than guaranteed system nodes, and a rate limit WAF refuses", () => {
        expect(errorFor("prod", { metricsServerReplicas: 3 })).to.include("eks-platform:metricsServerReplicas: got 3 (more than systemNodeMinSize 2; each replica needs its own system node)");
        expect(errorFor("prod", { wafRateLimit: 50 })).to.include("eks-platform:wafRateLimit: got 50");
    });
    it("keeps standard support and zonal shift by default; container logs can be switched off", () => {
        expect(config("prod").cluster.lifecycle).to.deep.equal({ supportType: "STANDARD", zonalShift: true });
        expect(config("prod", { clusterSupportType: "EXTENDED", zonalShift: false }).cluster.lifecycle).to.deep.equal({ supportType: "EXTENDED", zonalShift: false });
        expect(errorFor("prod", { clusterSupportType: "standard" })).to.include('eks-platform:clusterSupportType: got "standard"; allowed: one of STANDARD, EXTENDED');
        expect(config("dev", { containerLogs: false }).addons.containerLogs).to.equal(undefined);
        expect(config("dev").addons.containerLogs).to.deep.equal({ retentionDays: 7 });
    });
});

import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { AwsContext } from "../../shared/aws-context";
import { onSystemNodes } from "../../shared/placement";
import { ScrapeTarget } from "../../shared/scrape-target";
import { CHARTS } from "../../versions";
import { ClusterAddonComponent, ClusterAddonSpec, installClusterAddon, ownedNamespaces } from "../cluster-addon";
import type { IpFamily } from "../../network/types";
import type { Cluster } from "../index";
import { externalDnsPolicy } from "./iam";

export const EXTERNAL_DNS_SERVICE_ACCOUNT = { namespace: "external-dns", name: "external-dns" } as const;

/** Its own namespace; platform plumbing on the system nodes. */
export const EXTERNAL_DNS_ADDON: ClusterAddonSpec = {
    name: "external-dns",
    chart: CHARTS.externalDns,
    serviceAccount: EXTERNAL_DNS_SERVICE_ACCOUNT,
    ownNamespace: true,
    placement: onSystemNodes(),
};

export const EXTERNAL_DNS_SCRAPE_TARGET: ScrapeTarget = {
    name: "external-dns",
    namespace: EXTERNAL_DNS_SERVICE_ACCOUNT.namespace,
    appNames: ["external-dns"],
    port: "http",
    path: "/metrics",
};

export interface ExternalDnsArgs {
    /** The cluster; its name is the TXT owner id, so two clusters sharing a zone never touch each other's records. */
    cluster: Cluster;
    /** Account facts for ARNs and the SDK's region. */
    aws: AwsContext;
    /** Route 53 hosted zones external-dns may write in (the IAM policy allows nothing else). Config key `externalDnsZoneIds`. */
    zoneIds: string[];
    /** `--domain-filter`s; empty means every name in the zones. Config key `externalDnsDomains`. */
    domains: string[];
    /** `upsert-only` never deletes a record (prod); `sync` also removes records of deleted Ingresses (dev). */
    policy: "sync" | "upsert-only";
    /** The Load Balancer Controller's release: its webhook mutates every Service, so the chart's Services wait for it. */
    serviceAdmission: pulumi.Resource[];
}

/**
 * external-dns: creates the Route 53 records of every Ingress and LoadBalancer Service host name
 * (Argo CD, Grafana, every app), through Pod Identity limited to the configured hosted zones.
 */
export class ExternalDns extends pulumi.ComponentResource implements ClusterAddonComponent {
    readonly release: k8s.helm.v3.Release;
    readonly platformDependencies: pulumi.Resource[] = [];
    readonly scrapeTargets = [EXTERNAL_DNS_SCRAPE_TARGET];
    readonly ownNamespaces = ownedNamespaces(EXTERNAL_DNS_ADDON);

    constructor(name: string, args: ExternalDnsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("eks-platform:cluster:ExternalDns", name, {}, opts);
        this.release = installClusterAddon(this, args.cluster, {
            ...EXTERNAL_DNS_ADDON,
            permissions: { policies: { "route53-records": externalDnsPolicy(args.aws.partition, args.zoneIds) } },
            values: externalDnsValues({ ...args, clusterName: args.cluster.configuredName, region: args.aws.region, ipFamily: args.cluster.ipFamily }),
            dependsOn: args.serviceAdmission,
        }).release;
        this.registerOutputs({});
    }
}

/** Chart values without the service account and placement (`EXTERNAL_DNS_ADDON` adds them). */
export function externalDnsValues(args: { clusterName: string; region: string; zoneIds: string[]; domains: string[]; policy: "sync" | "upsert-only"; ipFamily: IpFamily }) {
    return {
        // An IPv6 cluster's ALBs are dual-stack: their names need AAAA alias records next to the A ones (external-dns
        // writes both for an Ingress annotated `alb.ingress.kubernetes.io/ip-address-type: dualstack`). Explicit, so
        // a chart default that narrowed the types could not drop them.
        ...(args.ipFamily === "ipv6" ? { managedRecordTypes: ["A", "AAAA", "CNAME"] } : {}),
        sources: ["service", "ingress"],
        policy: args.policy,
        txtOwnerId: args.clusterName,
        domainFilters: args.domains,
        extraArgs: args.zoneIds.map((id) => `--zone-id-filter=${id}`),
        // Route 53 is global, but the SDK needs a region to sign with; Pod Identity does not set one.
        env: [{ name: "AWS_DEFAULT_REGION", value: args.region }],
        resources: { requests: { cpu: "20m", memory: "64Mi" }, limits: { memory: "128Mi" } },
    };
}

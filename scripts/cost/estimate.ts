import { ASSUMED_LOG_GB_PER_MONTH, HOURS_PER_MONTH, InstancePrice, PriceKey, SPOT, regionPrices, tablePrice } from "./prices";

/** CPU in cores, memory in GiB. */
export interface Requests {
    cpu: number;
    memoryGiB: number;
}

/** One pod the estimate must place, with what it requests. */
export interface PodRequest extends Requests {
    name: string;
    /** Replicas that must not share a node (required pod anti-affinity or a DoNotSchedule spread on hostname) share a group. */
    spreadGroup?: string;
}

/** What a stack runs that costs money, read from its resource graph and rendered manifests. */
export interface CostModel {
    region: string;
    /** Availability zones the VPC spans (awsx takes the region's first ones). */
    availabilityZones: number;
    /** Whether the cluster's Kubernetes version bills standard or extended support. */
    eksSupport: "standard" | "extended";
    natGateways: number;
    /** The stack's `ipFamily`: an IPv6 stack adds an egress-only internet gateway (free) and NAT64 through its NAT gateways. */
    ipFamily?: "ipv4" | "ipv6";
    /** Public IPv4 addresses: NAT gateways' Elastic IPs, internet-facing ALBs' per-AZ addresses. */
    publicIpv4: number;
    /** Managed node groups: the first instance type, the desired size. */
    nodeGroups: { name: string; instanceType: string; count: number; spot: boolean; rootGiB: number }[];
    /** Karpenter NodePools (or EKS Auto Mode's, `autoMode`, which add its management fee) with the pods that land on their nodes. */
    nodePools: { name: string; families: string[]; spot: boolean; rootGiB: number; pods: PodRequest[]; autoMode?: boolean }[];
    /** What DaemonSets take on every node, and how many pods they are. */
    daemonSets: Requests & { pods: number };
    /** Persistent volumes (gp3). */
    volumes: { name: string; sizeGiB: number }[];
    albs: number;
    waf: { webAcls: number; rules: number };
    kmsKeys: number;
}

/** A quantity of one price a line bills a month (hours, GB-months, keys…, in the price's unit). */
export interface Charge {
    price: PriceKey;
    quantity: number;
}

export interface CostLine {
    item: string;
    detail: string;
    monthlyUsd: number;
    /** What the line is made of, so `--live` can price the same quantities at live prices. */
    charges: Charge[];
}

export interface CostEstimate {
    region: string;
    /** Availability zones the stack spans (spot prices differ per zone). */
    availabilityZones: number;
    /** Whose list prices the lines use: `region`'s own, or the nearest priced region's when it has no table. */
    pricedRegion: string;
    /** When the table's figures for `pricedRegion` were entered. */
    pricesAsOf: string;
    lines: CostLine[];
    assumptions: string[];
    monthlyUsd: number;
}

/** What a node leaves to pods: EKS's kubelet reservation (AL2023 bootstrap formula), eviction threshold and the DaemonSets. */
export function allocatable(type: InstancePrice, daemonSets: CostModel["daemonSets"]): Requests & { pods: number } {
    const reservedCpu = 0.06 + (type.vcpu > 1 ? 0.01 : 0) + 0.005 * Math.min(2, Math.max(0, type.vcpu - 2)) + 0.0025 * Math.max(0, type.vcpu - 4);
    const reservedMemoryGiB = (255 + 11 * type.maxPods + 100) / 1024;
    return {
        cpu: type.vcpu - reservedCpu - daemonSets.cpu,
        memoryGiB: type.memoryGiB - reservedMemoryGiB - daemonSets.memoryGiB,
        pods: type.maxPods - daemonSets.pods,
    };
}

/** Nodes of one type the pods need, first-fit decreasing (largest memory first); undefined when a pod fits on none. */
export function binPack(pods: readonly PodRequest[], room: Requests & { pods: number }): number | undefined {
    if (pods.some((p) => p.cpu > room.cpu || p.memoryGiB > room.memoryGiB) || room.pods < 1) return undefined;
    const nodes: (Requests & { pods: number; groups: Set<string> })[] = [];
    const fits = (n: (typeof nodes)[number], pod: PodRequest) =>
        n.cpu >= pod.cpu && n.memoryGiB >= pod.memoryGiB && n.pods >= 1 && !(pod.spreadGroup && n.groups.has(pod.spreadGroup));
    for (const pod of [...pods].sort((a, b) => b.memoryGiB - a.memoryGiB || b.cpu - a.cpu)) {
        let node = nodes.find((n) => fits(n, pod));
        if (!node) nodes.push((node = { ...room, groups: new Set() }));
        if (pod.spreadGroup) node.groups.add(pod.spreadGroup);
        node.cpu -= pod.cpu;
        node.memoryGiB -= pod.memoryGiB;
        node.pods -= 1;
    }
    return nodes.length;
}

const cents = (usd: number) => Math.round(usd * 100) / 100;
const hours = (count: number) => count * HOURS_PER_MONTH;

/** What a line's charges cost a month at the prices `price` gives. */
export function priceCharges(charges: readonly Charge[], price: (key: PriceKey) => number): number {
    return charges.reduce((s, c) => s + c.quantity * price(c.price), 0);
}

/** Monthly list-price estimate of an idle stack (no workloads, no data transfer). */
export function estimateCost(m: CostModel): CostEstimate {
    const { prices: p, pricedRegion } = regionPrices(m.region);
    const price = (key: PriceKey) => tablePrice(p, pricedRegion, key);
    const lines: CostLine[] = [];
    const add = (item: string, detail: string, charges: Charge[]) => {
        const usd = priceCharges(charges, price);
        if (usd > 0) lines.push({ item, detail, monthlyUsd: cents(usd), charges: charges.filter((c) => c.quantity > 0) });
    };
    const nodeKey = (type: string, spot: boolean): PriceKey => `${spot ? "spot" : "ec2"}:${type}`;

    add("EKS control plane", `${m.eksSupport} support`, [
        { price: "eksClusterHour", quantity: hours(1) },
        ...(m.eksSupport === "extended" ? [{ price: "eksExtendedSupportHour" as const, quantity: hours(1) }] : []),
    ]);
    add("NAT gateways", `${m.natGateways} × USD ${p.natGatewayHour}/h, data processing extra`, [{ price: "natGatewayHour", quantity: hours(m.natGateways) }]);
    add("Public IPv4 addresses", `${m.publicIpv4} × USD ${p.publicIpv4Hour}/h`, [{ price: "publicIpv4Hour", quantity: hours(m.publicIpv4) }]);

    let rootGiB = 0;
    const autoModeNodes: string[] = [];
    const autoModeFees: Charge[] = [];
    for (const g of m.nodeGroups) {
        add(`Node group ${g.name}`, `${g.count} × ${g.instanceType} ${g.spot ? "spot" : "on-demand"}`, [{ price: nodeKey(g.instanceType, g.spot), quantity: hours(g.count) }]);
        rootGiB += g.count * g.rootGiB;
    }
    for (const pool of m.nodePools) {
        if (pool.pods.length === 0) continue;
        const choice = cheapestPacking(pool, m, (type) => price(nodeKey(type, pool.spot)));
        const requested = pool.pods.reduce((s, x) => ({ cpu: s.cpu + x.cpu, memoryGiB: s.memoryGiB + x.memoryGiB }), { cpu: 0, memoryGiB: 0 });
        if (pool.autoMode) {
            autoModeNodes.push(`${choice.nodes} × ${choice.type} × USD ${p.instances[choice.type].autoModeFeeHourly}/h`);
            autoModeFees.push({ price: `autoModeFee:${choice.type}`, quantity: hours(choice.nodes) });
        }
        add(
            `${pool.autoMode ? "Auto Mode" : "Karpenter"} NodePool ${pool.name}`,
            `${choice.nodes} × ${choice.type} ${pool.spot ? "spot" : "on-demand"} for ${pool.pods.length} platform pods (${requested.cpu.toFixed(2)} vCPU, ${requested.memoryGiB.toFixed(1)} GiB requested)`,
            [{ price: nodeKey(choice.type, pool.spot), quantity: hours(choice.nodes) }],
        );
        rootGiB += choice.nodes * pool.rootGiB;
    }
    add("EKS Auto Mode management fee", autoModeNodes.join(", "), autoModeFees);
    add("EBS node root volumes", `${rootGiB} GiB gp3`, [{ price: "ebsGp3GbMonth", quantity: rootGiB }]);
    const volumeGiB = m.volumes.reduce((s, v) => s + v.sizeGiB, 0);
    add("EBS persistent volumes", `${volumeGiB} GiB gp3 (${m.volumes.map((v) => `${v.name} ${v.sizeGiB}`).join(", ")})`, [{ price: "ebsGp3GbMonth", quantity: volumeGiB }]);
    add("Application Load Balancers", `${m.albs} × (USD ${p.albHour}/h + 1 LCU)`, [
        { price: "albHour", quantity: hours(m.albs) },
        { price: "albLcuHour", quantity: hours(m.albs) },
    ]);
    add("WAF", `${m.waf.webAcls} web ACLs, ${m.waf.rules} rules, requests extra`, [
        { price: "wafWebAclMonth", quantity: m.waf.webAcls },
        { price: "wafRuleMonth", quantity: m.waf.rules },
    ]);
    add("KMS keys", `${m.kmsKeys} customer-managed keys`, [{ price: "kmsKeyMonth", quantity: m.kmsKeys }]);
    add("CloudWatch Logs ingestion", `assumed ${ASSUMED_LOG_GB_PER_MONTH} GB/month (control-plane and flow logs)`, [{ price: "cloudwatchLogsIngestGb", quantity: ASSUMED_LOG_GB_PER_MONTH }]);

    return {
        region: m.region,
        availabilityZones: m.availabilityZones,
        pricedRegion,
        pricesAsOf: p.enteredOn,
        lines,
        assumptions: [
            `list prices of ${pricedRegion} as of ${p.enteredOn}, ${HOURS_PER_MONTH} hours a month`,
            `spot at ${Math.round(SPOT.shareOfOnDemand * 100)} % of on-demand`,
            `CloudWatch Logs: ${ASSUMED_LOG_GB_PER_MONTH} GB ingested a month; storage, data transfer, NAT data processing, S3 and snapshots not included`,
            `${m.nodePools.some((pool) => pool.autoMode) ? "Auto Mode" : "Karpenter"} nodes only for the platform's own pods (your workloads add to them)`,
            ...(m.ipFamily === "ipv6"
                ? [
                      "ipFamily ipv6: the egress-only internet gateway and IPv6 addresses cost nothing; IPv4-only destinations still go through the NAT gateways (NAT64, data processing as for IPv4), and the NAT gateways and dual-stack ALBs keep their public IPv4 addresses",
                  ]
                : []),
        ],
        monthlyUsd: cents(lines.reduce((s, l) => s + l.monthlyUsd, 0)),
    };
}

/** The instance type of the pool's families whose nodes hold the pods for the least money. */
function cheapestPacking(pool: CostModel["nodePools"][number], m: CostModel, hourly: (type: string) => number): { type: string; nodes: number; hourly: number } {
    const candidates: { type: string; nodes: number; hourly: number }[] = [];
    const { prices, pricedRegion } = regionPrices(m.region);
    for (const [type, price] of Object.entries(prices.instances)) {
        if (!pool.families.includes(type.split(".")[0])) continue;
        const nodes = binPack(pool.pods, allocatable(price, m.daemonSets));
        if (nodes !== undefined) candidates.push({ type, nodes, hourly: hourly(type) });
    }
    if (candidates.length === 0) {
        throw new Error(`NodePool ${pool.name}: no priced instance type of families ${pool.families.join(", ")} in ${pricedRegion} fits its pods (add types to scripts/cost/prices.ts)`);
    }
    // Cheapest in total; at equal cost, fewer nodes.
    return candidates.sort((a, b) => a.nodes * a.hourly - b.nodes * b.hourly || a.nodes - b.nodes)[0];
}

/** Said right under the headline when the region has no price table of its own. */
export function substituteNote(e: CostEstimate): string | undefined {
    if (e.pricedRegion === e.region) return undefined;
    return `NOTE: no price table for ${e.region} in scripts/cost/prices.ts; these are the list prices of ${e.pricedRegion}, the nearest priced region. ${e.region} bills its own prices (often higher outside the US), so treat the total as an approximation, or add ${e.region} to the table.`;
}

/** The estimate as the table `npm run cost` prints. */
export function formatEstimate(stack: string, e: CostEstimate): string {
    const width = Math.max(...e.lines.map((l) => l.item.length));
    const rows = e.lines.map((l) => `  ${l.item.padEnd(width)}  ${l.monthlyUsd.toFixed(2).padStart(8)}  ${l.detail}`);
    return [
        `${stack} (${e.region}): about USD ${Math.round(e.monthlyUsd)}/month idle`,
        ...[substituteNote(e)].filter((n): n is string => n !== undefined),
        ...rows,
        `  ${"Total".padEnd(width)}  ${e.monthlyUsd.toFixed(2).padStart(8)}`,
        "Assumptions:",
        ...e.assumptions.map((a) => `  - ${a}`),
    ].join("\n");
}

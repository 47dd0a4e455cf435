/**
 * AWS list prices (USD, on-demand, Linux, no Savings Plans or free tier) the cost estimate uses,
 * as published on these pages on PRICES_AS_OF:
 *   EKS            https://aws.amazon.com/eks/pricing/
 *   EC2            https://aws.amazon.com/ec2/pricing/on-demand/
 *   NAT gateway    https://aws.amazon.com/vpc/pricing/ (also public IPv4 addresses)
 *   EBS            https://aws.amazon.com/ebs/pricing/
 *   ALB            https://aws.amazon.com/elasticloadbalancing/pricing/
 *   WAF            https://aws.amazon.com/waf/pricing/
 *   KMS            https://aws.amazon.com/kms/pricing/
 *   CloudWatch     https://aws.amazon.com/cloudwatch/pricing/
 *   EKS Auto Mode  https://aws.amazon.com/eks/pricing/ (the per-instance management fee, billed per second beside EC2)
 * Spot prices move hourly; the estimate applies SPOT_SHARE_OF_ON_DEMAND instead (an assumption,
 * printed with the estimate). Update the table and the date together. A region without a table is
 * estimated with its nearest priced region's figures, and the estimate says so (`regionPrices`).
 */
export const PRICES_AS_OF = "2026-11-01";

/** Hours AWS bills a month for (365 × 24 / 12). */
export const HOURS_PER_MONTH = 730;

/** Assumed spot price as a share of on-demand (spot typically runs 60–70 % below it). */
export const SPOT_SHARE_OF_ON_DEMAND = 0.35;

/** Assumed CloudWatch Logs ingestion (control-plane and flow logs) per month, in GB, for the assumption line. */
export const ASSUMED_LOG_GB_PER_MONTH = 5;

/** Kubernetes minor versions in EKS standard support on PRICES_AS_OF; older ones bill extended support. */
export const EKS_STANDARD_SUPPORT_FROM = "1.34";

export interface InstancePrice {
    vcpu: number;
    memoryGiB: number;
    /** Pods per node with the VPC CNI's default (no prefix delegation): ENIs × (IPs per ENI − 1) + 2. */
    maxPods: number;
    /** On-demand USD per hour. */
    hourly: number;
    /**
     * EKS Auto Mode's management fee for an instance of this type, USD per hour, whatever its purchase option
     * (on-demand or spot): 12 % of the type's on-demand price for the families priced here, as the EKS pricing
     * page lists it per type on PRICES_AS_OF.
     */
    autoModeFeeHourly: number;
}

/** Auto Mode's management fee as a share of the on-demand price, for the general-purpose, compute and burstable families priced here. */
export const AUTO_MODE_FEE_SHARE = 0.12;

export interface RegionPrices {
    eksClusterHour: { standard: number; extended: number };
    natGatewayHour: number;
    publicIpv4Hour: number;
    ebsGp3GbMonth: number;
    albHour: number;
    /** One LCU assumed per ALB (an idle platform ALB uses less). */
    albLcuHour: number;
    wafWebAclMonth: number;
    wafRuleMonth: number;
    kmsKeyMonth: number;
    cloudwatchLogsIngestGb: number;
    instances: Record<string, InstancePrice>;
}

const shape = (vcpu: number, memoryGiB: number, maxPods: number) => ({ vcpu, memoryGiB, maxPods });
const SHAPES = {
    "t4g.small": shape(2, 2, 11), "t4g.medium": shape(2, 4, 17), "t4g.large": shape(2, 8, 35), "t4g.xlarge": shape(4, 16, 58),
    "t3.medium": shape(2, 4, 17), "t3.large": shape(2, 8, 35), "t3.xlarge": shape(4, 16, 58),
    "t3a.medium": shape(2, 4, 17), "t3a.large": shape(2, 8, 35), "t3a.xlarge": shape(4, 16, 58),
    "t2.medium": shape(2, 4, 17), "t2.large": shape(2, 8, 35), "t2.xlarge": shape(4, 16, 44),
    "m5.large": shape(2, 8, 29), "m5.xlarge": shape(4, 16, 58), "m6i.large": shape(2, 8, 29), "m6i.xlarge": shape(4, 16, 58),
    "m7i.large": shape(2, 8, 29), "m7i.xlarge": shape(4, 16, 58), "c5.large": shape(2, 4, 29), "c5.xlarge": shape(4, 8, 58),
    "c6i.large": shape(2, 4, 29), "c6i.xlarge": shape(4, 8, 58), "m6g.large": shape(2, 8, 29), "m6g.xlarge": shape(4, 16, 58),
    "m7g.large": shape(2, 8, 29), "m7g.xlarge": shape(4, 16, 58), "c7g.large": shape(2, 4, 29), "c7g.xlarge": shape(4, 8, 58),
} as const;
type InstanceType = keyof typeof SHAPES;

/** The fee rounded as AWS lists it: to the hundred-thousandth of a dollar. */
const autoModeFee = (onDemand: number) => Math.round(onDemand * AUTO_MODE_FEE_SHARE * 1e5) / 1e5;

const instances = (hourly: Record<InstanceType, number>): Record<string, InstancePrice> =>
    Object.fromEntries(Object.entries(hourly).map(([type, price]) => [type, { ...SHAPES[type as InstanceType], hourly: price, autoModeFeeHourly: autoModeFee(price) }]));

/** us-east-1 and us-west-2 share list prices for everything estimated here. */
const US: RegionPrices = {
    eksClusterHour: { standard: 0.1, extended: 0.6 },
    natGatewayHour: 0.045,
    publicIpv4Hour: 0.005,
    ebsGp3GbMonth: 0.08,
    albHour: 0.0225,
    albLcuHour: 0.008,
    wafWebAclMonth: 5,
    wafRuleMonth: 1,
    kmsKeyMonth: 1,
    cloudwatchLogsIngestGb: 0.5,
    instances: instances({
        "t4g.small": 0.0168, "t4g.medium": 0.0336, "t4g.large": 0.0672, "t4g.xlarge": 0.1344,
        "t3.medium": 0.0416, "t3.large": 0.0832, "t3.xlarge": 0.1664,
        "t3a.medium": 0.0376, "t3a.large": 0.0752, "t3a.xlarge": 0.1504,
        "t2.medium": 0.0464, "t2.large": 0.0928, "t2.xlarge": 0.1856,
        "m5.large": 0.096, "m5.xlarge": 0.192, "m6i.large": 0.096, "m6i.xlarge": 0.192,
        "m7i.large": 0.1008, "m7i.xlarge": 0.2016, "c5.large": 0.085, "c5.xlarge": 0.17,
        "c6i.large": 0.085, "c6i.xlarge": 0.17, "m6g.large": 0.077, "m6g.xlarge": 0.154,
        "m7g.large": 0.0816, "m7g.xlarge": 0.1632, "c7g.large": 0.0725, "c7g.xlarge": 0.145,
    }),
};

export const REGION_PRICES: Record<string, RegionPrices> = {
    "us-east-1": US,
    "us-west-2": US,
    "eu-west-1": {
        ...US,
        natGatewayHour: 0.048,
        ebsGp3GbMonth: 0.088,
        albHour: 0.0252,
        cloudwatchLogsIngestGb: 0.57,
        instances: instances({
            "t4g.small": 0.0184, "t4g.medium": 0.0368, "t4g.large": 0.0736, "t4g.xlarge": 0.1472,
            "t3.medium": 0.0456, "t3.large": 0.0912, "t3.xlarge": 0.1824,
            "t3a.medium": 0.0408, "t3a.large": 0.0816, "t3a.xlarge": 0.1632,
            "t2.medium": 0.05, "t2.large": 0.1008, "t2.xlarge": 0.2016,
            "m5.large": 0.107, "m5.xlarge": 0.214, "m6i.large": 0.107, "m6i.xlarge": 0.214,
            "m7i.large": 0.1124, "m7i.xlarge": 0.2247, "c5.large": 0.096, "c5.xlarge": 0.192,
            "c6i.large": 0.096, "c6i.xlarge": 0.192, "m6g.large": 0.086, "m6g.xlarge": 0.172,
            "m7g.large": 0.0892, "m7g.xlarge": 0.1784, "c7g.large": 0.0808, "c7g.xlarge": 0.1616,
        }),
    },
};

/**
 * For a region without a table: the priced region nearest to it, by the area of its code (western North America
 * to us-west-2, the rest of the Americas to us-east-1, Europe, the Middle East and Africa to eu-west-1, Asia
 * Pacific and China across the Pacific to us-west-2). Its figures stand in, and the estimate says so.
 */
const NEAREST_PRICED_BY_AREA: Record<string, string> = {
    us: "us-east-1", ca: "us-east-1", mx: "us-east-1", sa: "us-east-1",
    eu: "eu-west-1", il: "eu-west-1", me: "eu-west-1", af: "eu-west-1",
    ap: "us-west-2", cn: "us-west-2",
};
const NEAREST_PRICED_WEST: readonly string[] = ["us-west-1", "ca-west-1", "us-gov-west-1"];

/** The prices an estimate for `region` uses: its own, or the nearest priced region's (`pricedRegion` says which). */
export function regionPrices(region: string): { prices: RegionPrices; pricedRegion: string } {
    if (REGION_PRICES[region]) return { prices: REGION_PRICES[region], pricedRegion: region };
    const nearest = NEAREST_PRICED_WEST.includes(region) ? "us-west-2" : NEAREST_PRICED_BY_AREA[region.split("-")[0]];
    if (!nearest) throw new Error(`${region} is not an AWS region code`);
    return { prices: REGION_PRICES[nearest], pricedRegion: nearest };
}

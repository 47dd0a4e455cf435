/**
 * AWS list prices (USD, on-demand, Linux, no Savings Plans or free tier) the cost estimate uses. Every price has
 * a source: the AWS pricing page it is published on and the Price List API product it is (PRICE_SOURCES:
 * service code, attributes, usage type), which is what `npm run cost -- <stack> --live` asks for; and the date
 * it was entered (each region table's `enteredOn`). Update a figure and its table's date together.
 * Spot prices move hourly: the table applies SPOT (an explicit, sourced share of on-demand) and `--live` reads
 * the spot price history instead. EKS Auto Mode's per-instance management fee (https://aws.amazon.com/eks/pricing/,
 * billed per second beside EC2) is `autoModeFee:<type>`. A region without a table is estimated with its nearest
 * priced region's figures, and the estimate says so (`regionPrices`).
 */
export const PRICES_AS_OF = "2026-11-01";

/** Hours AWS bills a month for (365 × 24 / 12). */
export const HOURS_PER_MONTH = 730;

/**
 * Spot as a share of on-demand, for every family the NodePools and spot node groups use (t4g, m6g, m7g, c7g and
 * their Intel peers): the EC2 Spot Instance Advisor lists these families at 60–70 % savings over on-demand in the
 * priced regions; the table assumes 65 % (an assumption, printed with every estimate; `--live` shows the real one).
 */
export const SPOT = {
    shareOfOnDemand: 0.35,
    source: "EC2 Spot Instance Advisor, https://aws.amazon.com/ec2/spot/instance-advisor/ (savings over on-demand, Linux)",
    enteredOn: PRICES_AS_OF,
} as const;

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
    /** When these figures were entered from the pricing pages. */
    enteredOn: string;
    eksClusterHour: number;
    /** Added to the cluster hour while the cluster's Kubernetes version is in extended support. */
    eksExtendedSupportHour: number;
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

/** The table's prices a region has a single figure for (a field of RegionPrices). */
export type FixedPriceKey = Exclude<keyof RegionPrices, "enteredOn" | "instances">;

/**
 * A price the estimate uses: a fixed one, an instance type's on-demand hour (`ec2:<type>`), spot hour (`spot:<type>`)
 * or EKS Auto Mode management-fee hour (`autoModeFee:<type>`).
 */
export type PriceKey = FixedPriceKey | `ec2:${string}` | `spot:${string}` | `autoModeFee:${string}`;

/**
 * The Price List API product a price is. GetProducts filters on `attributes` (TERM_MATCH) and the region's
 * `regionCode`; the usage type carries a region prefix (USE1-, EU-, APN2-; none for some us-east-1 products),
 * so it is matched on what follows the prefix.
 */
export interface PriceSource {
    /** What the price is, for the output. */
    label: string;
    /** The AWS pricing page that publishes it. */
    page: string;
    serviceCode: string;
    attributes: Record<string, string>;
    /** The usage type after its region prefix; undefined when the attributes pick one product alone. */
    usagetype?: string;
    /** The price dimension's unit in the Price List (Hrs, GB-Mo, GB, …); unset where the product has one priced dimension whatever it is called. */
    unit?: string;
}

const PAGE = {
    eks: "https://aws.amazon.com/eks/pricing/",
    ec2: "https://aws.amazon.com/ec2/pricing/on-demand/",
    vpc: "https://aws.amazon.com/vpc/pricing/",
    ebs: "https://aws.amazon.com/ebs/pricing/",
    elb: "https://aws.amazon.com/elasticloadbalancing/pricing/",
    waf: "https://aws.amazon.com/waf/pricing/",
    kms: "https://aws.amazon.com/kms/pricing/",
    cloudwatch: "https://aws.amazon.com/cloudwatch/pricing/",
};

/** The source of each fixed price of the table. */
export const PRICE_SOURCES: Record<FixedPriceKey, PriceSource> = {
    eksClusterHour: { label: "EKS cluster-hour", page: PAGE.eks, serviceCode: "AmazonEKS", attributes: { productFamily: "Compute" }, usagetype: "AmazonEKS-Hours:perCluster", unit: "Hrs" },
    eksExtendedSupportHour: { label: "EKS extended support cluster-hour", page: PAGE.eks, serviceCode: "AmazonEKS", attributes: { productFamily: "Compute" }, usagetype: "AmazonEKS-Hours:extendedSupport", unit: "Hrs" },
    natGatewayHour: { label: "NAT gateway-hour", page: PAGE.vpc, serviceCode: "AmazonEC2", attributes: { productFamily: "NAT Gateway" }, usagetype: "NatGateway-Hours", unit: "Hrs" },
    publicIpv4Hour: { label: "public IPv4 address-hour", page: PAGE.vpc, serviceCode: "AmazonVPC", attributes: {}, usagetype: "PublicIPv4:InUseAddress", unit: "Hrs" },
    ebsGp3GbMonth: { label: "EBS gp3 GB-month", page: PAGE.ebs, serviceCode: "AmazonEC2", attributes: { productFamily: "Storage", volumeApiName: "gp3" }, usagetype: "EBS:VolumeUsage.gp3", unit: "GB-Mo" },
    albHour: { label: "ALB hour", page: PAGE.elb, serviceCode: "AWSELB", attributes: { productFamily: "Load Balancer-Application" }, usagetype: "LoadBalancerUsage", unit: "Hrs" },
    albLcuHour: { label: "ALB LCU-hour", page: PAGE.elb, serviceCode: "AWSELB", attributes: { productFamily: "Load Balancer-Application" }, usagetype: "LCUUsage", unit: "LCU-Hrs" },
    wafWebAclMonth: { label: "WAF web ACL-month", page: PAGE.waf, serviceCode: "awswaf", attributes: { productFamily: "Web Application Firewall" }, usagetype: "WebACLV2" },
    wafRuleMonth: { label: "WAF rule-month", page: PAGE.waf, serviceCode: "awswaf", attributes: { productFamily: "Web Application Firewall" }, usagetype: "RuleV2" },
    kmsKeyMonth: { label: "KMS key-month", page: PAGE.kms, serviceCode: "awskms", attributes: { productFamily: "Encryption Key" }, usagetype: "KMS-Keys" },
    cloudwatchLogsIngestGb: { label: "CloudWatch Logs GB ingested", page: PAGE.cloudwatch, serviceCode: "AmazonCloudWatch", attributes: { productFamily: "Data Payload" }, usagetype: "DataProcessing-Bytes", unit: "GB" },
};

/** The source of an instance type's on-demand hour: Linux, shared tenancy, no pre-installed software, not a reservation. */
export function instanceSource(type: string): PriceSource {
    return {
        label: `${type} on-demand hour`,
        page: PAGE.ec2,
        serviceCode: "AmazonEC2",
        attributes: { productFamily: "Compute Instance", instanceType: type, operatingSystem: "Linux", tenancy: "Shared", preInstalledSw: "NA", capacitystatus: "Used", licenseModel: "No License required" },
        unit: "Hrs",
    };
}

/** A price as the table has it, for a region's figures. */
export function tablePrice(prices: RegionPrices, pricedRegion: string, key: PriceKey): number {
    const [kind, type] = key.split(":");
    if (type === undefined) return prices[key as FixedPriceKey];
    const instance = prices.instances[type];
    if (!instance) throw new Error(`no price for instance type ${type} in ${pricedRegion} (add it to scripts/cost/prices.ts)`);
    if (kind === "autoModeFee") return instance.autoModeFeeHourly;
    return instance.hourly * (kind === "spot" ? SPOT.shareOfOnDemand : 1);
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
    enteredOn: PRICES_AS_OF,
    eksClusterHour: 0.1,
    eksExtendedSupportHour: 0.5,
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

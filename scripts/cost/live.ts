/**
 * `npm run cost -- <stack> --live`: the prices of the estimate's lines as AWS publishes them now, from the
 * AWS Price List API (pricing:GetProducts, on-demand list prices of the stack's region) and the EC2 spot price
 * history (ec2:DescribeSpotPriceHistory, the spot types the estimate assumes, averaged over the stack's zones).
 * Both are read-only. Without credentials, or where a product is not found, the table's price stands and a
 * note says so: it is an estimate, so nothing here fails the command.
 */
import { DescribeSpotPriceHistoryCommand, DescribeSpotPriceHistoryCommandOutput, EC2Client, SpotPrice, _InstanceType } from "@aws-sdk/client-ec2";
import { Filter, GetProductsCommand, GetProductsCommandOutput, PricingClient } from "@aws-sdk/client-pricing";
import { defaultProvider } from "@aws-sdk/credential-provider-node";
import type { CostEstimate } from "./estimate";
import { FixedPriceKey, PRICE_SOURCES, PriceKey, PriceSource, instanceSource } from "./prices";

/** The Price List API answers from us-east-1 (also eu-central-1 and ap-south-1) for every region's prices. */
export const PRICING_API_REGION = "us-east-1";

/** The IAM actions `--live` calls, both read-only (README "Cost notes"). */
export const LIVE_PERMISSIONS = ["pricing:GetProducts", "ec2:DescribeSpotPriceHistory"] as const;

/**
 * The least IAM policy for `--live` (README "Cost notes"): neither action takes a resource ARN (AWS's service
 * reference lists none), so Resource is `*`; both only read public prices.
 */
export const LIVE_POLICY = {
    Version: "2012-10-17",
    Statement: [
        { Sid: "PriceList", Effect: "Allow", Action: "pricing:GetProducts", Resource: "*" },
        { Sid: "SpotPriceHistory", Effect: "Allow", Action: "ec2:DescribeSpotPriceHistory", Resource: "*" },
    ],
};

/** The flag of `npm run cost` that adds the live prices, and its line of the usage. */
export const LIVE_FLAG = {
    "--live": `also price each line at AWS's current prices (Price List API, spot price history; needs ${LIVE_PERMISSIONS.join(", ")})`,
};

/** The spot product the estimate assumes: Linux on a VPC (the only kind the platform's nodes are). */
export const SPOT_PRODUCT = "Linux/UNIX";

export type Credentials = Awaited<ReturnType<ReturnType<typeof defaultProvider>>>;

/** The one call of each client `--live` makes (a real client, or recorded responses in the tests). */
export interface PricingApi {
    send(command: GetProductsCommand): Promise<GetProductsCommandOutput>;
}
export interface SpotApi {
    send(command: DescribeSpotPriceHistoryCommand): Promise<DescribeSpotPriceHistoryCommandOutput>;
}

/** Where the live prices come from; `awsClients` is AWS itself. */
export interface LiveClients {
    /** Resolves credentials as the AWS CLI does (environment, profile, SSO, web identity, instance role), or rejects saying why not. */
    credentials(): Promise<Credentials>;
    pricing(credentials: Credentials): PricingApi;
    ec2(region: string, credentials: Credentials): SpotApi;
    now(): Date;
}

/** AWS itself, with the credentials of `profile` (the stack file's `aws:profile`) when one is named. */
export const awsClientsFor = (profile?: string): LiveClients => ({
    // One short try of the instance metadata service, so a laptop without credentials is told so in about a second.
    credentials: () => defaultProvider({ profile, timeout: 1000, maxRetries: 0 })(),
    pricing: (credentials) => new PricingClient({ region: PRICING_API_REGION, credentials }),
    ec2: (region, credentials) => new EC2Client({ region, credentials }),
    now: () => new Date(),
});

export const awsClients: LiveClients = awsClientsFor();

/** A live price and where it was read. */
export interface LivePrice {
    usd: number;
    from: string;
}

export interface LivePrices {
    /** Whether lookups could run at all (credentials were found). */
    looked: boolean;
    prices: Map<PriceKey, LivePrice>;
    /** What could not be looked up, and that the table's price stands for it. */
    notes: string[];
}

/** GetProducts filters for a price in a region: its attributes and region exactly, its usage type by what follows the region prefix. */
export function productFilters(source: PriceSource, region: string): Filter[] {
    return [
        { Type: "TERM_MATCH", Field: "regionCode", Value: region },
        ...Object.entries(source.attributes).map(([Field, Value]): Filter => ({ Type: "TERM_MATCH", Field, Value })),
        ...(source.usagetype ? [{ Type: "CONTAINS", Field: "usagetype", Value: source.usagetype } as Filter] : []),
    ];
}

/** A usage type is the source's when only a region prefix (USE1-, EU-, APN2-, us-east-1-) precedes it: not USE1-ShieldProtected-WebACLV2. */
function usagetypeMatches(usagetype: string, wanted: string): boolean {
    if (!usagetype.endsWith(wanted)) return false;
    const prefix = usagetype.slice(0, usagetype.length - wanted.length);
    return prefix === "" || /^([A-Z]{2,4}\d?|[a-z]{2}(-[a-z]+)+-\d)-$/.test(prefix);
}

interface PriceListProduct {
    product: { sku: string; attributes: Record<string, string> };
    publicationDate?: string;
    terms?: { OnDemand?: Record<string, { priceDimensions: Record<string, { unit: string; beginRange?: string; pricePerUnit: { USD?: string } }> }> };
}

/** The on-demand price of a Price List product in the source's unit (any when unset): its first tier with a price (a free tier is not the list price). */
export function onDemandUsd(product: PriceListProduct, unit: string | undefined): number | undefined {
    const dimensions = Object.values(product.terms?.OnDemand ?? {}).flatMap((t) => Object.values(t.priceDimensions));
    const priced = dimensions
        .filter((d) => (unit === undefined || d.unit.toLowerCase() === unit.toLowerCase()) && Number(d.pricePerUnit.USD) > 0)
        .sort((a, b) => Number(a.beginRange ?? 0) - Number(b.beginRange ?? 0));
    return priced.length > 0 ? Number(priced[0].pricePerUnit.USD) : undefined;
}

type Found = { ok: true; price: LivePrice } | { ok: false; note: string };

/** Looks a price up with GetProducts (every page), keeping the products whose usage type is the source's. */
export async function lookUpProduct(pricing: PricingApi, source: PriceSource, region: string): Promise<Found> {
    const Filters = productFilters(source, region);
    const products: PriceListProduct[] = [];
    let NextToken: string | undefined;
    do {
        const page = await pricing.send(new GetProductsCommand({ ServiceCode: source.serviceCode, Filters, FormatVersion: "aws_v1", MaxResults: 100, NextToken }));
        // Each entry is a JSON document as text (the SDK hands it over as a LazyJsonString).
        products.push(...(page.PriceList ?? []).map((p: unknown) => JSON.parse(String(p)) as PriceListProduct));
        NextToken = page.NextToken;
    } while (NextToken);
    const what = `${source.label} (${source.serviceCode}, ${Filters.map((f) => `${f.Field}=${f.Value}`).join(", ")})`;
    const matching = products.filter((p) => !source.usagetype || usagetypeMatches(p.product.attributes.usagetype ?? "", source.usagetype));
    const priced = matching.map((p) => ({ p, usd: onDemandUsd(p, source.unit) })).filter((x): x is { p: PriceListProduct; usd: number } => x.usd !== undefined);
    if (priced.length === 0) return { ok: false, note: `no Price List product for ${what} in ${region}` };
    const usd = [...new Set(priced.map((x) => x.usd))];
    if (usd.length > 1) return { ok: false, note: `${priced.length} Price List products with different prices (${usd.join(", ")}) for ${what} in ${region}` };
    const { p } = priced[0];
    return { ok: true, price: { usd: usd[0], from: `${source.serviceCode} SKU ${p.product.sku}${p.publicationDate ? `, published ${p.publicationDate.slice(0, 10)}` : ""}` } };
}

/** The standard zones of a region (not Local or Wavelength Zones), as DescribeSpotPriceHistory names them. */
const isRegionZone = (zone: string, region: string) => new RegExp(`^${region}[a-z]$`).test(zone);

/**
 * The spot price of each type now, averaged over the stack's zones: the latest price of each (type, zone)
 * from the history since `now`, over the region's first `zones` zones (awsx puts the VPC in the first ones).
 */
export async function spotPrices(ec2: SpotApi, region: string, types: readonly string[], zones: number, now: Date): Promise<Map<string, Found>> {
    const history: SpotPrice[] = [];
    let NextToken: string | undefined;
    do {
        const page = await ec2.send(new DescribeSpotPriceHistoryCommand({ InstanceTypes: types as _InstanceType[], ProductDescriptions: [SPOT_PRODUCT], StartTime: now, MaxResults: 1000, NextToken }));
        history.push(...(page.SpotPriceHistory ?? []));
        NextToken = page.NextToken || undefined;
    } while (NextToken);
    const regionZones = [...new Set(history.map((h) => h.AvailabilityZone ?? ""))].filter((z) => isRegionZone(z, region)).sort();
    const stackZones = regionZones.slice(0, zones);
    const found = new Map<string, Found>();
    for (const type of types) {
        const latest = new Map<string, SpotPrice>();
        for (const h of history) {
            if (h.InstanceType !== type || !stackZones.includes(h.AvailabilityZone ?? "")) continue;
            const seen = latest.get(h.AvailabilityZone!);
            if (!seen || (h.Timestamp?.getTime() ?? 0) > (seen.Timestamp?.getTime() ?? 0)) latest.set(h.AvailabilityZone!, h);
        }
        const prices = [...latest.values()].sort((a, b) => a.AvailabilityZone!.localeCompare(b.AvailabilityZone!));
        if (prices.length === 0) {
            found.set(type, { ok: false, note: `no ${SPOT_PRODUCT} spot price history for ${type} in ${stackZones.join(", ") || region}` });
            continue;
        }
        const usd = prices.reduce((s, p) => s + Number(p.SpotPrice), 0) / prices.length;
        found.set(type, { ok: true, price: { usd, from: `spot, mean of ${prices.map((p) => `${p.AvailabilityZone} ${Number(p.SpotPrice)}`).join(", ")}` } });
    }
    return found;
}

/** A failed call said once for all the prices it left to the table. */
function failureNotes(failures: Map<string, string[]>): string[] {
    return [...failures].map(([error, labels]) => `${error}: the table's price stands for ${labels.join(", ")}`);
}

const errorText = (call: string, err: unknown) => `${call} failed (${err instanceof Error ? `${err.name}: ${err.message}` : String(err)})`;

/** The live price of every price the estimate's lines use, in the stack's own region. */
export async function livePrices(estimate: CostEstimate, clients: LiveClients = awsClients): Promise<LivePrices> {
    let credentials: Credentials;
    try {
        credentials = await clients.credentials();
    } catch (err) {
        const why = err instanceof Error ? err.message.split("\n")[0] : String(err);
        return { looked: false, prices: new Map(), notes: [`no AWS credentials (${why}): using the price table dated ${estimate.pricesAsOf}`] };
    }
    const keys = [...new Set(estimate.lines.flatMap((l) => l.charges.map((c) => c.price)))];
    const prices = new Map<PriceKey, LivePrice>();
    const notes: string[] = [];
    const failures = new Map<string, string[]>();
    const take = (key: PriceKey, found: Found) => {
        if (found.ok) prices.set(key, found.price);
        else notes.push(`${found.note}: using the table's price`);
    };

    // The Auto Mode fee has no Price List product this program can name with certainty: the table's figure stands.
    const fees = keys.filter((k) => k.startsWith("autoModeFee:"));
    if (fees.length > 0) notes.push(`EKS Auto Mode management fee (${fees.map((k) => k.slice("autoModeFee:".length)).join(", ")}): not asked of the Price List: using the table's price`);
    const pricing = clients.pricing(credentials);
    for (const key of keys.filter((k) => !k.startsWith("spot:") && !k.startsWith("autoModeFee:"))) {
        const source = key.startsWith("ec2:") ? instanceSource(key.slice(4)) : PRICE_SOURCES[key as FixedPriceKey];
        try {
            take(key, await lookUpProduct(pricing, source, estimate.region));
        } catch (err) {
            const error = errorText("pricing:GetProducts", err);
            failures.set(error, [...(failures.get(error) ?? []), source.label]);
        }
    }

    const spotTypes = keys.filter((k) => k.startsWith("spot:")).map((k) => k.slice(5));
    if (spotTypes.length > 0) {
        try {
            const spot = await spotPrices(clients.ec2(estimate.region, credentials), estimate.region, spotTypes, estimate.availabilityZones, clients.now());
            for (const type of spotTypes) take(`spot:${type}`, spot.get(type)!);
        } catch (err) {
            failures.set(errorText("ec2:DescribeSpotPriceHistory", err), spotTypes.map((t) => `${t} spot hour`));
        }
    }
    return { looked: true, prices, notes: [...notes, ...failureNotes(failures)] };
}

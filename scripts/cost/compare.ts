/** The estimate's lines at the table's prices and at live ones, side by side, as `npm run cost -- <stack> --live` prints them. */
import { CostEstimate, priceCharges } from "./estimate";
import type { LivePrices } from "./live";
import { FixedPriceKey, PRICE_SOURCES, PriceKey, regionPrices, tablePrice } from "./prices";

/** Lines whose live monthly figure differs from the table's by more than this share are flagged. */
export const FLAG_ABOVE = 0.1;

export interface ComparedPrice {
    key: PriceKey;
    label: string;
    table: number;
    /** Undefined where the live lookup found nothing and the table's price stands. */
    live?: number;
}

export interface ComparedLine {
    item: string;
    tableUsd: number;
    liveUsd: number;
    prices: ComparedPrice[];
    /** (live − table) / table. */
    change: number;
    flagged: boolean;
}

export interface Comparison {
    lines: ComparedLine[];
    tableUsd: number;
    liveUsd: number;
}

/** What a price is, for the output. */
export function priceLabel(key: PriceKey): string {
    const [kind, type] = key.split(":");
    if (type === undefined) return PRICE_SOURCES[key as FixedPriceKey].label;
    if (kind === "autoModeFee") return `${type} Auto Mode management-fee hour`;
    return `${type} ${kind === "spot" ? "spot" : "on-demand"} hour`;
}

const cents = (usd: number) => Math.round(usd * 100) / 100;

/** Each line of the estimate priced at the table's and at the live prices (the same quantities: nodes, GB, keys). */
export function compareLive(e: CostEstimate, live: LivePrices): Comparison {
    const { prices, pricedRegion } = regionPrices(e.region);
    const table = (key: PriceKey) => tablePrice(prices, pricedRegion, key);
    const current = (key: PriceKey) => live.prices.get(key)?.usd ?? table(key);
    const lines = e.lines.map((l): ComparedLine => {
        const tableUsd = cents(priceCharges(l.charges, table));
        const liveUsd = cents(priceCharges(l.charges, current));
        const change = (liveUsd - tableUsd) / tableUsd;
        const keys = [...new Set(l.charges.map((c) => c.price))];
        return {
            item: l.item,
            tableUsd,
            liveUsd,
            prices: keys.map((key) => ({ key, label: priceLabel(key), table: table(key), live: live.prices.get(key)?.usd })),
            change,
            flagged: Math.abs(change) > FLAG_ABOVE,
        };
    });
    return { lines, tableUsd: cents(lines.reduce((s, l) => s + l.tableUsd, 0)), liveUsd: cents(lines.reduce((s, l) => s + l.liveUsd, 0)) };
}

const unitUsd = (usd: number) => String(Number(usd.toPrecision(4)));
const percent = (share: number) => {
    const rounded = Math.round(share * 100);
    return `${rounded > 0 ? "+" : ""}${rounded === 0 ? 0 : rounded} %`;
};

/** The comparison as printed under the table estimate; only the reasons when no live price was found. */
export function formatLive(stack: string, e: CostEstimate, live: LivePrices): string {
    if (!live.looked) return live.notes.join("\n");
    // Every lookup failed (no network, no permission): a table of "(table)" would only repeat the estimate.
    if (live.prices.size === 0) return [...live.notes, `no live price found: using the price table dated ${e.pricesAsOf}`].join("\n");
    const c = compareLive(e, live);
    const width = Math.max(5, ...c.lines.map((l) => l.item.length));
    const row = (mark: string, item: string, tableUsd: number, liveUsd: number, change: string, prices: string) =>
        `${mark} ${item.padEnd(width)}  ${tableUsd.toFixed(2).padStart(9)}  ${liveUsd.toFixed(2).padStart(9)}  ${change.padStart(6)}  ${prices}`.trimEnd();
    const prices = (l: ComparedLine) =>
        l.prices.map((p) => `${p.label} ${unitUsd(p.table)} → ${p.live === undefined ? "(table)" : unitUsd(p.live)}`).join("; ");
    const flagged = c.lines.filter((l) => l.flagged);
    const read = [...live.prices].map(([key, p]) => `  - ${priceLabel(key)}: ${unitUsd(p.usd)} (${p.from})`);
    return [
        `${stack} (${e.region}): live prices against the table (${e.pricedRegion}, entered ${e.pricesAsOf}); * marks a line more than ${FLAG_ABOVE * 100} % off`,
        `  ${"Line".padEnd(width)}  ${"table/mo".padStart(9)}  ${"live/mo".padStart(9)}  ${"change".padStart(6)}  USD per unit, table → live`,
        ...c.lines.map((l) => row(l.flagged ? "*" : " ", l.item, l.tableUsd, l.liveUsd, percent(l.change), prices(l))),
        row(" ", "Total", c.tableUsd, c.liveUsd, percent((c.liveUsd - c.tableUsd) / c.tableUsd), ""),
        flagged.length > 0
            ? `More than ${FLAG_ABOVE * 100} % off the table: ${flagged.map((l) => `${l.item} (${percent(l.change)})`).join(", ")}`
            : `No line is more than ${FLAG_ABOVE * 100} % off the table.`,
        ...(live.notes.length > 0 ? ["Not found live:", ...live.notes.map((n) => `  - ${n}`)] : []),
        ...(read.length > 0 ? ["Live prices read:", ...read] : []),
    ].join("\n");
}

/**
 * The AWS calls of `npm run cost -- <stack> --live` answered from tests/fixtures/pricing/: GetProducts and
 * DescribeSpotPriceHistory requests with their responses. A request with no recorded response fails the test
 * (naming it), so the fixtures state exactly what the command asks. No network.
 */
import * as fs from "fs";
import * as path from "path";
import { isDeepStrictEqual } from "util";
import type { DescribeSpotPriceHistoryCommandOutput } from "@aws-sdk/client-ec2";
import type { GetProductsCommandOutput } from "@aws-sdk/client-pricing";
import type { Credentials, LiveClients } from "../../scripts/cost/live";
import { fixturesDir } from "../../tooling/offline/stack-files";

export interface Exchange {
    note?: string;
    request: Record<string, unknown>;
    response: any;
}

const read = (file: string) => JSON.parse(fs.readFileSync(path.join(fixturesDir, "pricing", file), "utf8"));

/** The recorded exchanges of a region, fresh copies each call (tests edit them). */
export function recorded(region = "us-west-2"): { products: Exchange[]; spot: Exchange[]; now: Date } {
    const spot = read(`describe-spot-price-history.${region}.json`);
    return { products: read(`get-products.${region}.json`).exchanges, spot: spot.exchanges, now: new Date(spot.now) };
}

/** A request as JSON compares it: no unset fields, dates as ISO strings. */
const plain = (input: object) => JSON.parse(JSON.stringify(input));

const answer = (exchanges: readonly Exchange[], call: string, input: object) => {
    const found = exchanges.find((e) => isDeepStrictEqual(e.request, plain(input)));
    if (!found) throw new Error(`no recorded response for ${call} ${JSON.stringify(plain(input))}`);
    return structuredClone(found.response);
};

/** What the clients were asked: the region of each call and its input. */
export interface Asked {
    products: Record<string, unknown>[];
    spot: { region: string; input: Record<string, unknown> }[];
}

export const TEST_CREDENTIALS: Credentials = { accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" };

/** LiveClients that answer from the recorded exchanges (or `edit`ed copies) and keep what they were asked. */
export function recordedClients(edit: (r: ReturnType<typeof recorded>) => void = () => {}, credentials = async () => TEST_CREDENTIALS): LiveClients & { asked: Asked } {
    const r = recorded();
    edit(r);
    const asked: Asked = { products: [], spot: [] };
    return {
        asked,
        credentials,
        pricing: () => ({
            send: async (command) => {
                asked.products.push(plain(command.input));
                return answer(r.products, "GetProducts", command.input) as GetProductsCommandOutput;
            },
        }),
        ec2: (region) => ({
            send: async (command) => {
                asked.spot.push({ region, input: plain(command.input) });
                const out = answer(r.spot, "DescribeSpotPriceHistory", command.input);
                for (const h of out.SpotPriceHistory ?? []) h.Timestamp = new Date(h.Timestamp);
                return out as DescribeSpotPriceHistoryCommandOutput;
            },
        }),
        now: () => r.now,
    };
}

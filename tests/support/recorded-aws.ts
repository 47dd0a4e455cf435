/**
 * The AWS calls of `npm run cost -- <stack> --live` answered from tests/fixtures/pricing/: GetProducts and
 * DescribeSpotPriceHistory requests with their responses. A request with no recorded response fails the test
 * (naming it), so the fixtures state exactly what the command asks. No network.
 */
import * as fs from "fs";
import * as path from "path";
import { Readable } from "stream";
import { isDeepStrictEqual } from "util";
import { DescribeSpotPriceHistoryCommandOutput, EC2Client } from "@aws-sdk/client-ec2";
import { GetProductsCommandOutput, PricingClient } from "@aws-sdk/client-pricing";
import { Credentials, LiveClients, PRICING_API_REGION } from "../../scripts/cost/live";
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

/** A request as the SDK sends it over the wire, as far as these tests read it. */
interface WireRequest {
    hostname: string;
    headers: Record<string, string>;
    body?: unknown;
}

/** A request body as text (the SDK serialises to a string or to bytes). */
const text = (body: unknown) => (typeof body === "string" ? body : new TextDecoder().decode(body as Uint8Array));

/** The EC2 query protocol's form, back into DescribeSpotPriceHistory's input. */
function spotInput(form: URLSearchParams): Record<string, unknown> {
    const list = (name: string) => [...form].filter(([k]) => k.startsWith(`${name}.`)).map(([, v]) => v);
    return {
        InstanceTypes: list("InstanceType"),
        ProductDescriptions: list("ProductDescription"),
        StartTime: new Date(form.get("StartTime") ?? NaN).toISOString(),
        MaxResults: Number(form.get("MaxResults")),
        ...(form.get("NextToken") ? { NextToken: form.get("NextToken") } : {}),
    };
}

/** DescribeSpotPriceHistory's response as EC2 sends it (XML). */
function spotXml(response: any): string {
    const item = (h: any) =>
        `<item><instanceType>${h.InstanceType}</instanceType><productDescription>${h.ProductDescription}</productDescription><spotPrice>${h.SpotPrice}</spotPrice><timestamp>${new Date(h.Timestamp).toISOString()}</timestamp><availabilityZone>${h.AvailabilityZone}</availabilityZone></item>`;
    return `<?xml version="1.0" encoding="UTF-8"?>\n<DescribeSpotPriceHistoryResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>59dbff89-35bd-4eac-99ed-be587EXAMPLE</requestId><spotPriceHistorySet>${response.SpotPriceHistory.map(item).join("")}</spotPriceHistorySet><nextToken>${response.NextToken ?? ""}</nextToken></DescribeSpotPriceHistoryResponse>`;
}

/**
 * The AWS SDK's own clients (awsClients), their HTTP answered from the recorded exchanges: the requests as the
 * SDK serialises them (JSON to the Price List endpoint, EC2's query form) and the responses as AWS sends them.
 */
export function recordedWire(): LiveClients & { hosts: string[] } {
    const r = recorded();
    const hosts: string[] = [];
    const handler = (answerFor: (request: WireRequest) => { type: string; body: string }) => ({
        handle: async (request: WireRequest) => {
            hosts.push(request.hostname);
            const { type, body } = answerFor(request);
            return { response: { statusCode: 200, reason: "OK", headers: { "content-type": type }, body: Readable.from([Buffer.from(body)]) } };
        },
    });
    const pricing = handler((request) => {
        if (request.headers["x-amz-target"] !== "AWSPriceListService.GetProducts") throw new Error(`not GetProducts: ${request.headers["x-amz-target"]}`);
        return { type: "application/x-amz-json-1.1", body: JSON.stringify(answer(r.products, "GetProducts", JSON.parse(text(request.body)))) };
    });
    const ec2 = handler((request) => {
        const form = new URLSearchParams(text(request.body));
        if (form.get("Action") !== "DescribeSpotPriceHistory") throw new Error(`not DescribeSpotPriceHistory: ${form.get("Action")}`);
        return { type: "text/xml;charset=UTF-8", body: spotXml(answer(r.spot, "DescribeSpotPriceHistory", spotInput(form))) };
    });
    return {
        hosts,
        credentials: async () => TEST_CREDENTIALS,
        pricing: (credentials) => new PricingClient({ region: PRICING_API_REGION, credentials, requestHandler: pricing as never }),
        ec2: (region, credentials) => new EC2Client({ region, credentials, requestHandler: ec2 as never }),
        now: () => r.now,
    };
}

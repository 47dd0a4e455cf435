import { expect } from "chai";
import { allocatable, binPack, estimateCost, formatEstimate } from "../scripts/cost/estimate";
import { cpuCores, gibibytes } from "../scripts/cost/from-stack";
import { REGION_PRICES } from "../scripts/cost/prices";
import { AWS_REGIONS } from "../stacks/config/reference";
import { SMALL } from "./support/cost-model";

describe("cost estimate", () => {
    it("prices a small hand-made stack line by line from the dated table", () => {
        const e = estimateCost(SMALL);
        const line = (item: string) => e.lines.find((l) => l.item.startsWith(item))!.monthlyUsd;
        expect(line("EKS control plane")).to.equal(73); // 0.10 × 730
        expect(line("NAT gateways")).to.equal(32.85); // 0.045 × 730
        expect(line("Public IPv4")).to.equal(3.65);
        expect(line("Node group system")).to.equal(60.74); // 2 × 0.0416 × 730
        // 2 GiB of pods fit one t4g.medium (4 GiB less kubelet reserve and DaemonSets): 0.0336 × 0.35 × 730.
        expect(line("Karpenter NodePool default")).to.equal(8.58);
        expect(e.lines.find((l) => l.item.startsWith("Karpenter"))!.detail).to.include("1 × t4g.medium spot");
        expect(line("EBS node root volumes")).to.equal(9.6); // (2 × 50 + 20) GiB × 0.08
        expect(line("EBS persistent volumes")).to.equal(0.8);
        expect(line("Application Load Balancers")).to.equal(22.27); // (0.0225 + 0.008) × 730
        expect(line("WAF")).to.equal(8);
        expect(line("KMS keys")).to.equal(2);
        expect(line("CloudWatch Logs")).to.equal(2.5);
        expect(e.monthlyUsd).to.equal(Math.round(e.lines.reduce((s, l) => s + l.monthlyUsd, 0) * 100) / 100);
        expect(e.assumptions.join("\n")).to.include("as of 2026-").and.include("spot at 35 %");
    });

    it("adds EKS Auto Mode's management fee per node of an Auto Mode pool, on spot nodes too, at the dated per-type fee", () => {
        const auto = estimateCost({ ...SMALL, nodeGroups: [], nodePools: [{ ...SMALL.nodePools[0], autoMode: true }] });
        const fee = auto.lines.find((l) => l.item === "EKS Auto Mode management fee")!;
        // One t4g.medium: 12 % of its on-demand 0.0336/h, whatever it is bought as (here spot).
        expect(fee.detail).to.equal("1 × t4g.medium × USD 0.00403/h");
        expect(fee.monthlyUsd).to.equal(2.94); // 0.00403 × 730
        expect(auto.lines.find((l) => l.item.startsWith("Auto Mode NodePool default"))!.detail).to.include("1 × t4g.medium spot");
        expect(auto.assumptions.join("\n")).to.include("Auto Mode nodes only for the platform's own pods");
        expect(estimateCost(SMALL).lines.find((l) => l.item === "EKS Auto Mode management fee")).to.equal(undefined);
    });

    it("bills extended support six times standard and picks a bigger node when pods do not fit a small one", () => {
        expect(estimateCost({ ...SMALL, eksSupport: "extended" }).lines[0].monthlyUsd).to.equal(438);
        const big = estimateCost({ ...SMALL, nodePools: [{ ...SMALL.nodePools[0], pods: [{ name: "prometheus", cpu: 0.5, memoryGiB: 6 }] }] });
        expect(big.lines.find((l) => l.item.startsWith("Karpenter"))!.detail).to.include("1 × t4g.large spot");
    });

    it("packs first-fit decreasing within allocatable room, and never two replicas of a spread group on one node", () => {
        const room = allocatable(REGION_PRICES["us-west-2"].instances["t4g.medium"], { cpu: 0, memoryGiB: 0, pods: 0 });
        expect(room.cpu).to.be.closeTo(1.93, 0.001);
        expect(room.memoryGiB).to.be.closeTo(4 - (255 + 11 * 17 + 100) / 1024, 1e-9);
        const pod = (name: string, memoryGiB: number, spreadGroup?: string) => ({ name, cpu: 0.1, memoryGiB, spreadGroup });
        expect(binPack([pod("a", 1.5), pod("b", 1.5), pod("c", 1)], room)).to.equal(2);
        expect(binPack([pod("r", 0.1, "redis"), pod("r", 0.1, "redis"), pod("r", 0.1, "redis")], room)).to.equal(3);
        expect(binPack([pod("huge", 5)], room)).to.equal(undefined);
    });

    it("estimates every region there is, with the nearest priced region's figures and a line saying so where it has no table", () => {
        for (const [region, nearest] of [["eu-central-1", "eu-west-1"], ["ap-southeast-2", "us-west-2"], ["us-east-2", "us-east-1"], ["ca-west-1", "us-west-2"]]) {
            const e = estimateCost({ ...SMALL, region });
            expect(e.pricedRegion, region).to.equal(nearest);
            expect(e.monthlyUsd, region).to.equal(estimateCost({ ...SMALL, region: nearest }).monthlyUsd);
            const [headline, note] = formatEstimate("dev", e).split("\n");
            expect(headline).to.match(new RegExp(`^dev \\(${region}\\): about USD \\d+/month idle$`));
            expect(note).to.equal(
                `NOTE: no price table for ${region} in scripts/cost/prices.ts; these are the list prices of ${nearest}, the nearest priced region. ${region} bills its own prices (often higher outside the US), so treat the total as an approximation, or add ${region} to the table.`,
            );
            expect(e.assumptions[0]).to.match(new RegExp(`^list prices of ${nearest} as of `));
        }
        for (const region of AWS_REGIONS) expect(estimateCost({ ...SMALL, region }).monthlyUsd, region).to.be.greaterThan(0);
        // A priced region says nothing of the kind.
        expect(formatEstimate("dev", estimateCost(SMALL))).to.not.include("NOTE");
    });

    it("refuses a NodePool whose families have no priced type, naming them", () => {
        expect(() => estimateCost({ ...SMALL, nodePools: [{ ...SMALL.nodePools[0], families: ["x2idn"] }] })).to.throw("NodePool default: no priced instance type of families x2idn");
    });

    it("reads Kubernetes quantities", () => {
        expect([cpuCores("250m"), cpuCores("2"), cpuCores(0.5), cpuCores(undefined)]).to.deep.equal([0.25, 2, 0.5, 0]);
        expect([gibibytes("512Mi"), gibibytes("2Gi"), gibibytes("1G")]).to.deep.equal([0.5, 2, 1e9 / 2 ** 30]);
        expect(() => gibibytes("lots")).to.throw("not a byte quantity: lots");
    });
});

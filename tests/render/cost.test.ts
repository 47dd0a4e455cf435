import * as fs from "fs";
import { DOCKER_HUB_CACHE, fullImage } from "../support/render-checks";
import * as path from "path";
import { expect } from "chai";
import { costModel } from "../../scripts/cost/from-stack";
import { CostEstimate, estimateCost } from "../../scripts/cost/estimate";
import { compareLive, formatLive } from "../../scripts/cost/compare";
import { livePrices } from "../../scripts/cost/live";
import { recordedClients } from "../support/recorded-aws";
import { projectRoot } from "../../tooling/offline/paths";
import { requireReference } from "../support/reference";
import { renderedStack } from "../support/render";
import { useStacks } from "../support/use-stacks";

/** Dev's idle budget (issue 13): the estimate of the dev stack must stay at or under it. */
const DEV_BUDGET_USD = 165;

/**
 * Image repositories whose tags the platform pins are published for linux/amd64 and linux/arm64
 * (checked in each registry's manifest list, 2026-11). Dev runs on Graviton: a new repository
 * must be checked and added here.
 */
const MULTI_ARCH_REPOSITORIES = [
    "docker.io/library/busybox", "docker.io/velero/velero", "docker.io/velero/velero-plugin-for-aws", "docker.io/grafana/grafana",
    "quay.io/kiwigrid/k8s-sidecar", "quay.io/prometheus/node-exporter", "registry.k8s.io/kube-state-metrics/kube-state-metrics", "ecr-public.aws.com/docker/library/haproxy",
    "ecr-public.aws.com/docker/library/redis", "ghcr.io/external-secrets/external-secrets", "ghcr.io/jkroepke/kube-webhook-certgen",
    "docker.io/koalaman/shellcheck", "public.ecr.aws/eks/aws-load-balancer-controller", "public.ecr.aws/karpenter/controller", "quay.io/argoproj/argocd",
    "quay.io/prometheus-operator/prometheus-operator", "quay.io/prometheus/alertmanager", "quay.io/prometheus/prometheus", "registry.k8s.io/kubectl",
    "registry.k8s.io/metrics-server/metrics-server", "registry.k8s.io/external-dns/external-dns", "public.ecr.aws/aws-observability/aws-for-fluent-bit",
];

function images(value: unknown, found = new Set<string>()): Set<string> {
    if (Array.isArray(value)) value.forEach((v) => images(v, found));
    else if (value && typeof value === "object") {
        for (const [k, v] of Object.entries(value)) if (k === "image" && typeof v === "string") found.add(v); else images(v, found);
    }
    return found;
}

const line = (e: CostEstimate, item: string) => e.lines.find((l) => l.item.startsWith(item));

describe("npm run cost", function () {
    this.timeout(120_000);
    const stacks = useStacks();
    before(function () {
        requireReference(this);
    });

    it("estimates the dev fixture from its graph and rendered pods: Graviton spot nodes, one small Karpenter node, within budget", async () => {
        const e = estimateCost(costModel(stacks.dev, await renderedStack(stacks.dev)));
        expect(line(e, "EKS control plane")!.detail).to.equal("standard support");
        expect(line(e, "NAT gateways")!.detail).to.match(/^1 × /);
        expect(line(e, "Node group")!.detail).to.equal("2 × t4g.medium spot");
        expect(line(e, "Karpenter NodePool default")!.detail).to.match(/^1 × t4g\.medium spot for \d+ platform pods/);
        expect(line(e, "Application Load Balancers")).to.equal(undefined);
        expect(e.monthlyUsd).to.be.at.most(DEV_BUDGET_USD);
    });

    it("estimates an Auto Mode stack: the workload and built-in system pools on Auto Mode nodes, their management fee, no node group", async () => {
        for (const g of stacks.inMode("auto")) {
            const e = estimateCost(costModel(g, await renderedStack(g)));
            expect(line(e, "Node group"), g.stack).to.equal(undefined);
            expect(line(e, "Auto Mode NodePool default")!.detail).to.match(/^1 × c7g\.large spot for \d+ platform pods/);
            // The controllers (External Secrets, metrics-server, external-dns, Velero) on Auto Mode's on-demand system pool.
            expect(line(e, "Auto Mode NodePool system")!.detail).to.match(/^\d+ × [cm]\d+[a-z]*\.\w+ on-demand for \d+ platform pods/);
            expect(line(e, "EKS Auto Mode management fee")!.detail).to.match(/^1 × c7g\.large × USD 0\.0087\/h, \d+ × /);
        }
    });

    it("runs dev on Graviton only with images published for arm64", async () => {
        const rendered = await renderedStack(stacks.dev);
        // Images through the Docker Hub cache are Docker Hub's; references without a registry are too.
        const repositories = [...images(rendered.manifests.map((m) => m.object))].map((i) => fullImage(i.replace(DOCKER_HUB_CACHE, "docker.io/")).replace(/@sha256:.*$/, "").replace(/:[^:/]+$/, ""));
        expect([...new Set(repositories)].filter((r) => !MULTI_ARCH_REPOSITORIES.includes(r))).to.deep.equal([]);
        expect(stacks.dev.one("aws:eks/nodeGroup:NodeGroup").inputs.amiType).to.equal("AL2023_ARM_64_STANDARD");
    });

    it("keeps prod on-demand system nodes, three NAT gateways, and a node per replica of what must spread", async () => {
        const e = estimateCost(costModel(stacks.prod, await renderedStack(stacks.prod)));
        expect(line(e, "NAT gateways")!.detail).to.match(/^3 × /);
        expect(line(e, "Node group")!.detail).to.match(/^3 × m6i\.large on-demand$/);
        // redis-ha's three replicas refuse to share a node, and Prometheus and Alertmanager spread over zones on on-demand nodes.
        expect(line(e, "Karpenter NodePool default")!.detail).to.match(/^4 × /);
    });

    it("prices every line of the dev fixture live from the recorded us-west-2 responses, flagging the spot lines", async () => {
        const e = estimateCost(costModel(stacks.dev, await renderedStack(stacks.dev)));
        const live = await livePrices(e, recordedClients());
        expect(live.notes, "every price dev uses has a recorded response").to.deep.equal([]);
        const compared = compareLive(e, live);
        expect(compared.lines.filter((l) => l.flagged).map((l) => l.item)).to.deep.equal(["Node group eks-dev-system", "Karpenter NodePool default"]);
        expect(compared.tableUsd).to.equal(e.monthlyUsd);
        expect(formatLive("dev", e, live)).to.include("More than 10 % off the table: Node group eks-dev-system (+12 %), Karpenter NodePool default (+12 %)");
    });

    it("estimates every fixture; the ipv6 one counts its own NAT gateway and addresses, and says what IPv6 adds (nothing) and what still bills", async () => {
        for (const graph of stacks.all) {
            const e = estimateCost(costModel(graph, await renderedStack(graph)));
            expect(e.monthlyUsd, graph.stack).to.be.greaterThan(0);
            expect(e.assumptions.some((a) => a.startsWith("ipFamily ipv6")), graph.stack).to.equal(graph.outputs.ipFamily === "ipv6");
        }
        const ipv6 = stacks.inMode("karpenter").find((g) => g.outputs.ipFamily === "ipv6")!;
        const e = estimateCost(costModel(ipv6, await renderedStack(ipv6)));
        expect(line(e, "NAT gateways")!.detail).to.match(/^1 × /);
        // The NAT gateway's address and the internet-facing (dual-stack) ALB's three zones still use public IPv4.
        expect(line(e, "Public IPv4 addresses")!.detail).to.match(/^4 × /);
        expect(line(e, "Application Load Balancers")!.detail).to.match(/^1 × /);
        expect(e.assumptions.find((a) => a.startsWith("ipFamily ipv6"))).to.include("egress-only internet gateway and IPv6 addresses cost nothing").and.include("NAT64");
    });

    // Issue 19, Why 2: this read the shipped stack files, so a user's own values (another region, bigger
    // nodes) broke it. The README's figures are the fixtures' (the shipped files as they come, plus CI roles,
    // a GitOps repository and external-dns, none of which is priced).
    it("states in the README the dev and prod totals it computes for the dev and prod fixtures", async () => {
        const readme = fs.readFileSync(path.join(projectRoot, "README.md"), "utf8");
        for (const graph of [stacks.dev, stacks.prod]) {
            const total = Math.round(estimateCost(costModel(graph, await renderedStack(graph))).monthlyUsd);
            const stated = new RegExp(`\\b${graph.stack} (?:runs )?at about USD (\\d+)/month`).exec(readme)?.[1];
            expect(Number(stated), `README: "${graph.stack} … at about USD N/month" (run \`npm run cost -- ${graph.stack} --fixtures\` and update it)`).to.equal(total);
        }
    });
});

import type { CostModel } from "../../scripts/cost/estimate";

/** A small hand-made stack in us-west-2 over three zones: one NAT gateway, two on-demand t3.medium system nodes, a spot NodePool, a volume, an ALB, a WAF ACL. */
export const SMALL: CostModel = {
    region: "us-west-2",
    availabilityZones: 3,
    eksSupport: "standard",
    natGateways: 1,
    publicIpv4: 1,
    nodeGroups: [{ name: "system", instanceType: "t3.medium", count: 2, spot: false, rootGiB: 50 }],
    nodePools: [{ name: "default", families: ["t4g"], spot: true, rootGiB: 20, pods: [{ name: "a", cpu: 0.5, memoryGiB: 1 }, { name: "b", cpu: 0.5, memoryGiB: 1 }] }],
    daemonSets: { cpu: 0.1, memoryGiB: 0.1, pods: 3 },
    volumes: [{ name: "data", sizeGiB: 10 }],
    albs: 1,
    waf: { webAcls: 1, rules: 3 },
    kmsKeys: 2,
};

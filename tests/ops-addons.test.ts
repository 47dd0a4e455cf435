import { expect } from "chai";
import { CHARTS } from "../components/versions";
import { StackGraph } from "../tooling/offline/harness";
import { ACCOUNT_ID } from "../tooling/offline/mocks";
import { PROJECT, fixturesDir, stackFileConfig } from "../tooling/offline/stack-files";
import { useStacks } from "./support/use-stacks";
import { devWithOptionalFeatures } from "./support/variants";

const release = (g: StackGraph, name: string) => g.ofType("kubernetes:helm.sh/v3:Release").find((r) => r.inputs.name === name)!;
const policyOf = (g: StackGraph, name: string) => JSON.parse(g.one("aws:iam/policy:Policy", name).inputs.policy);
const SYSTEM = { nodeSelector: { "eks-platform/node-role": "system" }, toleration: { key: "CriticalAddonsOnly", operator: "Exists", effect: "NoSchedule" } };
/** The system nodes a stack's controllers select: the node group's label, or Auto Mode's built-in `system` pool. */
const systemSelector = (g: StackGraph) => (g.outputs.computeMode === "auto" ? { "karpenter.sh/nodepool": "system" } : SYSTEM.nodeSelector);

describe("Operations add-ons", () => {
    const stacks = useStacks();

    describe("metrics-server", () => {
        it(`runs chart ${CHARTS.metricsServer.version} in kube-system on the system nodes, two replicas with a PDB allowing one disruption, requests set`, () => {
            for (const g of stacks.all) {
                const r = release(g, "metrics-server");
                expect(r.inputs).to.include({ chart: "metrics-server", version: CHARTS.metricsServer.version, namespace: "kube-system" });
                const v = r.inputs.values;
                expect(v.replicas).to.equal(2);
                expect(v.podDisruptionBudget).to.deep.equal({ enabled: true, maxUnavailable: 1 });
                expect(v.nodeSelector).to.deep.equal(systemSelector(g));
                expect(v.tolerations).to.deep.equal([SYSTEM.toleration]);
                expect(v.resources.requests).to.have.keys("cpu", "memory");
                // It calls no AWS API: no Pod Identity role.
                expect(g.resources.filter((x) => x.name.includes("metrics-server") && x.type.startsWith("aws:"))).to.deep.equal([]);
            }
        });
    });

    describe("external-dns", () => {
        it("may change and list records only in the configured zone; lists zones account-wide (no resource-level permission)", () => {
            const doc = policyOf(stacks.prod, "eks-prod-external-dns-route53-records");
            expect(doc.Statement).to.deep.equal([
                {
                    Sid: "ChangeRecordsInConfiguredZones",
                    Effect: "Allow",
                    Action: ["route53:ChangeResourceRecordSets", "route53:ListResourceRecordSets", "route53:ListTagsForResource", "route53:ListTagsForResources"],
                    Resource: ["arn:aws:route53:::hostedzone/Z0PRODEXAMPLE000001"],
                },
                { Sid: "ListHostedZones", Effect: "Allow", Action: ["route53:ListHostedZones"], Resource: "*" },
            ]);
            const assoc = stacks.prod.one("aws:eks/podIdentityAssociation:PodIdentityAssociation", "eks-prod-external-dns");
            expect(assoc.inputs).to.include({ namespace: "external-dns", serviceAccount: "external-dns", roleArn: `arn:aws:iam::${ACCOUNT_ID}:role/eks-prod-external-dns` });
        });

        it("owns its records by cluster name, filters by zone id and domain, never deletes in prod, syncs in dev", () => {
            for (const [g, zone, domain, policy] of [[stacks.dev, "Z0DEVEXAMPLE0000001", "dev.example.com", "sync"], [stacks.prod, "Z0PRODEXAMPLE000001", "example.com", "upsert-only"]] as const) {
                const v = release(g, "external-dns").inputs.values;
                expect(release(g, "external-dns").inputs).to.include({ chart: "external-dns", version: CHARTS.externalDns.version, namespace: "external-dns" });
                expect(v).to.deep.include({ txtOwnerId: `eks-${g.stack}`, policy, sources: ["service", "ingress"], domainFilters: [domain], extraArgs: [`--zone-id-filter=${zone}`] });
                expect(v.serviceAccount).to.deep.equal({ create: true, name: "external-dns" });
                expect(v.nodeSelector).to.deep.equal(SYSTEM.nodeSelector);
            }
        });
    });

    describe("container logs", () => {
        it("creates the application log group first (retention from config, logs KMS key) and lets Fluent Bit only write streams into it", () => {
            for (const [g, days] of [[stacks.dev, 7], [stacks.prod, 365]] as const) {
                const group = g.one("aws:cloudwatch/logGroup:LogGroup", `eks-${g.stack}-container-logs`);
                expect(group.inputs).to.include({ name: `/aws/containerinsights/eks-${g.stack}/application`, retentionInDays: days });
                expect(group.inputs.kmsKeyId).to.match(/:key\/logs$/);
                const groupArn = `arn:aws:logs:us-west-2:${ACCOUNT_ID}:log-group:/aws/containerinsights/eks-${g.stack}/application`;
                expect(policyOf(g, `eks-${g.stack}-aws-for-fluent-bit-write-container-logs`).Statement).to.deep.equal([
                    { Sid: "WriteContainerLogStreams", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"], Resource: [groupArn, `${groupArn}:*`] },
                ]);
                const r = release(g, "aws-for-fluent-bit");
                expect(r.inputs).to.include({ chart: "aws-for-fluent-bit", version: CHARTS.awsForFluentBit.version, namespace: "amazon-cloudwatch" });
                expect(r.inputs.values.cloudWatchLogs).to.include({ logGroupName: `/aws/containerinsights/eks-${g.stack}/application`, autoCreateGroup: false, region: "us-west-2" });
                expect(r.inputs.values.tolerations).to.deep.equal([{ operator: "Exists" }]);
                expect(r.opts.dependsOn).to.include(`aws:cloudwatch/logGroup:LogGroup::eks-${g.stack}-container-logs`);
            }
        });
    });

    describe("cluster lifecycle", () => {
        it("keeps the cluster on standard support and lets ARC zonal shift move traffic off an impaired zone", () => {
            for (const g of stacks.all) {
                const cluster = g.one("aws:eks/cluster:Cluster").inputs;
                expect(cluster.upgradePolicy).to.deep.equal({ supportType: "STANDARD" });
                expect(cluster.zonalShiftConfig).to.deep.equal({ enabled: true });
            }
        });
    });

    describe("WAF", () => {
        it("creates no web ACL for an internal ALB or without Ingress", () => {
            const internetFacing = (g: StackGraph) => stackFileConfig(g.stack, fixturesDir)[`${PROJECT}:ingressScheme`] === "internet-facing";
            const without = stacks.all.filter((g) => !internetFacing(g));
            expect(without.map((g) => g.stack)).to.include.members(["dev", "prod"]);
            for (const g of without) {
                expect(g.ofType("aws:wafv2/webAcl:WebAcl")).to.deep.equal([]);
                expect(g.outputs.wafAclArn).to.equal(null);
            }
            // A fixture with an internet-facing ALB (the ipv6 one) has its ACL.
            expect(stacks.all.filter(internetFacing), "a fixture with an internet-facing ALB").to.not.be.empty;
            for (const g of stacks.all.filter(internetFacing)) expect(g.ofType("aws:wafv2/webAcl:WebAcl"), g.stack).to.have.length(1);
        });

        it("puts a REGIONAL web ACL with the managed groups and the rate limit in front of an internet-facing ALB, logging to an encrypted aws-waf-logs- group", async () => {
            const g = await devWithOptionalFeatures();
            const acl = g.one("aws:wafv2/webAcl:WebAcl").inputs;
            expect(acl).to.include({ name: "eks-dev-platform-alb", scope: "REGIONAL" });
            expect(acl.defaultAction).to.deep.equal({ allow: {} });
            expect(acl.rules.map((r: any) => r.statement.managedRuleGroupStatement?.name ?? r.name)).to.deep.equal([
                "AWSManagedRulesCommonRuleSet", "AWSManagedRulesKnownBadInputsRuleSet", "AWSManagedRulesAmazonIpReputationList", "RatePerClientIp",
            ]);
            expect(acl.rules[3]).to.deep.include({ action: { block: {} }, statement: { rateBasedStatement: { limit: 2000, aggregateKeyType: "IP" } } });
            const group = g.one("aws:cloudwatch/logGroup:LogGroup", "eks-dev-waf-logs").inputs;
            expect(group.name).to.equal("aws-waf-logs-eks-dev");
            expect(group.kmsKeyId).to.match(/:key\/logs$/);
            expect(group.retentionInDays).to.equal(365);
            const logging = g.one("aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration").inputs;
            expect(logging.logDestinationConfigs).to.deep.equal([`arn:aws:logs:us-west-2:${ACCOUNT_ID}:log-group:aws-waf-logs-eks-dev`]);
            expect(logging.redactedFields).to.deep.equal([{ singleHeader: { name: "authorization" } }, { singleHeader: { name: "cookie" } }]);
        });

        it("attaches the ACL to the shared ALB through every Ingress of the group, which the LBC's upstream policy may associate", async () => {
            const g = await devWithOptionalFeatures();
            const ingresses = g.ofType("kubernetes:networking.k8s.io/v1:Ingress");
            expect(ingresses).to.have.length(2);
            for (const i of ingresses) expect(i.inputs.metadata.annotations["alb.ingress.kubernetes.io/wafv2-acl-arn"], i.name).to.match(/^arn:aws:wafv2:us-west-2:\d{12}:regional\/webacl\/eks-dev-platform-alb\//);
            // Exported, so app Ingresses that join the group can carry the same annotation.
            expect(g.outputs.wafAclArn).to.equal(ingresses[0].inputs.metadata.annotations["alb.ingress.kubernetes.io/wafv2-acl-arn"]);
            const lbc = JSON.parse(g.one("aws:iam/policy:Policy", "eks-dev-aws-load-balancer-controller-controller").inputs.policy);
            const actions = lbc.Statement.flatMap((s: any) => [s.Action].flat());
            expect(actions).to.include.members(["wafv2:GetWebACL", "wafv2:GetWebACLForResource", "wafv2:AssociateWebACL", "wafv2:DisassociateWebACL"]);
        });
    });
});

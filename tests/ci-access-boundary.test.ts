import { expandIamActions } from "@cloud-copilot/iam-expand";
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { AUTO_MODE_NODE_ROLES } from "../components/cluster/auto-mode/iam";
import { BOUNDARY_UNSCOPABLE, BOUNDARY_WITHHELD, boundaryWithheld } from "../components/ci-access/boundary-actions";
import { ROUTE53_TAG_READS, boundaryPolicy, checkBoundarySize } from "../components/ci-access/boundary-policy";
import { policyJson } from "../components/shared/iam";
import { trustsEc2 } from "../components/ci-access/boundary";
import { StackGraph } from "../tooling/offline/harness";
import { Decision, Policies, Request, decide } from "./support/iam-engine";
import { OwnWorld, ownRequests } from "./support/own-requests";
import { platformNames, platformTags, taggedContext } from "./support/platform-tags";
import { PlatformRole, platformRoles } from "./support/platform-roles";
import { projectRoot } from "../tooling/offline/paths";
import { PROJECT, fixturesDir, stackFileConfig } from "../tooling/offline/stack-files";
import { useStacks } from "./support/use-stacks";

const list = (x: unknown): any[] => (x === undefined ? [] : Array.isArray(x) ? x : [x]);
const REGION = "us-west-2";

/** One stack's environment as its own roles meet it. */
function ownWorld(g: StackGraph, onInstance: boolean): OwnWorld {
    const config = stackFileConfig(g.stack, fixturesDir);
    const cluster = String(config[`${PROJECT}:clusterName`]);
    const environment = String(config[`${PROJECT}:environment`]);
    // The account the mocks give every ARN of the stack (the node boundary names this cluster by its ARN).
    const accountId = String(g.one("aws:iam/policy:Policy", "ci-access-node-boundary").inputs.policy.match(/arn:aws:eks:[a-z0-9-]+:(\d{12}):cluster\//)[1]);
    const e = { environment, cluster, region: REGION };
    return {
        ...e,
        partition: "aws",
        accountId,
        names: platformNames(e).slice(0, 3),
        namesByService: {
            // Auto Mode's node roles, auto-named as Karpenter's (`<name>-<7 characters>`).
            iam: Object.values(AUTO_MODE_NODE_ROLES).map((name) => `${name(cluster)}-1a2b3c4`),
            wafv2: [platformNames(e)[3]],
            elasticloadbalancing: [platformNames(e)[4]],
            ecr: [`docker-hub-${environment}/library/nginx`],
            ssm: ["aws/service/eks/optimized-ami/1.35/amazon-linux-2023/x86_64/standard/recommended/image_id"],
            logs: [`/aws/containerinsights/${cluster}/application:log-stream:kube-system.coredns`],
            secretsmanager: list(config[`${PROJECT}:externalSecretsPrefixes`]).map((p) => `${p}/db-password-AbCdEf`),
            kms: g.ofType("aws:kms/key:Key").map((k) => k.name),
        },
        onInstance,
    };
}

/** A boundary of the graph by its ARN. */
const boundaryOf = (g: StackGraph, arn: string) => JSON.parse(g.ofType("aws:iam/policy:Policy").find((p) => arn.endsWith(`:policy/${p.inputs.name}`))!.inputs.policy);

/** Each action of each Allow statement of a role, wildcards expanded. */
async function grantsOf(role: PlatformRole): Promise<{ where: string; statement: any; action: string }[]> {
    const out = [];
    for (const { where, doc } of role.documents) {
        for (const statement of list(doc.Statement).filter((s: any) => s.Effect === "Allow")) {
            const actions = await expandIamActions(list(statement.Action), { expandAsterisk: true });
            for (const action of actions) out.push({ where, statement, action });
        }
    }
    return out;
}

/** KMS decides with the key's own policy as well: each key of the graph by the ARN the mocks give it. */
const keyPolicies = (g: StackGraph) => new Map(g.ofType("aws:kms/key:Key").map((k) => [`arn:aws:kms:${REGION}:${k.inputs.policy.match(/arn:aws:iam::(\d{12}):root/)[1]}:key/${k.name}`, JSON.parse(k.inputs.policy)]));

/**
 * The engine's resource matcher takes an ARN's resource part up to its first `/` as a literal prefix, so the web
 * ACL pattern of AmazonEKSLoadBalancingPolicy, whose resource part is a wildcard before `/webacl/`, matches no web
 * ACL in it, though IAM's `*` matches any characters. Where the engine cannot match the identity statement to its own request, the
 * boundary alone is asked (what the test is about: whether the request stays possible under it).
 */
async function decideUnderBoundary(policies: Policies, r: Request): Promise<Decision> {
    const decision = await decide(policies, r);
    if (decision === "allow" || !policies.boundary) return decision;
    if ((await decide({ ...policies, boundary: undefined }, r)) === "allow") return decision;
    return decide({ identity: [policies.boundary], resourcePolicy: policies.resourcePolicy }, r);
}

/** The first group of requests none of which the engine allows, if any (a statement it breaks). */
async function firstDenied(policies: Policies, groups: Request[][], keys: Map<string, any>): Promise<Request | undefined> {
    for (const group of groups) {
        const decisions: Decision[] = [];
        for (const r of group) {
            const withKey = r.action.startsWith("kms:") ? { ...policies, resourcePolicy: keys.get(r.resource) ?? { Version: "2012-10-17", Statement: [] } } : policies;
            decisions.push(await decideUnderBoundary(withKey, r).catch((e) => (/no\.resource\.types/.test(String(e)) ? "allow" : Promise.reject(e))));
            if (decisions[decisions.length - 1] === "allow") break;
        }
        if (!decisions.includes("allow")) return group[0];
    }
    return undefined;
}

describe("CI's permissions boundaries: no wider than the platform's own policies, and never outside the environment", function () {
    this.timeout(120000);
    const stacks = useStacks();

    it("exist in both compute modes with CI access, and only with it: a stack without it (auto-ipv6) has no CI role, provider or boundary, and no role under one", () => {
        for (const mode of ["karpenter", "auto"] as const) expect(stacks.withCi.filter((g) => g.outputs.computeMode === mode).length, mode).to.be.at.least(1);
        const withoutCi = stacks.all.filter((g) => !stacks.withCi.includes(g));
        expect(withoutCi.length, "a fixture without CI access").to.be.at.least(1);
        for (const g of withoutCi) {
            expect(g.resources.filter((r) => r.type.startsWith("eks-platform:ci") || r.name.startsWith("ci-access")).map((r) => r.name), g.stack).to.deep.equal([]);
            expect(g.ofType("aws:iam/openIdConnectProvider:OpenIdConnectProvider"), g.stack).to.deep.equal([]);
            expect(g.ofType("aws:iam/role:Role").filter((r) => r.inputs.permissionsBoundary !== undefined).map((r) => r.name), g.stack).to.deep.equal([]);
        }
    });

    it("leave every statement of every platform role working on its own environment's resources, asked of a real IAM engine", async () => {
        const broken: string[] = [];
        let asked = 0;
        for (const g of stacks.withCi) {
            const roles = platformRoles(g);
            const keys = keyPolicies(g);
            expect(roles.length, g.stack).to.be.at.least(8);
            for (const role of roles) {
                const onInstance = trustsEc2(JSON.stringify(role.trust));
                const policies: Policies = { identity: role.documents.map((d) => d.doc), boundary: boundaryOf(g, role.boundaryArn) };
                const world = ownWorld(g, onInstance);
                const principal = `arn:aws:iam::${world.accountId}:role/${role.name}`;
                for (const { where, statement, action } of await grantsOf(role)) {
                    if (action in boundaryWithheld(g.outputs.ipFamily)) continue;
                    asked++;
                    const denied = await firstDenied(policies, await ownRequests(statement, action, world, principal), keys);
                    if (denied) broken.push(`${g.stack} ${role.name} (${where}): ${action} on ${denied.resource}`);
                }
            }
        }
        expect(asked).to.be.greaterThan(300);
        expect(broken, `denied by the boundary:\n  ${broken.join("\n  ")}`).to.deep.equal([]);
    });

    it("withholds only what a platform policy grants and the platform does not use, and only that", async () => {
        // What a stack's roles are granted; a withheld action must be granted in some stack of the same IP family.
        const grantedIn = new Map<string, Set<string>>();
        for (const g of stacks.withCi) {
            const withheld = boundaryWithheld(g.outputs.ipFamily);
            const granted = grantedIn.get(g.outputs.ipFamily) ?? new Set<string>();
            grantedIn.set(g.outputs.ipFamily, granted);
            for (const role of platformRoles(g)) {
                const policies: Policies = { identity: role.documents.map((d) => d.doc), boundary: boundaryOf(g, role.boundaryArn) };
                for (const { action } of await grantsOf(role)) {
                    granted.add(action);
                    if (action in withheld) expect(await decide(policies, { action, resource: "*" }).catch(() => "implicit"), `${g.stack} ${role.name}: ${action}`).to.not.equal("allow");
                }
            }
        }
        expect([...grantedIn.keys()].sort()).to.deep.equal(["ipv4", "ipv6"]);
        const anywhere = new Set([...grantedIn.values()].flatMap((g) => [...g]));
        for (const action of Object.keys(BOUNDARY_WITHHELD)) expect(anywhere.has(action), `${action} is withheld but no platform role is granted it`).to.equal(true);
        for (const [family, granted] of grantedIn) {
            const own = Object.keys(boundaryWithheld(family as "ipv4" | "ipv6")).filter((a) => !(a in BOUNDARY_WITHHELD));
            for (const action of own) expect(granted.has(action), `${family}: ${action} is withheld but no platform role is granted it`).to.equal(true);
        }
    });

    it("names every action it leaves unscoped in the README's CI section", () => {
        const readme = fs.readFileSync(path.join(projectRoot, "README.md"), "utf8");
        const ci = readme.slice(readme.indexOf("## CI/CD"), readme.indexOf("\n## ", readme.indexOf("## CI/CD") + 1));
        const missing = Object.keys(BOUNDARY_UNSCOPABLE).filter((a) => !ci.includes(`\`${a}\``));
        expect(missing, "README CI/CD section").to.deep.equal([]);
    });

    it("lists as unscopable only actions a boundary allows (the Session Manager agent's: karpenter mode's nodes only)", () => {
        const allowed = new Set(
            stacks.withCi.flatMap((g) =>
                ["ci-access-boundary", "ci-access-node-boundary"].flatMap((n) => list(JSON.parse(g.one("aws:iam/policy:Policy", n).inputs.policy).Statement)).filter((s: any) => s.Effect === "Allow").flatMap((s: any) => list(s.Action)),
            ),
        );
        for (const action of Object.keys(BOUNDARY_UNSCOPABLE)) expect(allowed.has(action), action).to.equal(true);
    });

    describe("as a role the dev deploy role creates (allow-all under dev's boundaries), on prod's resources in the shared account", () => {
        const dev = () => stacks.dev;
        const ask = async (boundary: "workloads" | "nodes", action: string, resource: string, context: Record<string, string | string[]> = {}) => {
            const name = boundary === "nodes" ? "ci-access-node-boundary" : "ci-access-boundary";
            const policies = { identity: [{ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] }], boundary: JSON.parse(dev().one("aws:iam/policy:Policy", name).inputs.policy) };
            return decide(policies, { action, resource, context: { "aws:RequestedRegion": REGION, ...context }, principal: `arn:aws:iam::111122223333:role/eks-dev-created` });
        };
        const prod = () => taggedContext(platformTags({ environment: "prod", cluster: "eks-prod", region: REGION }));
        const own = () => taggedContext(platformTags({ environment: "dev", cluster: "eks-dev", region: REGION }));
        const ec2 = (resource: string) => `arn:aws:ec2:${REGION}:111122223333:${resource}`;
        const prodAlb = "arn:aws:elasticloadbalancing:us-west-2:111122223333:loadbalancer/app/k8s-eksprodplatform-0a1b2c3d4e/50dc6c495c0c9188";

        it("can neither delete, snapshot-delete nor reconfigure prod's volumes, snapshots and instances (it can its own)", async () => {
            for (const boundary of ["workloads", "nodes"] as const) {
                expect(await ask(boundary, "ec2:DeleteVolume", ec2("volume/vol-0prod"), prod()), boundary).to.not.equal("allow");
                expect(await ask(boundary, "ec2:DeleteSnapshot", `arn:aws:ec2:${REGION}::snapshot/snap-0prod`, prod()), boundary).to.not.equal("allow");
                expect(await ask(boundary, "ec2:ModifyInstanceMetadataOptions", ec2("instance/i-0prod"), prod()), boundary).to.not.equal("allow");
                expect(await ask(boundary, "ec2:TerminateInstances", ec2("instance/i-0prod"), prod()), boundary).to.not.equal("allow");
            }
            expect(await ask("workloads", "ec2:DeleteVolume", ec2("volume/vol-0dev"), own())).to.equal("allow");
            expect(await ask("workloads", "ec2:DeleteSnapshot", `arn:aws:ec2:${REGION}::snapshot/snap-0dev`, own())).to.equal("allow");
            expect(await ask("workloads", "ec2:ModifyInstanceMetadataOptions", ec2("instance/i-0dev"), own()), "IMDS settings: no platform role changes them").to.not.equal("allow");
        });

        it("cannot claim prod's resources by tagging them, nor launch from prod's snapshot", async () => {
            // A tagging call of its own (no create): prod's resource, dev's tags.
            const claim = { ...prod(), "aws:RequestTag/environment": "dev", "aws:RequestTag/project": PROJECT };
            expect(await ask("workloads", "ec2:CreateTags", ec2("volume/vol-0prod"), claim)).to.not.equal("allow");
            expect(await ask("nodes", "ec2:CreateTags", ec2("network-interface/eni-0prod"), claim)).to.not.equal("allow");
            // A launch tagged for dev that names prod's snapshot (same account) as a block device.
            const launch = { ...own(), "aws:ResourceTag/environment": "prod", "ec2:Owner": "111122223333" };
            expect(await ask("workloads", "ec2:RunInstances", `arn:aws:ec2:${REGION}::snapshot/snap-0prod`, launch)).to.not.equal("allow");
            expect(await ask("workloads", "ec2:RunInstances", `arn:aws:ec2:${REGION}::image/ami-0eks`, { ...own(), "ec2:Owner": "602401143452" })).to.equal("allow");
        });

        it("cannot change prod's load balancers or their web ACL", async () => {
            expect(await ask("workloads", "elasticloadbalancing:DeleteLoadBalancer", prodAlb, prod())).to.not.equal("allow");
            expect(await ask("workloads", "wafv2:DisassociateWebACL", prodAlb)).to.not.equal("allow");
            const devAcl = `arn:aws:wafv2:${REGION}:111122223333:regional/webacl/eks-dev-platform-alb/0a1b2c3d`;
            expect(await ask("workloads", "wafv2:AssociateWebACL", devAcl)).to.equal("allow");
            expect(await ask("workloads", "wafv2:AssociateWebACL", prodAlb), "dev's web ACL on prod's ALB").to.not.equal("allow");
            expect(await ask("workloads", "wafv2:AssociateWebACL", `arn:aws:wafv2:${REGION}:111122223333:regional/webacl/eks-prod-platform-alb/0a1b2c3d`)).to.not.equal("allow");
        });

        it("changes records only in dev's configured zones, reads only public parameters and dev's secrets", async () => {
            const devZone = list(stackFileConfig("dev", fixturesDir)[`${PROJECT}:externalDnsZoneIds`])[0];
            const prodZone = list(stackFileConfig("prod", fixturesDir)[`${PROJECT}:externalDnsZoneIds`])[0];
            expect(await ask("workloads", "route53:ChangeResourceRecordSets", `arn:aws:route53:::hostedzone/${devZone}`)).to.equal("allow");
            for (const zone of [prodZone, "Z0UNCONFIGURED00001"]) expect(await ask("workloads", "route53:ChangeResourceRecordSets", `arn:aws:route53:::hostedzone/${zone}`), zone).to.not.equal("allow");
            for (const boundary of ["workloads", "nodes"] as const) {
                expect(await ask(boundary, "ssm:GetParameter", `arn:aws:ssm:${REGION}:111122223333:parameter/prod/secret`), boundary).to.not.equal("allow");
                // (The engine's reference data knows parameter ARNs with an account only; the boundary's `*` account matches AWS's public form too.)
                expect(await ask(boundary, "ssm:GetParameter", `arn:aws:ssm:${REGION}:111122223333:parameter/aws/service/eks/optimized-ami/1.35/amazon-linux-2023/x86_64/standard/recommended/image_id`), boundary).to.equal("allow");
            }
            expect(await ask("workloads", "secretsmanager:GetSecretValue", `arn:aws:secretsmanager:${REGION}:111122223333:secret:production/db-AbCdEf`)).to.not.equal("allow");
            expect(await ask("workloads", "logs:PutLogEvents", `arn:aws:logs:${REGION}:111122223333:log-group:/aws/containerinsights/eks-prod/application:log-stream:x`)).to.not.equal("allow");
            expect(await ask("workloads", "logs:PutLogEvents", `arn:aws:logs:${REGION}:111122223333:log-group:/aws/containerinsights/eks-dev/application:log-stream:x`)).to.equal("allow");
        });

        it("passes only dev's node role to EC2, and uses instance profiles and the Session Manager channel of dev only", async () => {
            const pass = (role: string) => ask("workloads", "iam:PassRole", `arn:aws:iam::111122223333:role/${role}`, { "iam:PassedToService": "ec2.amazonaws.com" });
            expect(await pass("eks-dev-karpenter-nodes-1a2b3c4")).to.equal("allow");
            for (const role of ["eks-prod-karpenter-nodes-1a2b3c4", "eks-platform-jenkins-agent", "eks-dev-system-node-1a2b3c4"]) expect(await pass(role), role).to.not.equal("allow");
            const profile = "arn:aws:iam::111122223333:instance-profile/eks-prod_1234";
            expect(await ask("workloads", "iam:AddRoleToInstanceProfile", profile, prod())).to.not.equal("allow");
            expect(await ask("nodes", "ssmmessages:OpenDataChannel", "*"), "without an instance's credentials").to.not.equal("allow");
        });
    });

    it("fits the longest cluster and environment names with ten DNS zones, and refuses a longer boundary naming the keys to shorten", async () => {
        const scope = (prefixes: number, zones: number, computeMode: "karpenter" | "auto" = "karpenter") => ({
            aws: { accountId: "111122223333", partition: "aws", region: "ap-southeast-2", callerArn: "" },
            project: PROJECT,
            environment: "e".repeat(16),
            clusterName: "c".repeat(24),
            secretPrefixes: Array.from({ length: prefixes }, (_, i) => `team-${i}-applications`),
            hostedZoneIds: Array.from({ length: zones }, (_, i) => `Z0${"A".repeat(18)}${i}`),
            // The larger of the two families' boundaries (an IPv6 one also holds the VPC CNI's IPv6 writes).
            ipFamily: "ipv6" as const,
            computeMode,
        });
        const json = async (s: ReturnType<typeof scope>) => (policyJson(boundaryPolicy(s)) as any).promise() as Promise<string>;
        // Each mode's: Auto Mode's boundary caps its cluster policies in place of Karpenter's and the Load Balancer Controller's.
        for (const mode of ["karpenter", "auto"] as const) expect(checkBoundarySize("eks-platform-deploy-x-boundary", await json(scope(2, 10, mode))), mode).to.be.a("string");
        expect(() => checkBoundarySize("eks-platform-deploy-x-boundary", "x".repeat(6145))).to.throw(
            "eks-platform-deploy-x-boundary would be 6145 characters, over IAM's 6144 for a permissions boundary: list fewer eks-platform:externalDnsZoneIds or eks-platform:externalSecretsPrefixes",
        );
        expect(() => checkBoundarySize("b", "")).to.not.throw();
        // Its one pattern matches exactly the actions it stands for (IAM's reference data).
        expect((await expandIamActions(ROUTE53_TAG_READS.pattern, { expandAsterisk: true })).sort()).to.deep.equal([...ROUTE53_TAG_READS.actions].sort());
    });

    it("puts the owner tags where the boundaries look for them: node groups, VPC CNI, EBS CSI, the cluster security group, Karpenter, the Load Balancer Controller, Auto Mode's NodeClass, IngressClassParams and volumes", () => {
        for (const g of stacks.withCi) {
            const owner = { project: PROJECT, environment: String(stackFileConfig(g.stack, fixturesDir)[`${PROJECT}:environment`]) };
            const sgTags = g.ofType("aws:ec2/tag:Tag").filter((t) => t.inputs.resourceId === g.outputs.nodeSecurityGroupId);
            expect(Object.fromEntries(sgTags.map((t) => [t.inputs.key, t.inputs.value]))).to.include(owner);
            if (g.outputs.computeMode === "auto") {
                // Auto Mode's instances, volumes and interfaces (NodeClass), load balancers (IngressClassParams), PVC volumes (StorageClass).
                expect(g.one("kubernetes:eks.amazonaws.com/v1:NodeClass").inputs.spec.tags, `${g.stack} NodeClass`).to.include(owner);
                for (const params of g.ofType("kubernetes:eks.amazonaws.com/v1:IngressClassParams")) {
                    expect(Object.fromEntries(params.inputs.spec.tags.map((t: any) => [t.key, t.value])), `${g.stack} ${params.name}`).to.include(owner);
                }
                const parameters = g.one("kubernetes:storage.k8s.io/v1:StorageClass").inputs.parameters;
                expect(Object.entries(parameters).filter(([k]) => k.startsWith("tagSpecification_")).map(([, v]) => v), `${g.stack} StorageClass`).to.have.members(Object.entries(owner).map(([k, v]) => `${k}=${v}`));
                continue;
            }
            const addon = (name: string) => JSON.parse(g.ofType("aws:eks/addon:Addon").find((a) => a.inputs.addonName === name)!.inputs.configurationValues);
            expect(JSON.parse(addon("vpc-cni").env.ADDITIONAL_ENI_TAGS), `${g.stack} vpc-cni`).to.include(owner);
            expect(addon("aws-ebs-csi-driver").controller.extraVolumeTags, `${g.stack} ebs csi`).to.include(owner);
            const lt = g.one("aws:ec2/launchTemplate:LaunchTemplate");
            for (const spec of lt.inputs.tagSpecifications) expect(spec.tags, `${g.stack} ${spec.resourceType}`).to.include(owner);
            expect(lt.inputs.tagSpecifications.map((s: any) => s.resourceType)).to.have.members(["instance", "volume", "network-interface"]);
            const lbc = g.ofType("kubernetes:helm.sh/v3:Release").find((r) => r.inputs.name === "aws-load-balancer-controller")!;
            expect(lbc.inputs.values.defaultTags).to.include(owner);
            const nodeClass = g.ofType("kubernetes:karpenter.k8s.aws/v1:EC2NodeClass")[0];
            expect(nodeClass.inputs.spec.tags).to.include(owner);
        }
    });
});

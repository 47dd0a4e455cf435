import { expect } from "chai";
import * as ipaddr from "ipaddr.js";
import { ADMISSION_POLICIES } from "../../components/platform/tenants/admission";
import { policies } from "../../policy/policies";
import { readWaivers } from "../../policy/waivers";
import { StackGraph, stackGraph } from "../../tooling/offline/harness";
import { policyDocuments } from "./iam-documents";
import { ACCOUNT_ID, RecordedResource } from "../../tooling/offline/mocks";
import { policyResources, runPolicy } from "./policy-harness";
import { CONFIG_KEYS } from "../../stacks/config/keys";
import { PROJECT, projectDefaults, stackFileConfig } from "../../tooling/offline/stack-files";
import { STACK_NAME, stackNames } from "./stacks";
import { TENANT_INVARIANT } from "./tenant-invariant";
import { timeline } from "../../scripts/timeline/model";
import { teardownViolations } from "../../scripts/timeline/destroy";
import { TIMELINE_BUDGETS, formatTimeline, timelineBudget } from "../../scripts/timeline/report";

/**
 * What must hold for every stack file a user writes, checked against that file's own values (never
 * against the values shipped today), so the checks stay green when someone edits a value or adds a
 * stack. `tests/stack-files.test.ts` runs them on the project's stack files; the acceptance tests run
 * them on edited copies.
 */
export interface StackFile {
    /** The stack's name: `Pulumi.<stack>.yaml`. */
    stack: string;
    /** The folder holding the stack files. */
    dir: string;
    /** One config value as the file (or, where it is silent, Pulumi.yaml's default) gives it. */
    get(key: string): unknown;
}

export interface StackInvariant {
    /** What holds, as a test title. */
    name: string;
    /** Throws (a chai assertion) when `g`, built from `file`, breaks it. */
    check(g: StackGraph, file: StackFile): void | Promise<void>;
}

/**
 * `Pulumi.<stack>.yaml` in `dir`, with Pulumi.yaml's defaults where it is silent, each value typed as the
 * program reads it: `pulumi config set` writes top-level values as text (`"false"`, `"2"`), and Pulumi.yaml
 * declares its defaults as text too.
 */
export function stackFile(stack: string, dir: string): StackFile {
    const values: Record<string, unknown> = { ...projectDefaults(dir), ...stackFileConfig(stack, dir) };
    return {
        stack,
        dir,
        get: (key) => {
            const bare = key.includes(":") ? (key.startsWith(`${PROJECT}:`) ? key.slice(PROJECT.length + 1) : undefined) : key;
            const value = values[key.includes(":") ? key : `${PROJECT}:${key}`];
            const type = bare !== undefined ? (CONFIG_KEYS as Record<string, { type: string }>)[bare]?.type : undefined;
            if (typeof value !== "string") return value;
            if (type === "boolean" && /^(true|false)$/.test(value)) return value === "true";
            if (type === "integer" && /^-?\d+$/.test(value)) return Number(value);
            return value;
        },
    };
}

const list = (x: unknown): any[] => (x === undefined || x === null ? [] : Array.isArray(x) ? x : [x]);
const json = (x: unknown): any => (typeof x === "string" ? JSON.parse(x) : x);
const where = (r: RecordedResource) => `${r.type} ${r.name}`;

/** Resources that keep data or identity: what `protectResources` protects. */
const STATEFUL = /^aws:(eks\/cluster:Cluster|kms\/key:Key|ecr\/repository:Repository|cloudwatch\/logGroup:LogGroup)$/;

/**
 * A `role/<name>`-style or full ARN as the program turns it into a principal of the caller's account:
 * offline, the account the file pins (`aws:allowedAccountIds`), else the mocks' placeholder.
 */
const principalArn = (entry: string, f: StackFile) => {
    const pinned = list(f.get("aws:allowedAccountIds")).map(String)[0];
    return entry.startsWith("arn:") ? entry : `arn:aws:iam::${pinned ?? ACCOUNT_ID}:${entry}`;
};

export const STACK_INVARIANTS: StackInvariant[] = [
    {
        name: "builds the VPC with the file's vpcCidr, azCount, natStrategy and ipFamily",
        check: (g, f) => {
            expect(g.outputs.vpcCidr).to.equal(f.get("vpcCidr"));
            expect(g.outputs.ipFamily).to.equal(f.get("ipFamily"));
            if (f.get("ipFamily") === "ipv6") {
                // The dual-stack VPC: its own Vpc, a subnet per side and zone, a NAT gateway per strategy.
                expect(g.one("aws:ec2/vpc:Vpc").inputs).to.include({ cidrBlock: f.get("vpcCidr"), assignGeneratedIpv6CidrBlock: true });
                expect(g.ofType("aws:ec2/subnet:Subnet")).to.have.length(2 * Number(f.get("azCount")));
                expect(g.ofType("aws:ec2/natGateway:NatGateway")).to.have.length(f.get("natStrategy") === "single" ? 1 : Number(f.get("azCount")));
                return;
            }
            const vpc = g.one("awsx:ec2:Vpc");
            expect(vpc.inputs.cidrBlock).to.equal(f.get("vpcCidr"));
            expect(vpc.inputs.numberOfAvailabilityZones).to.equal(f.get("azCount"));
            // NAT beside awsx's VPC: one gateway, or one per zone; every private subnet routes through one.
            expect(vpc.inputs.natGateways.strategy).to.equal("None");
            expect(g.ofType("aws:ec2/natGateway:NatGateway")).to.have.length(f.get("natStrategy") === "single" ? 1 : Number(f.get("azCount")));
            expect(g.ofType("aws:ec2/route:Route").filter((r) => r.inputs.destinationCidrBlock === "0.0.0.0/0" && r.inputs.natGatewayId)).to.have.length(Number(f.get("azCount")));
        },
    },
    {
        name: "puts every AWS resource on one provider in the file's region, tagged with its environment",
        check: (g, f) => {
            const provider = g.one("pulumi:providers:aws");
            expect(provider.inputs.region).to.equal(f.get("aws:region"));
            const tags = json(provider.inputs.defaultTags).tags;
            expect(tags).to.include({ environment: f.get("environment"), project: PROJECT, "managed-by": "pulumi" });
            for (const entry of list(f.get("extraTags")) as string[]) {
                const [key, ...value] = entry.split("=");
                expect(tags[key], entry).to.equal(value.join("="));
            }
            for (const r of g.resources.filter((x) => x.custom && x.type.startsWith("aws:"))) {
                expect(r.provider, where(r)).to.match(/[:$]pulumi:providers:aws::aws::/);
            }
        },
    },
    {
        name: "names the cluster and runs the Kubernetes version the file gives",
        check: (g, f) => {
            const cluster = g.one("aws:eks/cluster:Cluster");
            expect(cluster.inputs.name).to.equal(f.get("clusterName"));
            expect(cluster.inputs.version).to.equal(f.get("kubernetesVersion"));
            expect(g.outputs.clusterName).to.equal(f.get("clusterName"));
        },
    },
    {
        name: "protects every stateful resource exactly when protectResources is true (the default)",
        check: (g, f) => {
            const protect = f.get("protectResources") !== false;
            const stateful = g.resources.filter((r) => STATEFUL.test(r.type));
            expect(stateful.map((r) => r.type)).to.include.members(["aws:eks/cluster:Cluster", "aws:kms/key:Key", "aws:cloudwatch/logGroup:LogGroup"]);
            for (const r of stateful) expect(r.opts.protect === true, where(r)).to.equal(protect);
            expect(g.one("aws:eks/cluster:Cluster").inputs.deletionProtection === true).to.equal(protect);
        },
    },
    {
        name: "opens the API endpoint only as the file says: public to publicAccessCidrs, private always",
        check: (g, f) => {
            const vpcConfig = g.one("aws:eks/cluster:Cluster").inputs.vpcConfig;
            expect(vpcConfig.endpointPrivateAccess).to.equal(true);
            expect(vpcConfig.endpointPublicAccess).to.equal(f.get("endpointPublicAccess"));
            if (f.get("endpointPublicAccess") === true) expect(vpcConfig.publicAccessCidrs).to.deep.equal(f.get("publicAccessCidrs"));
        },
    },
    {
        name: "creates the file's ECR repositories (under <environment>/ with ecrPrefixWithEnvironment), and makes its clusterAdminArns cluster-admins",
        check: (g, f) => {
            const repos = g.ofType("aws:ecr/repository:Repository").map((r) => r.inputs.name);
            // Stacks sharing an account put their repositories under `<environment>/` (ecrPrefixWithEnvironment).
            const prefix = f.get("ecrPrefixWithEnvironment") === true ? `${f.get("environment")}/` : "";
            expect(repos).to.have.members(list(f.get("ecrRepositories")).map((name) => `${prefix}${name}`));
            const principals = g.ofType("aws:eks/accessEntry:AccessEntry").map((e) => e.inputs.principalArn);
            for (const admin of list(f.get("clusterAdminArns")) as string[]) expect(principals, admin).to.include(principalArn(admin, f));
            expect(g.one("aws:eks/cluster:Cluster").inputs.accessConfig).to.deep.include({
                authenticationMode: "API",
                bootstrapClusterCreatorAdminPermissions: f.get("bootstrapCreatorAdmin") === true,
            });
        },
    },
    {
        name: "deploys from the file's gitopsRepoUrl, and only from it",
        check: (g, f) => {
            const repo = f.get("gitopsRepoUrl");
            const sets = g.ofType("kubernetes:argoproj.io/v1alpha1:ApplicationSet");
            if (!repo) {
                expect(sets, "no gitopsRepoUrl, no ApplicationSet").to.deep.equal([]);
                return;
            }
            expect(sets).to.have.length.greaterThan(0);
            for (const s of sets) expect(s.inputs.spec.template.spec.source.repoURL, where(s)).to.equal(repo);
            const urls = new Set<string>();
            const collect = (x: unknown): void => {
                if (Array.isArray(x)) x.forEach(collect);
                else if (x !== null && typeof x === "object") {
                    for (const [k, v] of Object.entries(x)) {
                        if (k === "repoURL" || k === "sourceRepos") list(v).forEach((u) => urls.add(String(u)));
                        else collect(v);
                    }
                }
            };
            g.resources.filter((r) => r.type.startsWith("kubernetes:argoproj.io")).forEach((r) => collect(r.inputs));
            expect([...urls]).to.deep.equal([repo]);
        },
    },
    TENANT_INVARIANT,
    {
        name: "binds the admission policies to the application namespaces exactly when GitOps is on",
        check: (g, f) => {
            const on = Boolean(f.get("gitopsRepoUrl")) && list(f.get("gitopsEnvironments")).length > 0;
            for (const kind of ["ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding"]) {
                const names = g.ofType(`kubernetes:admissionregistration.k8s.io/v1:${kind}`).map((p) => p.inputs.metadata.name);
                expect(names, kind).to.have.members(on ? [...ADMISSION_POLICIES] : []);
            }
        },
    },
    {
        name: "lets CI in only from the file's ciRepository, or not at all without one",
        check: (g, f) => {
            const repo = f.get("ciRepository");
            const ciRoles = g.ofType("aws:iam/role:Role").filter((r) => r.name.startsWith("ci-access-"));
            if (!repo) {
                expect(ciRoles, "no ciRepository, no CI roles").to.deep.equal([]);
                return;
            }
            expect(ciRoles.map((r) => r.name).sort()).to.deep.equal(["ci-access-deploy", "ci-access-preview"]);
            for (const role of ciRoles) {
                const subjects = list(json(role.inputs.assumeRolePolicy).Statement).flatMap((s: any) => list(s.Condition?.StringEquals?.["token.actions.githubusercontent.com:sub"]));
                expect(subjects, role.name).to.have.length.greaterThan(0);
                for (const sub of subjects) expect(sub, role.name).to.match(new RegExp(`^repo:${String(repo).replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}:`));
            }
        },
    },
    {
        name: "allows no `*` or whole-service action, no NotAction, and trusts no `*`, account or root",
        check: (g) => {
            const docs = policyDocuments(g);
            expect(docs.length).to.be.greaterThan(5);
            for (const { where: at, doc } of docs) {
                for (const s of list(doc.Statement)) {
                    expect(s.NotAction, at).to.equal(undefined);
                    if (s.Effect !== "Allow") continue;
                    for (const action of list(s.Action)) expect(action, at).to.not.match(/^(\*|[a-z0-9-]+:\*)$/);
                }
            }
            for (const role of g.ofType("aws:iam/role:Role")) {
                for (const s of list(json(role.inputs.assumeRolePolicy).Statement)) {
                    expect(s.Principal, role.name).to.not.equal("*");
                    for (const aws of list(s.Principal?.AWS)) expect(aws, role.name).to.not.match(/^(\*|\d{12}|arn:aws:iam::\d{12}:root)$/);
                }
            }
        },
    },
    {
        name: "launches nodes with IMDSv2 at hop limit 1 on encrypted volumes; rotates keys; retains and encrypts logs",
        check: (g, f) => {
            const templates = g.ofType("aws:ec2/launchTemplate:LaunchTemplate");
            // Auto Mode launches its nodes itself (IMDSv2 at hop limit 1, encrypted volumes, enforced by AWS): no template of the program's.
            if (g.outputs.computeMode === "auto") expect(templates, "an auto stack launches nodes through Auto Mode only").to.deep.equal([]);
            else expect(templates.length).to.be.greaterThan(0);
            for (const lt of templates) {
                expect(lt.inputs.metadataOptions, lt.name).to.include({ httpTokens: "required", httpPutResponseHopLimit: 1 });
                for (const bdm of lt.inputs.blockDeviceMappings) expect(bdm.ebs.encrypted, lt.name).to.equal("true");
            }
            for (const key of g.ofType("aws:kms/key:Key")) expect(key.inputs.enableKeyRotation, key.name).to.equal(true);
            for (const group of g.ofType("aws:cloudwatch/logGroup:LogGroup")) {
                expect(group.inputs.kmsKeyId, group.name).to.be.a("string");
                const name = String(group.inputs.name ?? "");
                const key = group.inputs.namePrefix === "/aws/vpc/flow-logs/" ? "flowLogRetentionDays"
                    : name.startsWith("/aws/containerinsights/") ? "containerLogRetentionDays"
                    : name.startsWith("aws-waf-logs-") ? "wafLogRetentionDays"
                    : "clusterLogRetentionDays";
                const days = Number(f.get(key));
                expect(group.inputs.retentionInDays, group.name).to.equal(days);
            }
        },
    },
    {
        name: "passes every policy of the pack, waiving exactly what the file's policyWaivers list",
        check: async (g, f) => {
            const resources = policyResources(g.stack, g.resources);
            const listed = (list(f.get("policyWaivers")) as string[]).map((entry) => entry.slice(0, entry.indexOf(":")).trim());
            expect([...readWaivers(resources).keys()].sort()).to.deep.equal([...listed].sort());
            const reports: string[] = [];
            for (const p of policies) {
                const run = await runPolicy(p, resources);
                if (run.error) reports.push(`${p.name} threw ${String(run.error)}`);
                reports.push(...run.violations.map((v) => `${p.name}: ${v.message}`));
            }
            expect(reports).to.deep.equal([]);
        },
    },
    {
        name: `models a fresh pulumi up within its mode's budget (${TIMELINE_BUDGETS.karpenter} minutes, Auto Mode ${TIMELINE_BUDGETS.auto}; npm run timeline) and tears down workloads, NodePools, the Karpenter controller, then the system nodes`,
        check: (g) => {
            const t = timeline(g);
            expect(t.total, formatTimeline(g).text).to.be.at.most(timelineBudget(g));
            expect(teardownViolations(g)).to.deep.equal([]);
        },
    },
    {
        name: "warns only of what the user can act on: each warning names the config key to change, none is the runtime's own noise",
        check: (g) => {
            const unaddressed = g.warnings.filter((w) => /\bUndefined value\b/.test(w) || !/\b(eks-platform|aws):[A-Za-z]+/.test(w));
            expect(unaddressed).to.deep.equal([]);
        },
    },
];

/** Checks that span the stack files of one project. */
export interface ProjectInvariant {
    /** What holds, as a test title. */
    name: string;
    /** Throws when the stack files `stacks` in `dir` break it. */
    check(dir: string, stacks: string[]): void;
}

export const PROJECT_INVARIANTS: ProjectInvariant[] = [
    {
        name: "has at least one stack, each named so CI can use it in file and variable names",
        check: (_dir, stacks) => {
            expect(stacks.length).to.be.greaterThan(0);
            for (const stack of stacks) expect(stack).to.match(STACK_NAME);
        },
    },
    {
        name: "gives no two stacks overlapping VPC CIDRs or the same cluster name in one region",
        check: (dir, stacks) => {
            const files = stacks.map((s) => stackFile(s, dir));
            for (const [i, a] of files.entries()) {
                for (const b of files.slice(i + 1)) {
                    const [netA, bitsA] = ipaddr.parseCIDR(String(a.get("vpcCidr")));
                    const [netB, bitsB] = ipaddr.parseCIDR(String(b.get("vpcCidr")));
                    const overlap = netA.match(netB, Math.min(bitsA, bitsB));
                    expect(overlap, `${a.stack} ${a.get("vpcCidr")} vs ${b.stack} ${b.get("vpcCidr")}`).to.equal(false);
                    const sameCluster = a.get("clusterName") === b.get("clusterName") && a.get("aws:region") === b.get("aws:region");
                    expect(sameCluster, `${a.stack} and ${b.stack} both name cluster ${a.get("clusterName")}`).to.equal(false);
                }
            }
        },
    },
];

/** Builds every stack of the project in `dir` and runs every invariant; the failures, one line each. */
export async function stackFileFailures(dir: string): Promise<string[]> {
    const failures: string[] = [];
    const stacks = stackNames(dir);
    for (const p of PROJECT_INVARIANTS) {
        try {
            p.check(dir, stacks);
        } catch (err) {
            failures.push(`${p.name}: ${(err as Error).message}`);
        }
    }
    for (const stack of stacks) {
        let g: StackGraph;
        try {
            g = await stackGraph(stack, dir);
        } catch (err) {
            failures.push(`${stack}: does not build: ${(err as Error).message}`);
            continue;
        }
        const file = stackFile(stack, dir);
        for (const inv of STACK_INVARIANTS) {
            try {
                await inv.check(g, file);
            } catch (err) {
                failures.push(`${stack}: ${inv.name}: ${(err as Error).message}`);
            }
        }
    }
    return failures;
}

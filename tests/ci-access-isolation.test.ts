import { expect } from "chai";
import { BOUNDARY_UNSCOPABLE } from "../components/ci-access/boundary-actions";
import { UNSCOPABLE_ACTIONS } from "../components/ci-access/scoped-statements";
import { Caller, World, crossings } from "./support/ci-access-corpus";
import { StackGraph, buildStack } from "./support/harness";
import { platformNames, platformTags, taggedContext } from "./support/platform-tags";
import { PROJECT, fixturesDir, stackFileConfig } from "./support/stack-files";
import { useStacks } from "./support/use-stacks";
import { deployPolicyDocuments } from "./support/deploy-documents";

/** What the corpus needs of one stack's CI: its policies and the names its own resources carry. */
interface CiOf {
    stack: string;
    environment: string;
    account: string;
    cluster: string;
    deploy: any[];
    preview: any[];
    boundary: any;
    boundaryArn: string;
    nodeBoundary: any;
    /** Secrets Manager prefixes and Route 53 zones of the stack (`externalSecretsPrefixes`, `externalDnsZoneIds`). */
    secretPrefixes: string[];
    zoneIds: string[];
    deployRoleArn: string;
    stateBucket: string;
    stateKeys: string[];
}

const list = (x: unknown): any[] => (x === undefined ? [] : Array.isArray(x) ? x : [x]);
const statement = (docs: any[], sid: string) => {
    const found = docs.flatMap((d) => list(d.Statement)).find((s: any) => s.Sid === sid);
    if (!found) throw new Error(`no statement ${sid}`);
    return found;
};

export function ciOf(g: StackGraph): CiOf {
    const doc = (type: string, name: string) => JSON.parse(g.one(type, name).inputs.policy);
    const deploy = [
        ...deployPolicyDocuments(g),
        doc("aws:iam/rolePolicy:RolePolicy", "ci-access-deploy-default-sg"),
    ];
    const boundaryArns: string[] = list(statement(deploy, "CreateRolesUnderTheBoundary").Condition.StringEquals["iam:PermissionsBoundary"]);
    const boundaryArn = boundaryArns.find((b) => b.endsWith("-boundary") && !b.endsWith("-node-boundary"))!;
    const config = stackFileConfig(g.stack, fixturesDir);
    const account = boundaryArn.split(":")[4];
    const environment = statement(deploy, "CreateRolesUnderTheBoundary").Condition.StringEquals["aws:RequestTag/environment"];
    const cluster = list(statement(deploy, "ThisEnvironmentsCluster").Resource)[0].split("cluster/")[1];
    const state = list(statement(deploy, "ReadWriteThisStacksState").Resource).map((r: string) => r.split(":::")[1]);
    return {
        stack: g.stack,
        environment,
        account,
        cluster,
        deploy,
        preview: [doc("aws:iam/rolePolicy:RolePolicy", "ci-access-preview-read")],
        boundary: doc("aws:iam/policy:Policy", "ci-access-boundary"),
        boundaryArn,
        nodeBoundary: doc("aws:iam/policy:Policy", "ci-access-node-boundary"),
        secretPrefixes: list(config[`${PROJECT}:externalSecretsPrefixes`]),
        zoneIds: list(config[`${PROJECT}:externalDnsZoneIds`]),
        deployRoleArn: `arn:aws:iam::${account}:role/eks-platform-deploy-${environment}`,
        stateBucket: state[0].split("/")[0],
        stateKeys: state.map((k: string) => k.slice(k.indexOf("/") + 1).replace(/\*/g, "x")),
    };
}

/**
 * The other environment as seen from `own`: its ARNs and names (cluster, node role, bucket, web ACL, ALB,
 * secrets under its prefixes, its DNS zones, a parameter of its own), every tag its resources carry
 * (owner tags and the controllers' own, with its values), its state objects, its principals.
 */
export function otherEnvironment(own: CiOf, other: CiOf, region: string): World {
    const names = platformNames({ environment: other.environment, cluster: other.cluster, region });
    return {
        label: `${other.stack} (${other.account === own.account ? "same account" : "its own account"})`,
        partition: "aws",
        region,
        accountId: other.account,
        // The cluster's name for every service; the other names only where such a resource lives.
        names: names.slice(0, 1),
        namesByService: {
            iam: [names[1]],
            s3: [names[2]],
            wafv2: [names[3]],
            elasticloadbalancing: [names[4]],
            secretsmanager: other.secretPrefixes.map((p) => `${p}/db-password-AbCdEf`),
            route53: other.zoneIds,
            ssm: [`${other.environment}/secret`],
        },
        s3: { bucket: other.stateBucket, keys: other.stateKeys },
        context: {
            ...taggedContext(platformTags({ environment: other.environment, cluster: other.cluster, region })),
            "ec2:Owner": other.account,
            "aws:RequestedRegion": region,
            "iam:PermissionsBoundary": other.boundaryArn,
            "eks:principalArn": other.deployRoleArn,
            "eks:policyArn": "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy",
            "kms:BypassPolicyLockoutSafetyCheck": "false",
            // A create's implicit tagging (the deploy role's network creates, the boundaries' launches and load balancers).
            "ec2:CreateAction": "CreateVpc",
            "elasticloadbalancing:CreateAction": "CreateLoadBalancer",
            "s3:prefix": other.stateKeys[0],
        },
        choices: CHOICES,
    };
}

/** Values a caller chooses for one key of a request: the service a role is passed to. */
const CHOICES: World["choices"] = {
    "iam:PassRole": { "iam:PassedToService": ["ec2.amazonaws.com", "eks.amazonaws.com", "pods.eks.amazonaws.com", "vpc-flow-logs.amazonaws.com"] },
};

/** Resources outside the platform: no owner tags, foreign names, an outsider as access-entry principal. */
export function outside(own: CiOf, region: string): World {
    return {
        label: "untagged resources outside the platform",
        partition: "aws",
        region,
        accountId: own.account,
        names: ["outside"],
        s3: { bucket: own.stateBucket, keys: ["outside/data.json"] },
        context: {
            "aws:RequestedRegion": region, "eks:principalArn": "arn:aws:iam::999988887777:role/outsider", "kms:BypassPolicyLockoutSafetyCheck": "false", "s3:prefix": "outside",
            "ec2:Owner": own.account,
        },
        choices: CHOICES,
    };
}

const ALLOW_ALL = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] };

/**
 * The callers of one stack: its deploy and preview roles, and any role its deploy role creates, under
 * either boundary (allow-all within it). Every mutating action a boundary allows is asked, but those AWS
 * offers no scope for (BOUNDARY_UNSCOPABLE, each with its reason).
 */
export function callersOf(ci: CiOf): Caller[] {
    const role = (name: string) => `arn:aws:iam::${ci.account}:role/${name}`;
    const scoped = (a: string) => !(a in BOUNDARY_UNSCOPABLE);
    return [
        { label: `${ci.stack} deploy`, principal: ci.deployRoleArn, policies: { identity: ci.deploy } },
        { label: `${ci.stack} preview`, principal: role(`eks-platform-preview-${ci.environment}`), policies: { identity: ci.preview } },
        { label: `${ci.stack} role created under the boundary`, principal: role(`${ci.cluster}-created`), policies: { identity: [ALLOW_ALL], boundary: ci.boundary }, asks: scoped },
        { label: `${ci.stack} instance role created under the node boundary`, principal: role(`${ci.cluster}-created-node`), policies: { identity: [ALLOW_ALL], boundary: ci.nodeBoundary }, asks: scoped },
    ];
}

const exempt = (action: string) => action in UNSCOPABLE_ACTIONS;

async function assertIsolated(stacks: StackGraph[], region = "us-west-2"): Promise<number> {
    const cis = stacks.map(ciOf);
    let asked = 0;
    for (const own of cis) {
        const worlds = [...cis.filter((c) => c !== own).map((o) => otherEnvironment(own, o, region)), outside(own, region)];
        const result = await crossings(callersOf(own), worlds, exempt);
        asked += result.asked;
        const lines = result.crossed.map((c) => `${c.caller} → ${c.world}: ${c.action} on ${c.resources.slice(0, 2).join(", ")}`);
        expect(lines, `allowed across environments:\n  ${lines.join("\n  ")}`).to.deep.equal([]);
    }
    return asked;
}

describe("CI isolation, asked of a real IAM engine with a generated corpus", function () {
    this.timeout(300000);
    const stacks = useStacks();

    it("shared account: no CI role of one fixture stack may change another's resources or anything outside the platform", async () => {
        expect(stacks.all.length).to.be.at.least(2);
        expect(await assertIsolated(stacks.all)).to.be.greaterThan(500);
    });

    it("separate accounts (stack files pinning different aws:allowedAccountIds): the same holds", async () => {
        const accounts: Record<string, string> = { dev: "111122223333", prod: "444455556666" };
        const graphs = await Promise.all(stacks.all.map((g) => buildStack(g.stack, { "aws:allowedAccountIds": [accounts[g.stack] ?? "777788889999"] }, [], fixturesDir)));
        expect(new Set(graphs.map((g) => ciOf(g).account)).size).to.equal(graphs.length);
        await assertIsolated(graphs);
    });
});

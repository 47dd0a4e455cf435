import { expect } from "chai";
import { BOUNDARY_UNSCOPABLE } from "../components/ci-access/boundary-actions";
import { UNSCOPABLE_ACTIONS } from "../components/ci-access/scoped-statements";
import { Caller, World, crossings } from "./support/ci-access-corpus";
import { CiOf, ciOf } from "./support/ci-of";
import { StackGraph, buildStack } from "../tooling/offline/harness";
import { projectRoot } from "../tooling/offline/paths";
import { platformNames, platformTags, taggedContext } from "./support/platform-tags";
import { PROJECT, fixturesDir, stackFileConfig } from "../tooling/offline/stack-files";
import { stackNames } from "./support/stacks";
import { useStacks } from "./support/use-stacks";

/** Actions that set tags: the ones that could claim a resource for the caller's environment. */
const TAGGING = /^[a-z0-9-]+:(Create)?Tags?\w*$|:TagResource$/;

/** The service a role is passed to, for every PassRole request. */
const passedTo = (action: string, services: string[]): Record<string, string[]> => (action === "iam:PassRole" ? { "iam:PassedToService": services } : {});

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
        choices: (action): Record<string, string[]> => ({
            ...passedTo(action, ["ec2.amazonaws.com", "eks.amazonaws.com", "pods.eks.amazonaws.com", "vpc-flow-logs.amazonaws.com"]),
            // A tag call may also claim the other environment's resource with the caller's own values.
            ...(TAGGING.test(action)
                ? { "aws:RequestTag/environment": [other.environment, own.environment], [`aws:RequestTag/kubernetes.io/cluster/${own.cluster}`]: ["", "owned"], "ec2:CreateAction": [""] }
                : {}),
        }),
    };
}

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
        choices: (action): Record<string, string[]> => ({
            ...passedTo(action, ["ec2.amazonaws.com", "eks.amazonaws.com", "pods.eks.amazonaws.com"]),
            // Claiming an outside resource: a tag call carrying the caller's own owner tags.
            ...(TAGGING.test(action) ? { "aws:RequestTag/project": [PROJECT], "aws:RequestTag/environment": [own.environment], "aws:TagKeys": ["project", "environment"] } : {}),
        }),
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

async function assertIsolated(stacks: StackGraph[]): Promise<number> {
    const cis = stacks.map(ciOf);
    let asked = 0;
    for (const own of cis) {
        const worlds = [...cis.filter((c) => c !== own).map((o) => otherEnvironment(own, o, o.region)), outside(own, own.region)];
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
        expect(stacks.withCi.length).to.be.at.least(2);
        expect(await assertIsolated(stacks.withCi)).to.be.greaterThan(500);
    });

    it("separate accounts (stack files pinning different aws:allowedAccountIds): the same holds", async () => {
        const accounts: Record<string, string> = { dev: "111122223333", prod: "444455556666" };
        const graphs = await Promise.all(stacks.withCi.map((g, i) => buildStack(g.stack, { "aws:allowedAccountIds": [accounts[g.stack] ?? String(777788889990 + i)] }, [], fixturesDir)));
        expect(new Set(graphs.map((g) => ciOf(g).account)).size).to.equal(graphs.length);
        await assertIsolated(graphs);
    });

    it("would notice an action added to a CI role before it is scoped", async () => {
        const [own, other] = [ciOf(stacks.dev), ciOf(stacks.prod)];
        const added = { Version: "2012-10-17", Statement: [{ Sid: "Added", Effect: "Allow", Action: ["ec2:DeleteVolume", "ssm:PutParameter"], Resource: "*" }] };
        const result = await crossings([{ label: "dev deploy", principal: own.deployRoleArn, policies: { identity: [added] } }], [otherEnvironment(own, other, other.region)], exempt);
        expect(result.crossed.map((c) => c.action)).to.deep.equal(["ec2:DeleteVolume", "ssm:PutParameter"]);
    });

    it("the shipped stack files, with their own names, regions and accounts, shared and separate (CI settings filled in where a file has none)", async () => {
        const names = stackNames(projectRoot);
        expect(names.length, "stack files").to.be.at.least(2);
        const graphs = [];
        for (const stack of names) graphs.push(await buildStack(stack, ciSettingsFor(stack), [], projectRoot));
        await assertIsolated(graphs);
        // And each in an account of its own, as the README recommends.
        const separate = [];
        for (const [i, stack] of names.entries()) {
            separate.push(await buildStack(stack, { ...ciSettingsFor(stack), "aws:allowedAccountIds": [String(210987654321 + i)] }, [], projectRoot));
        }
        expect(new Set(separate.map((g) => ciOf(g).account)).size).to.equal(names.length);
        await assertIsolated(separate);
    });
});

/**
 * A stack file's CI settings, or example ones where it has none (the shipped files leave CI commented out):
 * the corpus then runs on the file's own cluster names, region, account pin and prefixes.
 */
function ciSettingsFor(stack: string): Record<string, unknown> {
    const file = stackFileConfig(stack, projectRoot);
    if (file[`${PROJECT}:ciRepository`]) return {};
    const prod = String(file[`${PROJECT}:environment`] ?? stack) === "prod";
    return {
        ciRepository: "octo-platform/eks-platform",
        ciRepositoryId: "123456789",
        ciRepositoryOwnerId: "987654321",
        ciStateBucket: "octo-platform-pulumi-state/eks-platform",
        ...(prod ? { ciDeployEnvironments: ["production"], ciPreviewEnvironment: "preview-production" } : { ciDeployBranches: ["main"] }),
    };
}

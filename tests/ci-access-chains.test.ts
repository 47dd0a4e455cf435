import { expect } from "chai";
import { ciOf } from "./support/ci-of";
import { StackGraph, buildStack } from "../tooling/offline/harness";
import { Decision, Request, decide, globMatch, tagContext } from "./support/iam-engine";
import { ACCOUNT_ID } from "../tooling/offline/mocks";
import { PROJECT, fixturesDir } from "../tooling/offline/stack-files";
import { useStacks } from "./support/use-stacks";

/**
 * The chains the security review walked end to end (issue 18, points 1-7), each asked of the IAM engine as
 * the role that would take the step. The generated corpus (ci-access-isolation.test.ts) asks every action;
 * these keep the named paths readable, with the step that must now fail.
 */
const REGION = "us-west-2";
const arn = (service: string, resource: string, global = false) => `arn:aws:${service}:${global ? "" : REGION}:${ACCOUNT_ID}:${resource}`;
const owned = (environment: string) => ({ project: PROJECT, environment });
const allowAll = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] };

describe("CI isolation: the review's chains, step by step", function () {
    this.timeout(120000);
    const stacks = useStacks();
    const pairs = () => [
        { own: ciOf(stacks.dev), other: ciOf(stacks.prod) },
        { own: ciOf(stacks.prod), other: ciOf(stacks.dev) },
    ];
    const asDeploy = (ci: ReturnType<typeof ciOf>, r: Request) => decide({ identity: ci.deploy }, { principal: ci.deployRoleArn, ...r });
    const asPreview = (ci: ReturnType<typeof ciOf>, r: Request) =>
        decide({ identity: ci.preview }, { principal: arn("iam", `role/eks-platform-preview-${ci.environment}`, true), ...r });
    const asCreatedRole = (ci: ReturnType<typeof ciOf>, r: Request) =>
        decide({ identity: [allowAll], boundary: ci.boundary }, { principal: arn("iam", `role/${ci.cluster}-created`, true), ...r });
    const expectEach = async (label: string, asks: [string, Promise<Decision>][], expected: Decision | "not allow") => {
        for (const [what, decision] of asks) {
            const d = await decision;
            if (expected === "not allow") expect(d, `${label}: ${what}`).to.not.equal("allow");
            else expect(d, `${label}: ${what}`).to.equal(expected);
        }
    };

    it("1. one environment's deploy role cannot make itself cluster-admin of the other's cluster, nor open, delete or rewire it", async () => {
        for (const { own, other } of pairs()) {
            const cluster = arn("eks", `cluster/${other.cluster}`);
            const foreign = tagContext(owned(other.environment));
            const self = own.deployRoleArn;
            const admin = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy";
            const steps: [string, Request][] = [
                ["eks:UpdateClusterConfig (open the endpoint)", { action: "eks:UpdateClusterConfig", resource: cluster }],
                ["eks:CreateAccessEntry for itself", { action: "eks:CreateAccessEntry", resource: cluster, context: { "eks:principalArn": self } }],
                [
                    "eks:AssociateAccessPolicy cluster-admin for itself",
                    {
                        action: "eks:AssociateAccessPolicy",
                        resource: arn("eks", `access-entry/${other.cluster}/role/${ACCOUNT_ID}/eks-platform-deploy-${own.environment}/1`),
                        context: { "eks:principalArn": self, "eks:policyArn": admin, "eks:accessScope": "cluster" },
                    },
                ],
                ["eks:DeleteAccessEntry", { action: "eks:DeleteAccessEntry", resource: arn("eks", `access-entry/${other.cluster}/role/${ACCOUNT_ID}/platform-operators/1`) }],
                ["eks:DeleteCluster", { action: "eks:DeleteCluster", resource: cluster }],
                ["ec2:AuthorizeSecurityGroupIngress", { action: "ec2:AuthorizeSecurityGroupIngress", resource: arn("ec2", "security-group/sg-other"), context: { ...foreign, "aws:ResourceTag/aws:eks:cluster-name": other.cluster } }],
                ["ec2:CreateRoute", { action: "ec2:CreateRoute", resource: arn("ec2", "route-table/rtb-other"), context: foreign }],
                ["ec2:DeleteFlowLogs", { action: "ec2:DeleteFlowLogs", resource: arn("ec2", "vpc-flow-log/fl-other"), context: foreign }],
                ["logs:DeleteLogGroup of the control plane", { action: "logs:DeleteLogGroup", resource: arn("logs", `log-group:/aws/eks/${other.cluster}/cluster`), context: foreign }],
                ["ecr:SetRepositoryPolicy", { action: "ecr:SetRepositoryPolicy", resource: arn("ecr", "repository/shop"), context: foreign }],
                ["ecr:DeleteRepository", { action: "ecr:DeleteRepository", resource: arn("ecr", "repository/shop"), context: foreign }],
                ["sqs:SetQueueAttributes", { action: "sqs:SetQueueAttributes", resource: arn("sqs", other.cluster), context: foreign }],
                ["events:PutTargets", { action: "events:PutTargets", resource: arn("events", `rule/${other.cluster}-spot-interruption`), context: foreign }],
            ];
            await expectEach(`${own.stack} deploy → ${other.stack}`, steps.map(([what, r]) => [what, asDeploy(own, r)]), "not allow");
            // The same calls on its own cluster go through: the scoping is by environment, not a blanket deny.
            expect(await asDeploy(own, { action: "eks:UpdateClusterConfig", resource: arn("eks", `cluster/${own.cluster}`) })).to.equal("allow");
        }
    });

    it("2. a role created under the boundary can pass to EC2 only its own cluster's node role: not the other's, not CI's agent", async () => {
        for (const { own, other } of pairs()) {
            const pass = (role: string, tags: Record<string, string>) =>
                asCreatedRole(own, { action: "iam:PassRole", resource: arn("iam", `role/${role}`, true), context: { ...tagContext(tags), "iam:PassedToService": "ec2.amazonaws.com" } });
            await expectEach(
                `${own.stack} created role`,
                [
                    [`PassRole ${other.cluster}'s Karpenter node role`, pass(`${other.cluster}-karpenter-nodes-1a2b3c4`, owned(other.environment))],
                    ["PassRole the Jenkins agent role", pass("jenkins-agent", {})],
                    ["PassRole CI's deploy role", pass(`eks-platform-deploy-${other.environment}`, {})],
                ],
                "not allow",
            );
            expect(await pass(`${own.cluster}-karpenter-nodes-1a2b3c4`, owned(own.environment)), "its own node role").to.equal("allow");
            const profile = arn("iam", `instance-profile/${other.cluster}_1234`, true);
            const foreignProfile = tagContext({ ...owned(other.environment), [`kubernetes.io/cluster/${other.cluster}`]: "owned" });
            expect(await asCreatedRole(own, { action: "iam:AddRoleToInstanceProfile", resource: profile, context: foreignProfile }), "the other cluster's instance profile").to.not.equal("allow");
        }
    });

    it("4. neither CI role of one stack reads, writes or unlocks another stack's state", async () => {
        for (const { own, other } of pairs()) {
            const objects = other.stateKeys.map((k) => `arn:aws:s3:::${other.stateBucket}/${k}`);
            expect(objects.some((o) => o.includes("/locks/organization/")), "the lock path of the self-managed backend").to.equal(true);
            for (const object of objects) {
                for (const action of ["s3:PutObject", "s3:DeleteObject", "s3:GetObject"]) {
                    expect(await asDeploy(own, { action, resource: object }), `${own.stack} deploy: ${action} ${object}`).to.not.equal("allow");
                }
                expect(await asPreview(own, { action: "s3:GetObject", resource: object }), `${own.stack} preview reads ${object}`).to.not.equal("allow");
            }
            for (const k of own.stateKeys) {
                expect(await asDeploy(own, { action: "s3:PutObject", resource: `arn:aws:s3:::${own.stateBucket}/${k}` }), `${own.stack} its own ${k}`).to.equal("allow");
            }
        }
    });

    it("5. no deploy role rewrites another environment's key policy, skips the lockout check, or retags the other's keys and launch templates", async () => {
        for (const { own, other } of pairs()) {
            const key = arn("kms", "key/1234abcd-12ab-34cd-56ef-1234567890ab");
            const claim = tagContext(owned(other.environment), owned(own.environment));
            await expectEach(
                `${own.stack} deploy → ${other.stack}`,
                [
                    ["kms:PutKeyPolicy", asDeploy(own, { action: "kms:PutKeyPolicy", resource: key, context: { ...tagContext(owned(other.environment)), "kms:BypassPolicyLockoutSafetyCheck": "false" } })],
                    ["kms:PutKeyPolicy bypassing the lockout check on its own key", asDeploy(own, { action: "kms:PutKeyPolicy", resource: key, context: { ...tagContext(owned(own.environment)), "kms:BypassPolicyLockoutSafetyCheck": "true" } })],
                    ["kms:TagResource claiming the key", asDeploy(own, { action: "kms:TagResource", resource: key, context: claim })],
                    [
                        "ec2:CreateTags claiming a launch template",
                        asDeploy(own, {
                            action: "ec2:CreateTags",
                            resource: arn("ec2", "launch-template/lt-other"),
                            context: { ...claim, [`aws:RequestTag/kubernetes.io/cluster/${own.cluster}`]: "owned", [`aws:ResourceTag/kubernetes.io/cluster/${other.cluster}`]: "owned" },
                        }),
                    ],
                ],
                "not allow",
            );
        }
    });

    it("6. access entries and policies only for the principals, policies and scopes the stack config names", async () => {
        const g: StackGraph = await buildStack("prod", { namespaceAccess: ["role/team-shop edit shop"] }, [], fixturesDir);
        const ci = ciOf(g);
        const entry = (name: string) => arn("eks", `access-entry/${ci.cluster}/role/${ACCOUNT_ID}/${name}/1`);
        const policy = (name: string) => `arn:aws:eks::aws:cluster-access-policy/${name}`;
        const team = arn("iam", "role/team-shop", true);
        const operators = arn("iam", "role/platform-operators", true);
        const associate = (principal: string, name: string, scope: "cluster" | "namespace", namespaces?: string[]) =>
            asDeploy(ci, {
                action: "eks:AssociateAccessPolicy",
                resource: entry(principal.split("/").pop()!),
                context: { "eks:principalArn": principal, "eks:policyArn": policy(name), "eks:accessScope": scope, ...(namespaces ? { "eks:namespaces": namespaces } : {}) },
            });
        await expectEach(
            "prod deploy",
            [
                ["an access entry for an outsider", asDeploy(ci, { action: "eks:CreateAccessEntry", resource: arn("eks", `cluster/${ci.cluster}`), context: { "eks:principalArn": "arn:aws:iam::999988887777:role/outsider" } })],
                ["cluster-admin for the namespace team", associate(team, "AmazonEKSClusterAdminPolicy", "cluster")],
                ["edit for the namespace team on the whole cluster", associate(team, "AmazonEKSEditPolicy", "cluster")],
                ["edit for the namespace team in another namespace", associate(team, "AmazonEKSEditPolicy", "namespace", ["shop", "kube-system"])],
                ["AmazonEKSAdminPolicy for the operators", associate(operators, "AmazonEKSAdminPolicy", "cluster")],
            ],
            "not allow",
        );
        expect(await associate(team, "AmazonEKSEditPolicy", "namespace", ["shop"]), "the team's configured grant").to.equal("allow");
        expect(await associate(operators, "AmazonEKSClusterAdminPolicy", "cluster"), "the operators' configured grant").to.equal("allow");
    });

    it("7. the deploy role never hands CI's own roles to a pod or a service", async () => {
        for (const { own } of pairs()) {
            for (const role of [`eks-platform-deploy-${own.environment}`, `eks-platform-preview-${own.environment}`, `eks-platform-ecr-push-${own.environment}-shop`]) {
                for (const service of ["pods.eks.amazonaws.com", "eks.amazonaws.com"]) {
                    const request = { action: "iam:PassRole", resource: arn("iam", `role/${role}`, true), context: { ...tagContext(owned(own.environment)), "iam:PassedToService": service } };
                    expect(await asDeploy(own, request), `${own.stack}: PassRole ${role} to ${service}`).to.equal("deny");
                }
            }
        }
    });

    it("lets the deploy and preview roles read AWS's public EKS AMI parameters (ARNs without an account), and no parameter of the account", async () => {
        for (const { own } of pairs()) {
            const name = "parameter/aws/service/eks/optimized-ami/1.35/amazon-linux-2023/x86_64/standard/recommended/image_id";
            const accountParameter = arn("ssm", `parameter/${own.environment}/database-password`);
            for (const [role, ask] of [["deploy", asDeploy], ["preview", asPreview]] as const) {
                // AWS names public parameters without an account, a form the engine cannot parse: its pattern must match both.
                const patterns = (role === "deploy" ? own.deploy : own.preview).flatMap((d: any) => [d.Statement].flat()).filter((st: any) => st.Sid === "ReadEksAmiParameters").flatMap((st: any) => [st.Resource].flat());
                expect(patterns.some((p: string) => globMatch(p, `arn:aws:ssm:${REGION}::${name}`)), `${own.stack} ${role}: ${patterns.join(", ")}`).to.equal(true);
                expect(await ask(own, { action: "ssm:GetParameter", resource: arn("ssm", name) }), `${own.stack} ${role}: public AMI parameter`).to.equal("allow");
                expect(await ask(own, { action: "ssm:GetParameter", resource: accountParameter }), `${own.stack} ${role}: the account's parameter`).to.not.equal("allow");
            }
        }
    });
});

import { expect } from "chai";
import { useStacks } from "./support/use-stacks";
import * as fs from "fs";
import * as path from "path";
import { StackGraph } from "../tooling/offline/harness";
import { projectRoot } from "../tooling/offline/paths";

/** Resource types the AWS provider cannot tag (associations, attachments, policies, aliases…). */
const UNTAGGABLE = /^aws:(iam\/(rolePolicy|rolePolicyAttachment):|kms\/alias:|ecr\/lifecyclePolicy:|ec2\/defaultSecurityGroup:|eks\/accessPolicyAssociation:|sqs\/queuePolicy:|cloudwatch\/eventTarget:|ec2\/securityGroupRule:)/;

function sourceFiles(dir: string): string[] {
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
        e.isDirectory() ? sourceFiles(path.join(dir, e.name)) : e.name.endsWith(".ts") ? [path.join(dir, e.name)] : [],
    );
}

describe("whole stack", () => {
    const stacks = useStacks();

    it("tags every AWS resource with environment, project and managed-by through the provider's default tags", () => {
        for (const g of stacks.all) {
            const provider = g.one("pulumi:providers:aws");
            const defaultTags = typeof provider.inputs.defaultTags === "string" ? JSON.parse(provider.inputs.defaultTags) : provider.inputs.defaultTags;
            expect(defaultTags.tags).to.include({ environment: g.stack, project: "eks-platform", "managed-by": "pulumi" });
            expect(defaultTags.tags["cost-center"]).to.equal(`platform-${g.stack}`);
            expect(provider.inputs.region).to.equal("us-west-2");
            const awsResources = g.resources.filter((r) => r.custom && r.type.startsWith("aws:"));
            expect(awsResources.length).to.be.greaterThan(10);
            for (const r of awsResources) {
                expect(r.provider, `${r.type} ${r.name}`).to.match(/[:$]pulumi:providers:aws::aws::/);
            }
        }
    });

    it("sets no per-resource tag that contradicts the default tags", () => {
        for (const g of stacks.all) {
            for (const r of g.resources.filter((x) => x.type.startsWith("aws:") && !UNTAGGABLE.test(x.type) && x.inputs.tags)) {
                expect(r.inputs.tags.environment ?? g.stack, `${r.type} ${r.name}`).to.equal(g.stack);
            }
        }
    });

    it("encrypts log groups with a rotated customer-managed key that has an explicit policy", () => {
        for (const g of stacks.all) {
            const key = g.one("aws:kms/key:Key", "logs");
            expect(key.inputs.enableKeyRotation).to.equal(true);
            const policy = JSON.parse(key.inputs.policy);
            for (const s of policy.Statement) {
                expect(s.Action).to.not.include("kms:*");
                expect(s.Principal).to.not.equal("*");
            }
            const logs = policy.Statement.find((s: any) => s.Principal.Service === "logs.us-west-2.amazonaws.com");
            expect(logs.Condition.ArnLike["kms:EncryptionContext:aws:logs:arn"]).to.equal("arn:aws:logs:us-west-2:111122223333:log-group:*");
        }
        expect(stacks.prod.one("aws:kms/key:Key", "logs").opts.protect).to.equal(true);
    });

    it("differs between dev and prod exactly where the stack files differ", () => {
        const summary = (g: StackGraph) => ({
            cidr: g.one("awsx:ec2:Vpc").inputs.cidrBlock,
            nat: g.ofType("aws:ec2/natGateway:NatGateway").length,
            flowLogDays: g.ofType("aws:cloudwatch/logGroup:LogGroup").find((l) => l.inputs.namePrefix)!.inputs.retentionInDays,
            protect: g.one("aws:kms/key:Key", "logs").opts.protect,
            keep: JSON.parse(g.ofType("aws:ecr/lifecyclePolicy:LifecyclePolicy")[0].inputs.policy).rules[1].selection.countNumber,
            mutability: g.ofType("aws:ecr/repository:Repository")[0].inputs.imageTagMutability,
        });
        expect(summary(stacks.dev)).to.deep.equal({ cidr: "10.0.0.0/16", nat: 1, flowLogDays: 7, protect: false, keep: 10, mutability: "IMMUTABLE_WITH_EXCLUSION" });
        expect(summary(stacks.prod)).to.deep.equal({ cidr: "10.1.0.0/16", nat: 3, flowLogDays: 365, protect: true, keep: 50, mutability: "IMMUTABLE" });
        // The application namespaces are the files' gitopsEnvironments: their policies are the same in each.
        const shape = (g: StackGraph) => g.resources.map((r) => `${r.type}::${r.name.replace(`eks-${g.stack}`, "<cluster>").replace(/^tenant-network-(dev|staging|production)-/, "tenant-network-<env>-")}`);
        const onlyIn = (a: string[], b: string[]) => a.filter((x) => !b.includes(x)).sort();
        // Prod names an operator role as cluster-admin (dev relies on creator bootstrap) and backs up
        // with Velero (backupEnabled: false in dev) and has a NAT gateway in each zone (natStrategy); dev's ECR lets the application's promotion job pull
        // (ciApplicationPullEnvironment). Nothing else differs in shape.
        // The application namespaces are the files' gitopsEnvironments: dev and staging here, production there.
        const tenants = (...environments: string[]) =>
            environments.flatMap((e) => [`kubernetes:core/v1:LimitRange::tenants-${e}-limits`, `kubernetes:core/v1:Namespace::tenants-${e}`, `kubernetes:core/v1:ResourceQuota::tenants-${e}-quota`]);
        expect(onlyIn(shape(stacks.dev), shape(stacks.prod))).to.deep.equal(
            ["aws:iam/role:Role::ci-access-pull-myapp", "aws:iam/rolePolicy:RolePolicy::ci-access-pull-myapp", ...tenants("dev", "staging")].sort(),
        );
        const velero = [
            "aws:eks/addon:Addon::snapshot-controller",
            "aws:eks/podIdentityAssociation:PodIdentityAssociation::<cluster>-velero",
            "aws:iam/policy:Policy::<cluster>-velero-backups",
            "aws:iam/role:Role::<cluster>-velero",
            "aws:iam/rolePolicyAttachment:RolePolicyAttachment::<cluster>-velero-backups",
            "aws:kms/alias:Alias::<cluster>-backups",
            "aws:kms/key:Key::<cluster>-backups",
            ...["Bucket", "BucketLifecycleConfiguration", "BucketOwnershipControls", "BucketPolicy", "BucketPublicAccessBlock", "BucketServerSideEncryptionConfiguration", "BucketVersioning"]
                .map((t) => `aws:s3/${t[0].toLowerCase()}${t.slice(1)}:${t}::<cluster>-backups`),
            "eks-platform:cluster:PodIdentityRole::<cluster>-velero",
            "eks-platform:cluster:Velero::velero",
            "eks-platform:shared:KmsKey::<cluster>-backups",
            "kubernetes:core/v1:Namespace::<cluster>-velero",
            "kubernetes:helm.sh/v3:Release::<cluster>-velero",
            "kubernetes:snapshot.storage.k8s.io/v1:VolumeSnapshotClass::<cluster>-velero-snapshot-class",
            ...["allow-egress", "allow-metrics-velero", "allow-same-namespace", "default-deny-egress", "default-deny-ingress"].map((p) => `kubernetes:networking.k8s.io/v1:NetworkPolicy::namespace-isolation-velero-${p}`),
        ];
        expect(onlyIn(shape(stacks.prod), shape(stacks.dev))).to.deep.equal(
            [
                "aws:eks/accessEntry:AccessEntry::admin-platform-operators",
                "aws:eks/accessPolicyAssociation:AccessPolicyAssociation::admin-platform-operators",
                ...["network-2", "network-3"].flatMap((n) => [`aws:ec2/eip:Eip::${n}`, `aws:ec2/natGateway:NatGateway::${n}`]),
                ...velero,
                ...tenants("production"),
            ].sort(),
        );
    });

    it("hard-codes no account id, region or AZ name in components or stacks", () => {
        for (const file of [...sourceFiles(path.join(projectRoot, "components")), ...sourceFiles(path.join(projectRoot, "stacks"))]) {
            const text = fs.readFileSync(file, "utf8");
            const rel = path.relative(projectRoot, file);
            expect(text, rel).to.not.match(/\b\d{12}\b/);
            expect(text, rel).to.not.match(/\b(us|eu|ap|sa|ca|me|af|il|mx)-(east|west|north|south|central|northeast|southeast)-\d[a-z]?\b/);
        }
    });

    it("installs exactly one copy of @pulumi/pulumi (two break the mocks)", () => {
        const copies: string[] = [];
        const walk = (dir: string, depth: number) => {
            if (depth > 6 || !fs.existsSync(dir)) return;
            for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
                if (!entry.isDirectory()) continue;
                const full = path.join(dir, entry.name);
                if (entry.name === "pulumi" && path.basename(dir) === "@pulumi" && fs.existsSync(path.join(full, "package.json"))) copies.push(full);
                if (entry.name === "node_modules" || entry.name.startsWith("@") || path.basename(dir) === "node_modules" || path.basename(dir).startsWith("@")) {
                    walk(full, depth + 1);
                }
            }
        };
        walk(path.join(projectRoot, "node_modules"), 0);
        expect(copies.map((c) => path.relative(projectRoot, c))).to.deep.equal(["node_modules/@pulumi/pulumi"]);
    });
});

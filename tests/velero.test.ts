import { expect } from "chai";
import { CHARTS } from "../components/versions";
import { StackGraph, buildStack } from "../tooling/offline/harness";
import { referenceYaml, requireReference, unknownValuesPaths } from "./support/reference";
import { reveal } from "./support/secrets";
import { useStacks } from "./support/use-stacks";

const veleroValues = (g: StackGraph) => reveal(g.ofType("kubernetes:helm.sh/v3:Release").find((r) => r.inputs.name === "velero")!.inputs.values);
const s3 = (g: StackGraph, type: string) => g.one(`aws:s3/${type[0].toLowerCase()}${type.slice(1)}:${type}`, "eks-prod-backups");

describe("Backups (Velero)", () => {
    const stacks = useStacks();

    it("is on in prod and off in dev, as the stack files say", () => {
        expect(stacks.prod.ofType("kubernetes:helm.sh/v3:Release").map((r) => r.inputs.name)).to.include("velero");
        expect(stacks.dev.resources.filter((r) => /velero|backups|snapshot-controller/.test(r.name))).to.deep.equal([]);
    });

    it("keeps backups in a versioned, never public, TLS-only bucket encrypted with its own key, protected in prod", () => {
        const g = stacks.prod;
        const bucket = s3(g, "Bucket");
        expect(bucket.opts.protect).to.equal(true);
        expect(bucket.inputs.forceDestroy).to.equal(false);
        const key = g.one("aws:kms/key:Key", "eks-prod-backups");
        expect(key.opts.protect).to.equal(true);
        expect(key.inputs.enableKeyRotation).to.equal(true);
        const sse = s3(g, "BucketServerSideEncryptionConfiguration").inputs.rules[0];
        expect(sse).to.deep.equal({ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: "arn:aws:kms:us-west-2:111122223333:key/eks-prod-backups" }, bucketKeyEnabled: true });
        expect(s3(g, "BucketVersioning").inputs.versioningConfiguration.status).to.equal("Enabled");
        expect(s3(g, "BucketPublicAccessBlock").inputs).to.include({ blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true });
        expect(s3(g, "BucketOwnershipControls").inputs.rule.objectOwnership).to.equal("BucketOwnerEnforced");
        const rules = s3(g, "BucketLifecycleConfiguration").inputs.rules;
        expect(rules.find((r: any) => r.id === "expire-old-versions").noncurrentVersionExpiration.noncurrentDays).to.equal(30);
        const policy = JSON.parse(s3(g, "BucketPolicy").inputs.policy);
        expect(policy.Statement).to.deep.include({
            Sid: "DenyInsecureTransport", Effect: "Deny", Principal: "*", Action: ["s3:*"],
            Resource: [bucket.inputs.arn ?? policy.Statement[0].Resource[0], `${policy.Statement[0].Resource[0]}/*`],
            Condition: { Bool: { "aws:SecureTransport": "false" } },
        });
        expect(policy.Statement[0].Resource[0]).to.match(/^arn:aws:s3:::eks-prod-backups-/);
    });

    it("lets Velero's Pod Identity role touch only that bucket and key (through S3), and nothing of EC2", () => {
        const g = stacks.prod;
        const doc = JSON.parse(g.one("aws:iam/policy:Policy", "eks-prod-velero-backups").inputs.policy);
        const bucketArn = JSON.parse(s3(g, "BucketPolicy").inputs.policy).Statement[0].Resource[0];
        const actions = doc.Statement.flatMap((s: any) => s.Action);
        expect(actions.filter((a: string) => a.includes("*") || a.startsWith("ec2:"))).to.deep.equal([]);
        for (const s of doc.Statement) expect([s.Resource].flat().every((r: string) => r.startsWith(bucketArn) || r.includes(":key/eks-prod-backups")), s.Sid).to.equal(true);
        expect(doc.Statement.find((s: any) => s.Sid === "EncryptBackups").Condition).to.deep.equal({ StringEquals: { "kms:ViaService": "s3.us-west-2.amazonaws.com" } });
        const association = g.one("aws:eks/podIdentityAssociation:PodIdentityAssociation", "eks-prod-velero");
        expect(association.inputs).to.include({ namespace: "velero", serviceAccount: "velero-server" });
    });

    it("backs up the gitopsEnvironments namespaces daily, kept backupRetentionDays, with CSI snapshots and the pinned AWS plugin", async () => {
        const v = veleroValues(stacks.prod);
        expect(v.schedules.daily.schedule).to.equal("0 3 * * *");
        expect(v.schedules.daily.template).to.deep.include({ ttl: "720h0m0s", includedNamespaces: ["production"], snapshotVolumes: true });
        expect(v.configuration.features).to.equal("EnableCSI");
        expect(v.configuration.backupStorageLocation[0]).to.deep.include({ provider: "aws", default: true, config: { region: "us-west-2" } });
        expect(v.configuration.backupStorageLocation[0].bucket).to.match(/^eks-prod-backups-/);
        expect(v.credentials).to.deep.equal({ useSecret: false });
        expect(v.snapshotsEnabled).to.equal(false);
        // Docker Hub images come through the stack's pull-through cache.
        expect(v.initContainers[0].image).to.match(/^111122223333\.dkr\.ecr\.us-west-2\.amazonaws\.com\/docker-hub-prod\/velero\/velero-plugin-for-aws:v1\.14\.\d+$/);
        expect(v.image.repository).to.equal("111122223333.dkr.ecr.us-west-2.amazonaws.com/docker-hub-prod/velero/velero");
        expect(v.serviceAccount.server).to.deep.equal({ create: true, name: "velero-server" });
        const week = await buildStack("prod", { backupRetentionDays: "7" });
        expect(veleroValues(week).schedules.daily.template.ttl).to.equal("168h0m0s");
    });

    it("marks an EBS VolumeSnapshotClass for Velero once the snapshot-controller add-on serves its API", () => {
        const g = stacks.prod;
        const cls = g.one("kubernetes:snapshot.storage.k8s.io/v1:VolumeSnapshotClass");
        expect(reveal(cls.inputs)).to.deep.equal({
            apiVersion: "snapshot.storage.k8s.io/v1",
            kind: "VolumeSnapshotClass",
            metadata: { name: "ebs-velero", labels: { "velero.io/csi-volumesnapshot-class": "true" } },
            driver: "ebs.csi.aws.com",
            deletionPolicy: "Retain",
        });
        expect(cls.opts.dependsOn).to.include("aws:eks/addon:Addon::snapshot-controller");
        const release = g.ofType("kubernetes:helm.sh/v3:Release").find((r) => r.inputs.name === "velero")!;
        expect(release.opts.dependsOn).to.include("kubernetes:snapshot.storage.k8s.io/v1:VolumeSnapshotClass::eks-prod-velero-snapshot-class");
    });

    describe("against the upstream chart", () => {
        before(function () {
            requireReference(this);
        });

        it(`pins velero ${CHARTS.velero.version} and sets only values paths its values.yaml has`, () => {
            const release = stacks.prod.ofType("kubernetes:helm.sh/v3:Release").find((r) => r.inputs.name === "velero")!;
            expect(release.inputs.version).to.equal(referenceYaml(`charts/velero-${CHARTS.velero.version}/Chart.yaml`).version);
            expect(unknownValuesPaths(release.inputs.values, referenceYaml(`charts/velero-${CHARTS.velero.version}/values.yaml`))).to.deep.equal([]);
        });
    });
});

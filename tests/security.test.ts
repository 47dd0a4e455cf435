import { expect } from "chai";
import { policyDocuments } from "./support/iam-documents";
import { useStacks } from "./support/use-stacks";

const list = (x: unknown): any[] => (x === undefined ? [] : Array.isArray(x) ? x : [x]);

describe("security invariants (every fixture stack)", () => {
    const stacks = useStacks();

    it("has no statement allowing `*` or a whole service, and no NotAction (denies may be broad)", () => {
        for (const g of stacks.all) {
            const docs = policyDocuments(g);
            expect(docs.length).to.be.greaterThan(5);
            for (const { where, doc } of docs) {
                for (const s of list(doc.Statement)) {
                    expect(s.NotAction, where).to.equal(undefined);
                    if (s.Effect !== "Allow") continue;
                    for (const action of list(s.Action)) {
                        expect(action, where).to.not.equal("*");
                        expect(action, where).to.not.match(/^[a-z0-9-]+:\*$/);
                    }
                }
            }
        }
    });

    it("never trusts `*`, a whole account or an account root in a role trust policy", () => {
        for (const g of stacks.all) {
            for (const role of g.ofType("aws:iam/role:Role")) {
                for (const s of list(JSON.parse(role.inputs.assumeRolePolicy).Statement)) {
                    expect(s.Principal, role.name).to.not.equal("*");
                    for (const aws of list(s.Principal?.AWS)) {
                        expect(aws, role.name).to.not.match(/^(\*|\d{12}|arn:aws:iam::\d{12}:root)$/);
                    }
                }
            }
        }
    });

    it("launches no node with IMDSv1, a hop limit above 1 or an unencrypted volume", () => {
        // Auto Mode enforces IMDSv2 at hop limit 1 and encrypted root volumes on every node it launches, and offers
        // no way to loosen them: its stacks must launch nodes only that way (no template, node group or EC2NodeClass).
        for (const g of stacks.inMode("auto")) {
            expect(g.one("aws:eks/cluster:Cluster").inputs.computeConfig.enabled, g.stack).to.equal(true);
            for (const type of ["aws:ec2/launchTemplate:LaunchTemplate", "aws:eks/nodeGroup:NodeGroup", "aws:ec2/instance:Instance", "kubernetes:karpenter.k8s.aws/v1:EC2NodeClass"]) {
                expect(g.ofType(type), `${g.stack} ${type}`).to.deep.equal([]);
            }
        }
        for (const g of stacks.inMode("karpenter")) {
            const templates = g.ofType("aws:ec2/launchTemplate:LaunchTemplate");
            expect(templates.length).to.be.greaterThan(0);
            for (const lt of templates) {
                expect(lt.inputs.metadataOptions, lt.name).to.include({ httpTokens: "required", httpPutResponseHopLimit: 1 });
                for (const bdm of lt.inputs.blockDeviceMappings) expect(bdm.ebs.encrypted, lt.name).to.equal("true");
            }
        }
    });

    it("sets a retention and a KMS key on every log group, a year or more in prod", () => {
        for (const g of stacks.all) {
            for (const group of g.ofType("aws:cloudwatch/logGroup:LogGroup")) {
                expect(group.inputs.retentionInDays, group.name).to.be.a("number");
                expect(group.inputs.kmsKeyId, group.name).to.be.a("string");
                if (g.stack === "prod") expect(group.inputs.retentionInDays, group.name).to.be.at.least(365);
            }
        }
    });

    it("rotates every KMS key", () => {
        for (const g of stacks.all) {
            for (const key of g.ofType("aws:kms/key:Key")) expect(key.inputs.enableKeyRotation, key.name).to.equal(true);
        }
    });
});

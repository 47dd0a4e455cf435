import { FixtureCase } from "../../support/policy-builders";
import { aws, record, stackTags } from "../../support/policy-fixtures";

/** Hand-built stacks the tags policies must (or must not) report on. */
export const tagsCases: FixtureCase[] = [
    // Tags
    {
        policy: "aws-required-tags",
        title: "a provider whose default tags lack project and managed-by",
        providerTags: { environment: "dev" },
        resources: [aws("aws:sqs/queue:Queue", "q", { name: "q", sqsManagedSseEnabled: true })],
        expected: [["q", "BP tags: aws:sqs/queue:Queue q lacks tags project, managed-by (provider aws, own tags included)"]],
    },
    {
        policy: "aws-required-tags",
        title: "resources outside the tagged provider: untagged, self-tagged, untaggable",
        resources: [
            record("aws:s3/bucket:Bucket", "loose", { bucket: "loose" }),
            record("aws:s3/bucket:Bucket", "self-tagged", { bucket: "self", tags: stackTags("dev") }),
            record("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "attach", { role: "r", policyArn: "arn:aws:iam::aws:policy/ReadOnlyAccess" }),
        ],
        expected: [["loose", "BP tags: aws:s3/bucket:Bucket loose lacks tags environment, project, managed-by (no explicit provider, own tags included)"]],
    },
];

import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { policyJson } from "../../shared/iam";

export interface BackupBucketArgs {
    /** Key objects are encrypted with (SSE-KMS, bucket key on). */
    keyArn: pulumi.Input<string>;
    /** Days a replaced or deleted object version is kept before it expires. */
    noncurrentVersionDays: number;
    /** Keep the bucket on `pulumi destroy`. */
    protect: boolean;
}

/**
 * Velero's backup bucket: SSE-KMS by default, versioned, never public, TLS only, owner-enforced
 * (no ACLs); old versions and abandoned uploads expire.
 */
export function backupBucket(name: string, args: BackupBucketArgs, parent: pulumi.Resource): aws.s3.Bucket {
    const opts = { parent };
    const bucket = new aws.s3.Bucket(name, { forceDestroy: false }, { parent, protect: args.protect });
    new aws.s3.BucketOwnershipControls(name, { bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } }, opts);
    new aws.s3.BucketPublicAccessBlock(
        name,
        { bucket: bucket.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
        opts,
    );
    new aws.s3.BucketServerSideEncryptionConfiguration(
        name,
        { bucket: bucket.id, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: args.keyArn }, bucketKeyEnabled: true }] },
        opts,
    );
    const versioning = new aws.s3.BucketVersioning(name, { bucket: bucket.id, versioningConfiguration: { status: "Enabled" } }, opts);
    new aws.s3.BucketLifecycleConfiguration(
        name,
        {
            bucket: bucket.id,
            rules: [
                { id: "expire-old-versions", status: "Enabled", filter: {}, noncurrentVersionExpiration: { noncurrentDays: args.noncurrentVersionDays } },
                { id: "abort-incomplete-uploads", status: "Enabled", filter: {}, abortIncompleteMultipartUpload: { daysAfterInitiation: 7 } },
            ],
        },
        { parent, dependsOn: [versioning] },
    );
    new aws.s3.BucketPolicy(
        name,
        {
            bucket: bucket.id,
            policy: policyJson({
                Version: "2012-10-17",
                Statement: [
                    {
                        Sid: "DenyInsecureTransport",
                        Effect: "Deny",
                        Principal: "*",
                        Action: ["s3:*"],
                        Resource: [bucket.arn, pulumi.interpolate`${bucket.arn}/*`],
                        Condition: { Bool: { "aws:SecureTransport": "false" } },
                    },
                ],
            }),
        },
        opts,
    );
    return bucket;
}

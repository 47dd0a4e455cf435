import * as pulumi from "@pulumi/pulumi";
import { PolicyDocument } from "../../shared/iam";

/**
 * Velero's AWS plugin as the object store only: read and write backups in its one bucket, with its
 * key. Volume snapshots go through the EBS CSI driver (`EnableCSI`), whose own role creates them, so
 * Velero needs none of the plugin's EC2 snapshot actions.
 */
export function veleroPolicy(bucketArn: pulumi.Input<string>, keyArn: pulumi.Input<string>, region: string): PolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "ListBackupBucket",
                Effect: "Allow",
                Action: ["s3:ListBucket"],
                Resource: bucketArn,
            },
            {
                Sid: "ReadWriteBackups",
                Effect: "Allow",
                Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"],
                Resource: pulumi.interpolate`${bucketArn}/*`,
            },
            {
                Sid: "EncryptBackups",
                Effect: "Allow",
                Action: ["kms:GenerateDataKey", "kms:Decrypt"],
                Resource: keyArn,
                Condition: { StringEquals: { "kms:ViaService": `s3.${region}.amazonaws.com` } },
            },
        ],
    };
}

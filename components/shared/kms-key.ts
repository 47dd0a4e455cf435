import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AwsContext } from "./aws-context";
import { PolicyStatement, policyJson } from "./iam";

export interface KmsKeyArgs {
    /** What the key protects; shown in the console. */
    description: string;
    /** Alias without the `alias/` prefix, e.g. `eks-dev/logs`. */
    alias: string;
    /** Account, partition and region for the key policy. */
    aws: AwsContext;
    /** Key-policy statements for the services that use the key (each scoped by a condition). */
    serviceStatements: PolicyStatement[];
    /** Protect the key from `pulumi destroy` (data encrypted with it is unreadable once it is gone). */
    protect: boolean;
}

/**
 * Key administration stays with the account's IAM policies (so the key can never become
 * unmanageable), listed action by action rather than `kms:*`.
 */
const KEY_ADMIN_ACTIONS = [
    "kms:CancelKeyDeletion", "kms:CreateAlias", "kms:CreateGrant", "kms:Decrypt", "kms:DeleteAlias",
    "kms:DescribeKey", "kms:DisableKey", "kms:DisableKeyRotation", "kms:EnableKey", "kms:EnableKeyRotation",
    "kms:Encrypt", "kms:GenerateDataKey*", "kms:GetKeyPolicy", "kms:GetKeyRotationStatus", "kms:ListAliases",
    "kms:ListGrants", "kms:ListKeyPolicies", "kms:ListResourceTags", "kms:PutKeyPolicy", "kms:ReEncrypt*",
    "kms:RetireGrant", "kms:RevokeGrant", "kms:ScheduleKeyDeletion", "kms:TagResource", "kms:UntagResource",
    "kms:UpdateAlias", "kms:UpdateKeyDescription",
];

/** A customer-managed KMS key with rotation, an explicit key policy and an alias. */
export class KmsKey extends pulumi.ComponentResource {
    readonly key: aws.kms.Key;
    readonly arn: pulumi.Output<string>;

    constructor(name: string, args: KmsKeyArgs, opts?: pulumi.ComponentResourceOptions) {
        super("eks-platform:shared:KmsKey", name, {}, opts);
        const policy: aws.iam.PolicyDocument = {
            Version: "2012-10-17",
            Statement: [
                {
                    Sid: "AccountAdministers",
                    Effect: "Allow",
                    Principal: { AWS: pulumi.interpolate`arn:${args.aws.partition}:iam::${args.aws.accountId}:root` },
                    Action: KEY_ADMIN_ACTIONS,
                    Resource: "*",
                },
                ...args.serviceStatements,
            ],
        };
        this.key = new aws.kms.Key(
            name,
            {
                description: args.description,
                enableKeyRotation: true,
                deletionWindowInDays: 30,
                policy: policyJson(policy),
            },
            { parent: this, protect: args.protect },
        );
        new aws.kms.Alias(name, { name: `alias/${args.alias}`, targetKeyId: this.key.keyId }, { parent: this });
        this.arn = this.key.arn;
        this.registerOutputs({ arn: this.arn });
    }
}

import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AwsContext } from "./aws-context";
import { PolicyStatement, policyJson } from "./iam";

/**
 * Who administers the stack's KMS keys. Administrators manage a key but cannot use it: only the
 * key's service statements (its users) encrypt and decrypt.
 */
export interface KeyAdministration {
    /** IAM role/user ARNs that administer the keys (`clusterAdminArns`, the deployers). */
    administrators: pulumi.Input<string>[];
    /**
     * Identities that run Pulumi for this stack (the caller's role, CI's deploy role). They keep
     * `kms:PutKeyPolicy`, or a policy change could never be applied and CreateKey's lockout check fails.
     */
    deployers: pulumi.Input<string>[];
    /** Break-glass role ARN exempt from the guard on deletion, disabling and policy changes. Config key `kmsBreakGlassArn`. */
    breakGlassArn?: string;
}

export interface KmsKeyArgs {
    /** What the key protects; shown in the console. */
    description: string;
    /** Alias without the `alias/` prefix, e.g. `eks-dev/logs`. */
    alias: string;
    /** Account, partition and region for the key policy. */
    aws: AwsContext;
    /** Key administrators, deployers and the break-glass role. */
    administration: KeyAdministration;
    /** Key-policy statements for the key's users, the services (each scoped by a condition or principal). */
    serviceStatements: PolicyStatement[];
    /** Protect the key from `pulumi destroy`; also keeps deletion and disabling for break-glass alone. */
    protect: boolean;
}

/**
 * Every administration action of the KMS service reference that applies to a symmetric, single-region
 * key of KMS origin; no cryptographic operation and no grant creation. Left out as not applicable:
 * imported key material (`ImportKeyMaterial`, `GetParametersForImport`, `DeleteImportedKeyMaterial`) and
 * multi-region keys (`ReplicateKey`, `UpdatePrimaryRegion`, `SynchronizeMultiRegionKey`).
 */
export const KEY_ADMINISTRATION_ACTIONS = [
    "kms:CancelKeyDeletion", "kms:CreateAlias", "kms:DeleteAlias", "kms:DescribeKey", "kms:DisableKey",
    "kms:DisableKeyRotation", "kms:EnableKey", "kms:EnableKeyRotation", "kms:GetKeyLastUsage", "kms:GetKeyPolicy",
    "kms:GetKeyRotationStatus", "kms:ListGrants", "kms:ListKeyPolicies", "kms:ListKeyRotations", "kms:ListResourceTags",
    "kms:PutKeyPolicy", "kms:RevokeGrant", "kms:RotateKeyOnDemand", "kms:ScheduleKeyDeletion", "kms:TagResource",
    "kms:UntagResource", "kms:UpdateAlias", "kms:UpdateKeyDescription",
];

/** Actions that could destroy the key's data or lock everyone out: only break-glass (and, for some, the deployers) may. */
export const GUARDED_KEY_ACTIONS = ["kms:ScheduleKeyDeletion", "kms:DisableKey", "kms:PutKeyPolicy"] as const;

/** A customer-managed KMS key with rotation, an explicit key policy and an alias. */
export class KmsKey extends pulumi.ComponentResource {
    readonly key: aws.kms.Key;
    readonly arn: pulumi.Output<string>;

    constructor(name: string, args: KmsKeyArgs, opts?: pulumi.ComponentResourceOptions) {
        super("eks-platform:shared:KmsKey", name, {}, opts);
        this.key = new aws.kms.Key(
            name,
            {
                description: args.description,
                enableKeyRotation: true,
                deletionWindowInDays: 30,
                policy: policyJson(keyPolicy(args)),
            },
            { parent: this, protect: args.protect },
        );
        new aws.kms.Alias(name, { name: `alias/${args.alias}`, targetKeyId: this.key.keyId }, { parent: this });
        this.arn = this.key.arn;
        this.registerOutputs({ arn: this.arn });
    }
}

/**
 * The key policy: administration for the account's IAM policies and the named administrators,
 * use for the service statements only, and explicit denies (which beat every allow) on the guarded
 * actions for all but break-glass. The deployers keep `PutKeyPolicy` so updates apply, never with the
 * lockout-safety check bypassed; they keep `ScheduleKeyDeletion`/`DisableKey` only on unprotected (dev)
 * keys, so `pulumi destroy` works there. A protected key without a break-glass role gets the guard
 * without a condition: nobody deletes or disables it until a deployer's `pulumi up` changes the policy.
 */
export function keyPolicy(args: Pick<KmsKeyArgs, "aws" | "administration" | "serviceStatements" | "protect">): aws.iam.PolicyDocument {
    const admin = args.administration;
    const breakGlass = admin.breakGlassArn ? [admin.breakGlassArn] : [];
    const administrators = pulumi.all([...admin.administrators, ...admin.deployers]).apply((arns) => [...new Set(arns)].sort());
    const exempt = (extra: pulumi.Input<string>[]) => pulumi.all(extra).apply((arns) => [...new Set([...breakGlass, ...arns])].sort());
    // A guard with nobody exempt denies everyone, unconditionally: an empty `ArnNotEquals` list has no documented meaning.
    const guard = (sid: string, actions: string[], exempted: pulumi.Input<string>[], condition: Record<string, Record<string, unknown>> = {}): PolicyStatement => ({
        Sid: sid,
        Effect: "Deny",
        Principal: { AWS: "*" },
        Action: actions,
        Resource: "*",
        ...(exempted.length + breakGlass.length > 0 || Object.keys(condition).length > 0
            ? { Condition: { ...condition, ...(exempted.length + breakGlass.length > 0 ? { ArnNotEquals: { "aws:PrincipalArn": exempt(exempted) } } : {}) } }
            : {}),
    });
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "AccountAdministers",
                Effect: "Allow",
                Principal: { AWS: pulumi.interpolate`arn:${args.aws.partition}:iam::${args.aws.accountId}:root` },
                Action: KEY_ADMINISTRATION_ACTIONS,
                Resource: "*",
            },
            { Sid: "KeyAdministrators", Effect: "Allow", Principal: { AWS: administrators }, Action: KEY_ADMINISTRATION_ACTIONS, Resource: "*" },
            {
                // EKS and other services take a grant on the key when the deployer creates their resource.
                Sid: "AdministratorsGrantToAwsServices",
                Effect: "Allow",
                Principal: { AWS: administrators },
                Action: ["kms:CreateGrant"],
                Resource: "*",
                Condition: { Bool: { "kms:GrantIsForAWSResource": "true" } },
            },
            ...args.serviceStatements,
            guard("OnlyBreakGlassDeletesOrDisables", ["kms:ScheduleKeyDeletion", "kms:DisableKey"], args.protect ? [] : admin.deployers),
            guard("OnlyBreakGlassAndDeployersChangePolicy", ["kms:PutKeyPolicy"], admin.deployers),
            // Skipping KMS's lockout-safety check could leave a key nobody can administer: break-glass alone may.
            guard("OnlyBreakGlassSkipsLockoutCheck", ["kms:PutKeyPolicy"], [], { Bool: { "kms:BypassPolicyLockoutSafetyCheck": "true" } }),
        ],
    };
}

/**
 * The stack's key administration: `clusterAdminArns` (already full ARNs), the role behind the
 * identity running Pulumi (`aws:PrincipalArn` is the role ARN, never the STS session), CI's deploy role.
 */
export function keyAdministration(
    ctx: AwsContext,
    args: { administrators: pulumi.Input<string>[]; ciDeployRoleArn?: pulumi.Input<string>; breakGlassArn?: string },
    opts: pulumi.InvokeOutputOptions,
): KeyAdministration {
    const caller = aws.iam.getSessionContextOutput({ arn: ctx.callerArn }, opts).issuerArn;
    return {
        administrators: args.administrators,
        deployers: [caller, ...(args.ciDeployRoleArn ? [args.ciDeployRoleArn] : [])],
        breakGlassArn: args.breakGlassArn,
    };
}

/**
 * A key's users: principals of this account whose IAM policies allow it, and only through `service`
 * in the stack's region (e.g. Secrets Manager or S3 encrypting with the key on their behalf).
 */
export function useThroughServiceStatement(sid: string, ctx: AwsContext, service: string): PolicyStatement {
    return {
        Sid: sid,
        Effect: "Allow",
        Principal: { AWS: pulumi.interpolate`arn:${ctx.partition}:iam::${ctx.accountId}:root` },
        Action: ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"],
        Resource: "*",
        Condition: { StringEquals: { "kms:ViaService": `${service}.${ctx.region}.amazonaws.com`, "kms:CallerAccount": ctx.accountId } },
    };
}

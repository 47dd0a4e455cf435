import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AwsContext } from "../shared/aws-context";
import { AwsManagedPolicyName } from "../shared/aws-managed-policies";
import { PolicyDocument, managedPolicyArn, policyJson, serviceTrustPolicy } from "../shared/iam";

export interface PodIdentityArgs {
    /** Cluster the service account lives in. */
    clusterName: pulumi.Input<string>;
    /** ARN of that cluster: the role can only be assumed for it. */
    clusterArn: pulumi.Input<string>;
    /** Namespace of the service account. */
    namespace: string;
    /** Service account name, exactly as the chart/add-on creates it. */
    serviceAccount: string;
    /** Customer-managed policies to create and attach, by a short name (one per upstream policy). */
    policies?: Record<string, pulumi.Input<PolicyDocument>>;
    /** AWS-managed policies by name, e.g. `AmazonEBSCSIDriverPolicy` (their documents: shared/aws-managed-policies.ts). */
    managedPolicies?: AwsManagedPolicyName[];
    /** Account facts for the trust conditions. */
    aws: AwsContext;
}

/**
 * One IAM role for one Kubernetes service account through EKS Pod Identity: trust only
 * `pods.eks.amazonaws.com` of this account and cluster, the given permissions, and the association.
 */
export class PodIdentityRole extends pulumi.ComponentResource {
    readonly role: aws.iam.Role;
    readonly association: aws.eks.PodIdentityAssociation;
    readonly roleArn: pulumi.Output<string>;
    /** Resources that must exist before the workload starts (role permissions and association). */
    readonly ready: pulumi.Resource[];

    constructor(name: string, args: PodIdentityArgs, opts?: pulumi.ComponentResourceOptions) {
        super("eks-platform:cluster:PodIdentityRole", name, {}, opts);
        this.role = new aws.iam.Role(
            name,
            {
                description: `Pod Identity role of ${args.namespace}/${args.serviceAccount}`,
                assumeRolePolicy: policyJson(
                    serviceTrustPolicy("pods.eks.amazonaws.com", {
                        sourceAccount: args.aws,
                        sourceArn: args.clusterArn,
                        actions: ["sts:AssumeRole", "sts:TagSession"],
                    }),
                ),
            },
            { parent: this },
        );
        this.ready = [];
        for (const [label, document] of Object.entries(args.policies ?? {})) {
            const policy = new aws.iam.Policy(
                `${name}-${label}`,
                { description: `${label} permissions of ${args.namespace}/${args.serviceAccount}`, policy: policyJson(document) },
                { parent: this },
            );
            this.ready.push(new aws.iam.RolePolicyAttachment(`${name}-${label}`, { role: this.role.name, policyArn: policy.arn }, { parent: this }));
        }
        for (const managed of args.managedPolicies ?? []) {
            this.ready.push(
                new aws.iam.RolePolicyAttachment(
                    `${name}-${managed}`,
                    { role: this.role.name, policyArn: managedPolicyArn(args.aws, managed) },
                    { parent: this },
                ),
            );
        }
        this.association = new aws.eks.PodIdentityAssociation(
            name,
            { clusterName: args.clusterName, namespace: args.namespace, serviceAccount: args.serviceAccount, roleArn: this.role.arn },
            { parent: this },
        );
        this.ready.push(this.association);
        this.roleArn = this.role.arn;
        this.registerOutputs({ roleArn: this.roleArn });
    }
}

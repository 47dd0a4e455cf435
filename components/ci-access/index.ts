import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { managedPolicyArn, policyJson } from "../shared/iam";
import { ciAccessProblems, deployIamPolicy, deploySubjects, githubTrustPolicy, previewSubjects } from "./iam";
import { CiAccessArgs, GITHUB_OIDC, deployRoleName, previewRoleName } from "./types";

export { CiAccessArgs, deployRoleName, previewRoleName };

/**
 * Keyless CI access for one environment: the GitHub OIDC provider (unless the account already has it),
 * a deploy role for `pulumi up` and a read-only preview role for pull requests, so code that is not yet
 * reviewed never holds write credentials.
 */
export class CiAccess extends pulumi.ComponentResource {
    readonly oidcProviderArn: pulumi.Output<string>;
    readonly deployRole: aws.iam.Role;
    readonly previewRole: aws.iam.Role;
    readonly deployRoleArn: pulumi.Output<string>;
    readonly previewRoleArn: pulumi.Output<string>;

    constructor(name: string, args: CiAccessArgs, opts?: pulumi.ComponentResourceOptions) {
        super("eks-platform:ci:CiAccess", name, {}, opts);
        const problems = ciAccessProblems(args);
        if (problems.length > 0) throw new Error(`Invalid CiAccess arguments:\n  - ${problems.join("\n  - ")}`);

        // No thumbprints: for GitHub's issuer IAM validates the certificate against its own trusted CAs and
        // ignores any configured thumbprint, and @pulumi/aws 7 no longer requires the list.
        this.oidcProviderArn = args.oidcProviderArn
            ? pulumi.output(args.oidcProviderArn)
            : new aws.iam.OpenIdConnectProvider(name, { url: GITHUB_OIDC.url, clientIdLists: [GITHUB_OIDC.audience] }, { parent: this }).arn;
        const trusted = args.trustedRoleArns ?? [];

        this.deployRole = new aws.iam.Role(
            `${name}-deploy`,
            {
                name: deployRoleName(args.environment),
                description: `pulumi up of the ${args.environment} stack from CI (${args.repository})`,
                assumeRolePolicy: policyJson(
                    githubTrustPolicy(this.oidcProviderArn, deploySubjects(args.repository, args.deployBranches, args.deployEnvironments), trusted),
                ),
                maxSessionDuration: args.deploySessionSeconds ?? 7200,
            },
            { parent: this },
        );
        // PowerUserAccess covers every service the platform uses except IAM; a least-privilege list for a
        // whole EKS platform would be long and break with each add-on. IAM comes from the scoped policy.
        new aws.iam.RolePolicyAttachment(
            `${name}-deploy-power-user`,
            { role: this.deployRole.name, policyArn: managedPolicyArn(args.aws, "PowerUserAccess") },
            { parent: this },
        );
        const iamPolicy = new aws.iam.Policy(
            `${name}-deploy-iam`,
            {
                name: `${deployRoleName(args.environment)}-iam`,
                description: `IAM changes the ${args.environment} deploy role may make: resources tagged for this environment only`,
                policy: policyJson(deployIamPolicy(args.aws, pulumi.getProject(), args.environment)),
            },
            { parent: this },
        );
        new aws.iam.RolePolicyAttachment(`${name}-deploy-iam`, { role: this.deployRole.name, policyArn: iamPolicy.arn }, { parent: this });

        this.previewRole = new aws.iam.Role(
            `${name}-preview`,
            {
                name: previewRoleName(args.environment),
                description: `pulumi preview of the ${args.environment} stack on pull requests (${args.repository})`,
                assumeRolePolicy: policyJson(githubTrustPolicy(this.oidcProviderArn, previewSubjects(args.repository), trusted)),
            },
            { parent: this },
        );
        // Preview reads state (S3, no lock on a self-managed backend) and calls describe APIs; nothing more.
        new aws.iam.RolePolicyAttachment(
            `${name}-preview-read-only`,
            { role: this.previewRole.name, policyArn: managedPolicyArn(args.aws, "ReadOnlyAccess") },
            { parent: this },
        );

        this.deployRoleArn = this.deployRole.arn;
        this.previewRoleArn = this.previewRole.arn;
        this.registerOutputs({ oidcProviderArn: this.oidcProviderArn, deployRoleArn: this.deployRoleArn, previewRoleArn: this.previewRoleArn });
    }
}

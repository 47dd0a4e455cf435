import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { arn } from "../shared/aws-context";
import { PolicyStatement, policyJson, splitPolicyDocument } from "../shared/iam";
import { DeployScope, deployIamPolicy } from "./deploy-policy";
import { ciAccessProblems, imagePullPolicy, imagePushPolicy } from "./iam";
import { defaultSecurityGroupStatements } from "./scoped-statements";
import { boundaryJson, boundaryPolicy, nodeBoundaryPolicy } from "./boundary-policy";
import { BOUNDARY_TAG, deployServicePolicy, previewReadPolicy } from "./service-policies";
import { applicationGrants, deployGrants, githubTrustPolicy, previewGrants } from "./trust";
import { CiAccessArgs, GITHUB_OIDC, appRoleName, boundaryPolicyName, deployRoleName, nodeBoundaryPolicyName, previewRoleName } from "./types";

export { CiAccessArgs, deployRoleName, previewRoleName, boundaryPolicyName, appRoleName };

/**
 * Keyless CI access for one environment: the GitHub OIDC provider (unless the account already has it),
 * a deploy role for `pulumi up` (service-scoped, creating roles only under a permissions boundary), a
 * preview role that reads descriptions and the state objects only, and one image-push role per application.
 */
export class CiAccess extends pulumi.ComponentResource {
    readonly oidcProviderArn: pulumi.Output<string>;
    readonly deployRole: aws.iam.Role;
    readonly previewRole: aws.iam.Role;
    readonly deployRoleArn: pulumi.Output<string>;
    readonly previewRoleArn: pulumi.Output<string>;
    /** ARN of the boundary every role the deploy role creates carries. */
    readonly boundaryArn: pulumi.Output<string>;
    /** Image-push role ARN per application repository `owner/name` (`ciApplications`). */
    readonly imagePushRoleArns: pulumi.Output<Record<string, string>>;
    /** Image-pull (promotion) role ARN per application repository; empty without `applicationPullEnvironment`. */
    readonly imagePullRoleArns: pulumi.Output<Record<string, string>>;

    private readonly scope: DeployScope;
    private readonly logicalName: string;

    constructor(name: string, args: CiAccessArgs, opts?: pulumi.ComponentResourceOptions) {
        super("eks-platform:ci:CiAccess", name, {}, opts);
        const problems = ciAccessProblems(args);
        if (problems.length > 0) throw new Error(`Invalid CiAccess arguments:\n  - ${problems.join("\n  - ")}`);

        // No thumbprints: for GitHub's issuer IAM validates the certificate against its own trusted CAs and
        // ignores any configured thumbprint, and @pulumi/aws 7 no longer requires the list.
        this.oidcProviderArn = args.oidcProviderArn
            ? pulumi.output(args.oidcProviderArn)
            : new aws.iam.OpenIdConnectProvider(name, { url: GITHUB_OIDC.url, clientIdLists: [GITHUB_OIDC.audience] }, { parent: this }).arn;
        // A reviewed stack trusts only the agent that builds main alone; the others, their (branch-building) agents.
        const trusted = (args.previewEnvironment ? args.prodAgentRoleArns : args.trustedRoleArns) ?? [];

        // The boundary's ARN follows from its name, so the deploy policy can name it before it exists.
        const scope: DeployScope = {
            aws: args.aws,
            project: pulumi.getProject(),
            environment: args.environment,
            boundaryArn: arn(args.aws, "iam", `policy/${boundaryPolicyName(args.environment)}`, { global: true }),
            nodeBoundaryArn: arn(args.aws, "iam", `policy/${nodeBoundaryPolicyName(args.environment)}`, { global: true }),
            stateLocation: args.stateLocation,
            secretPrefixes: args.secretPrefixes,
            clusterName: args.clusterName,
            stack: pulumi.getStack(),
            ipFamily: args.ipFamily,
            computeMode: args.computeMode,
            accessGrants: [
                ...(args.accessGrants ?? []),
                { principalArn: arn(args.aws, "iam", `role/${deployRoleName(args.environment)}`, { global: true }), policy: "AmazonEKSClusterAdminPolicy" },
                { principalArn: arn(args.aws, "iam", `role/${previewRoleName(args.environment)}`, { global: true }), policy: "AmazonEKSViewPolicy" },
            ],
        };
        this.scope = scope;
        this.logicalName = name;
        const boundary = new aws.iam.Policy(
            `${name}-boundary`,
            {
                name: boundaryPolicyName(args.environment),
                description: `Permissions boundary of every role the ${args.environment} deploy role creates: no IAM escalation`,
                policy: boundaryJson(boundaryPolicyName(args.environment), boundaryPolicy({ ...scope, hostedZoneIds: args.hostedZoneIds ?? [] })),
                tags: { ...BOUNDARY_TAG },
            },
            { parent: this },
        );
        this.boundaryArn = boundary.arn;
        new aws.iam.Policy(
            `${name}-node-boundary`,
            {
                name: nodeBoundaryPolicyName(args.environment),
                description: `Permissions boundary of every EC2 instance role the ${args.environment} deploy role creates: its nodes`,
                policy: boundaryJson(nodeBoundaryPolicyName(args.environment), nodeBoundaryPolicy({ ...scope, hostedZoneIds: [] })),
                tags: { ...BOUNDARY_TAG },
            },
            { parent: this },
        );

        const pins = { repositoryId: args.repositoryId, repositoryOwnerId: args.repositoryOwnerId };
        this.deployRole = new aws.iam.Role(
            `${name}-deploy`,
            {
                name: deployRoleName(args.environment),
                description: `pulumi up of the ${args.environment} stack from CI (${args.repository})`,
                assumeRolePolicy: policyJson(
                    githubTrustPolicy(this.oidcProviderArn, pins, deployGrants(args.repository, args.deployBranches, args.deployEnvironments), trusted),
                ),
                maxSessionDuration: args.deploySessionSeconds ?? 7200,
            },
            { parent: this },
        );
        // Two customer-managed policies in place of PowerUserAccess: IAM (boundary, tags, PassRole) and the services.
        const deployPolicies: [string, string, string, aws.iam.PolicyDocument][] = [
            ["iam", "-iam", "IAM changes the deploy role may make: this environment's resources, roles only under the boundary", deployIamPolicy(scope)],
            ["services", "-services", "Services the platform creates, scoped to its region; no key deletion, no foreign secrets", deployServicePolicy(scope)],
        ];
        for (const [suffix, nameSuffix, description, document] of deployPolicies) {
            // Each part under IAM's 6,144-character limit: `-services`, `-services-2`, …
            splitPolicyDocument(document as { Statement: PolicyStatement[] }).forEach((part, i) => {
                const n = i === 0 ? "" : `-${i + 1}`;
                const policy = new aws.iam.Policy(
                    `${name}-deploy-${suffix}${n}`,
                    { name: `${deployRoleName(args.environment)}${nameSuffix}${n}`, description: `${args.environment}: ${description}${n ? ` (part ${i + 1})` : ""}`, policy: policyJson(part) },
                    { parent: this },
                );
                new aws.iam.RolePolicyAttachment(`${name}-deploy-${suffix}${n}`, { role: this.deployRole.name, policyArn: policy.arn }, { parent: this });
            });
        }

        this.previewRole = new aws.iam.Role(
            `${name}-preview`,
            {
                name: previewRoleName(args.environment),
                description: `pulumi preview of the ${args.environment} stack on pull requests (${args.repository})`,
                assumeRolePolicy: policyJson(githubTrustPolicy(this.oidcProviderArn, pins, previewGrants(args.repository, args.previewEnvironment), trusted)),
            },
            { parent: this },
        );
        // Preview reads state (S3, no lock on a self-managed backend) and calls describe APIs; nothing more:
        // no ReadOnlyAccess, which reads every bucket of the account.
        new aws.iam.RolePolicy(`${name}-preview-read`, { role: this.previewRole.name, policy: policyJson(previewReadPolicy(scope)) }, { parent: this });

        const roles = { push: {} as Record<string, pulumi.Output<string>>, pull: {} as Record<string, pulumi.Output<string>> };
        for (const app of args.applications ?? []) {
            const repositoryArn = arn(args.aws, "ecr", `repository/${app.ecrRepository}`);
            const kinds = [
                { kind: "push" as const, environment: args.applicationPushEnvironment, policy: imagePushPolicy(repositoryArn) },
                ...(args.applicationPullEnvironment ? [{ kind: "pull" as const, environment: args.applicationPullEnvironment, policy: imagePullPolicy(repositoryArn) }] : []),
            ];
            for (const { kind, environment, policy } of kinds) {
                const logical = `${name}-${kind}-${app.ecrRepository.replace(/\//g, "-")}`;
                const role = new aws.iam.Role(
                    logical,
                    {
                        name: appRoleName(kind, args.environment, app.ecrRepository),
                        description: `Image ${kind} of ${app.repository} (${environment ? `environment ${environment}` : "release.yml on main, v* tags"}), ECR ${app.ecrRepository} only`,
                        assumeRolePolicy: policyJson(
                            githubTrustPolicy(this.oidcProviderArn, { repositoryId: app.repositoryId, repositoryOwnerId: app.repositoryOwnerId }, applicationGrants(app.repository, environment || undefined)),
                        ),
                    },
                    { parent: this },
                );
                new aws.iam.RolePolicy(logical, { role: role.name, policy: policyJson(policy) }, { parent: this });
                roles[kind][app.repository] = role.arn;
            }
        }
        this.imagePushRoleArns = pulumi.output(roles.push);
        this.imagePullRoleArns = pulumi.output(roles.pull);

        this.deployRoleArn = this.deployRole.arn;
        this.previewRoleArn = this.previewRole.arn;
        this.registerOutputs({
            oidcProviderArn: this.oidcProviderArn,
            deployRoleArn: this.deployRoleArn,
            previewRoleArn: this.previewRoleArn,
            boundaryArn: this.boundaryArn,
            imagePushRoleArns: this.imagePushRoleArns,
            imagePullRoleArns: this.imagePullRoleArns,
        });
    }

    /** Lets the deploy role adopt the default security group of this stack's VPC (created untagged with it), and no other. */
    allowDefaultSecurityGroupOf(vpcId: pulumi.Input<string>): void {
        const policy = { Version: "2012-10-17" as const, Statement: defaultSecurityGroupStatements(this.scope, vpcId) };
        new aws.iam.RolePolicy(`${this.logicalName}-deploy-default-sg`, { role: this.deployRole.name, policy: policyJson(policy) }, { parent: this });
    }
}

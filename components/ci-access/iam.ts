import * as pulumi from "@pulumi/pulumi";
import { PolicyDocument } from "../shared/iam";
import { CI_ACCESS_FORMS, CiAccessArgs } from "./types";

/** What a promotion job may do with another stack's repository: read its images, nothing else. */
export function imagePullPolicy(repositoryArn: pulumi.Input<string>): PolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [
            { Sid: "RegistryLogin", Effect: "Allow", Action: "ecr:GetAuthorizationToken", Resource: "*" },
            {
                Sid: "PullFromOwnRepository",
                Effect: "Allow",
                Action: ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:DescribeImages"],
                Resource: repositoryArn,
            },
        ],
    };
}

/** What an application's release job may do: push (and read back) images of its own ECR repository only. */
export function imagePushPolicy(repositoryArn: pulumi.Input<string>): PolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [
            // GetAuthorizationToken takes no resource: the login itself; every image call below is scoped.
            { Sid: "RegistryLogin", Effect: "Allow", Action: "ecr:GetAuthorizationToken", Resource: "*" },
            {
                Sid: "PushToOwnRepository",
                Effect: "Allow",
                Action: [
                    "ecr:BatchCheckLayerAvailability", "ecr:InitiateLayerUpload", "ecr:UploadLayerPart", "ecr:CompleteLayerUpload",
                    "ecr:PutImage", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:DescribeImages",
                ],
                Resource: repositoryArn,
            },
        ],
    };
}

/** One problem with CiAccess arguments, naming the argument(s) as data so callers can map them to their own names. */
export interface CiAccessProblem {
    /** The argument at fault; two when only their combination is wrong. */
    fields: (keyof CiAccessArgs)[];
    value: unknown;
    allowed: string;
}

type CheckedArgs = Omit<CiAccessArgs, "aws" | "oidcProviderArn" | "clusterName" | "ipFamily" | "computeMode">;

/** Every problem with the arguments, each naming the argument, its value and what is allowed. */
export function ciAccessIssues(args: CheckedArgs): CiAccessProblem[] {
    const problems: CiAccessProblem[] = [];
    const bad = (field: keyof CiAccessArgs, value: unknown, allowed: string) => problems.push({ fields: [field], value, allowed });
    const f = CI_ACCESS_FORMS;
    if (!f.repository.pattern.test(args.repository)) bad("repository", args.repository, f.repository.form);
    if (!f.environment.pattern.test(args.environment)) bad("environment", args.environment, f.environment.form);
    if (args.deployBranches.length + args.deployEnvironments.length === 0) {
        problems.push({ fields: ["deployBranches", "deployEnvironments"], value: [], allowed: "at least one branch or GitHub environment that may deploy" });
    }
    for (const b of args.deployBranches) if (!f.branch.pattern.test(b)) bad("deployBranches", b, f.branch.form);
    for (const e of args.deployEnvironments) if (!f.githubEnvironment.pattern.test(e)) bad("deployEnvironments", e, f.githubEnvironment.form);
    for (const r of args.trustedRoleArns ?? []) if (!f.roleArn.pattern.test(r)) bad("trustedRoleArns", r, f.roleArn.form);
    for (const r of args.prodAgentRoleArns ?? []) if (!f.roleArn.pattern.test(r)) bad("prodAgentRoleArns", r, f.roleArn.form);
    // A reviewed stack's roles are reachable from no agent that builds branches or pull requests.
    if (args.previewEnvironment && (args.trustedRoleArns ?? []).length > 0) {
        bad("trustedRoleArns", args.trustedRoleArns, "empty where previewEnvironment is set: trust a Jenkins agent that builds main alone through prodAgentRoleArns");
    }
    if (!args.previewEnvironment && (args.prodAgentRoleArns ?? []).length > 0) {
        bad("prodAgentRoleArns", args.prodAgentRoleArns, "empty where previewEnvironment is not set (such a stack trusts its agents through trustedRoleArns)");
    }
    if (!f.repositoryId.pattern.test(String(args.repositoryId ?? ""))) bad("repositoryId", args.repositoryId, f.repositoryId.form);
    if (!f.ownerId.pattern.test(String(args.repositoryOwnerId ?? ""))) bad("repositoryOwnerId", args.repositoryOwnerId, f.ownerId.form);
    if (!f.stateLocation.pattern.test(args.stateLocation ?? "")) bad("stateLocation", args.stateLocation, f.stateLocation.form);
    if (args.previewEnvironment && !f.githubEnvironment.pattern.test(args.previewEnvironment)) bad("previewEnvironment", args.previewEnvironment, f.githubEnvironment.form);
    for (const a of args.applications ?? []) {
        const ids = [a.repositoryId, a.repositoryOwnerId];
        if (!f.repository.pattern.test(a.repository) || !ids.every((id) => f.repositoryId.pattern.test(id))) bad("applications", a, f.application.form);
    }
    const seconds = args.deploySessionSeconds;
    const { min, max } = f.sessionSeconds;
    if (seconds !== undefined && !(Number.isInteger(seconds) && seconds >= min && seconds <= max)) {
        bad("deploySessionSeconds", seconds, `an integer from ${min} to ${max}`);
    }
    return problems;
}

/** The problems of {@link ciAccessIssues} as lines `field: got <value>; allowed: <form>`. */
export function ciAccessProblems(args: CheckedArgs): string[] {
    return ciAccessIssues(args).map((p) => `${p.fields.join("/")}: got ${JSON.stringify(p.value)}; allowed: ${p.allowed}`);
}

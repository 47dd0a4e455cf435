import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AwsContext } from "../shared/aws-context";
import { PolicyDocument } from "../shared/iam";
import { DockerHubMirror } from "../shared/image-mirror";

/** Docker Hub as ECR's pull-through cache calls it. */
export const DOCKER_HUB_UPSTREAM = "registry-1.docker.io";

/** The cache's repository prefix, one per environment so stacks sharing an account and region do not collide. */
export const dockerHubCachePrefix = (environment: string) => `docker-hub-${environment}`;

export interface DockerHubCacheArgs {
    /** Names the cache's repository prefix. Config key `environment`. */
    environment: string;
    /** ARN of the Secrets Manager secret with Docker Hub `username` and `accessToken` (the preflight looks it up). Config key `dockerHubCredentialsSecret`. */
    credentialArn: pulumi.Input<string>;
    aws: AwsContext;
}

/**
 * An ECR pull-through cache rule for Docker Hub: nodes pull Docker Hub images from the stack's own
 * registry, authenticated upstream, so one NAT address never meets Docker Hub's anonymous pull limits
 * and an image stays available when Docker Hub is not.
 */
export class DockerHubCache extends pulumi.ComponentResource {
    /** Where charts pull Docker Hub images from. */
    readonly mirror: DockerHubMirror;
    readonly rule: aws.ecr.PullThroughCacheRule;

    constructor(name: string, args: DockerHubCacheArgs, opts?: pulumi.ComponentResourceOptions) {
        super("eks-platform:registry:DockerHubCache", name, {}, opts);
        const prefix = dockerHubCachePrefix(args.environment);
        this.rule = new aws.ecr.PullThroughCacheRule(
            name,
            { ecrRepositoryPrefix: prefix, upstreamRegistryUrl: DOCKER_HUB_UPSTREAM, credentialArn: args.credentialArn },
            { parent: this },
        );
        this.mirror = { registry: pulumi.interpolate`${args.aws.accountId}.dkr.ecr.${args.aws.region}.amazonaws.com`, prefix, dependencies: [this.rule] };
        this.registerOutputs({ prefix });
    }
}

/**
 * What a node role needs besides AmazonEC2ContainerRegistryPullOnly: the first pull of an image creates
 * its cache repository and imports the image, only under the cache's prefix.
 */
export function pullThroughPolicy(ctx: AwsContext, prefix: string): PolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "PullThroughDockerHubCache",
                Effect: "Allow",
                Action: ["ecr:BatchImportUpstreamImage", "ecr:CreateRepository"],
                Resource: pulumi.interpolate`arn:${ctx.partition}:ecr:${ctx.region}:${ctx.accountId}:repository/${prefix}/*`,
            },
        ],
    };
}

import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { lifecycleRules } from "./lifecycle";

export interface RegistryArgs {
    /** Prefix of every repository name (`<environment>/` or empty). Config key `ecrPrefixWithEnvironment`. */
    namePrefix: string;
    /** Repository names, e.g. `team/api`. Config key `ecrRepositories`. */
    repositories: string[];
    /** Tagged images each repository keeps. Config key `ecrKeepTaggedImages`. */
    keepTaggedImages: number;
    /** Tag filters exempt from immutability (e.g. `latest`); empty makes every tag immutable. Config key `ecrMutableTags`. */
    mutableTagFilters: string[];
    /** Protect repositories and refuse to delete ones that still hold images. Config key `protectResources`. */
    protect: boolean;
}

/** One ECR repository per name: scanned on push, immutable tags, KMS-encrypted, with a lifecycle policy. */
export class Registry extends pulumi.ComponentResource {
    readonly repositoryUrls: pulumi.Output<Record<string, string>>;
    /** Full repository names (prefix included): what the application namespaces may pull from. */
    readonly names: string[];

    constructor(name: string, args: RegistryArgs, opts?: pulumi.ComponentResourceOptions) {
        super("eks-platform:registry:Registry", name, {}, opts);
        const exclusions = args.mutableTagFilters.map((filter) => ({ filter, filterType: "WILDCARD" }));
        const urls: Record<string, pulumi.Output<string>> = {};
        this.names = args.repositories.map((repoName) => `${args.namePrefix}${repoName}`);
        for (const repoName of args.repositories) {
            const logicalName = repoName.replace(/\//g, "-");
            const repo = new aws.ecr.Repository(
                logicalName,
                {
                    name: `${args.namePrefix}${repoName}`,
                    imageTagMutability: exclusions.length > 0 ? "IMMUTABLE_WITH_EXCLUSION" : "IMMUTABLE",
                    imageTagMutabilityExclusionFilters: exclusions.length > 0 ? exclusions : undefined,
                    imageScanningConfiguration: { scanOnPush: true },
                    encryptionConfigurations: [{ encryptionType: "KMS" }],
                    forceDelete: !args.protect,
                },
                { parent: this, protect: args.protect },
            );
            new aws.ecr.LifecyclePolicy(
                logicalName,
                { repository: repo.name, policy: JSON.stringify(lifecycleRules(args.keepTaggedImages)) },
                { parent: this },
            );
            urls[repoName] = repo.repositoryUrl;
        }
        this.repositoryUrls = pulumi.output(urls);
        this.registerOutputs({ repositoryUrls: this.repositoryUrls });
    }
}

import * as pulumi from "@pulumi/pulumi";

/**
 * Where images published on Docker Hub are pulled from: the stack's ECR pull-through cache, so nodes
 * behind one NAT address never meet Docker Hub's anonymous pull limits (components/registry/pull-through-cache.ts).
 */
export interface DockerHubMirror {
    /** `<account>.dkr.ecr.<region>.amazonaws.com`. */
    registry: pulumi.Input<string>;
    /** Repository prefix the cache rule serves Docker Hub under. */
    prefix: string;
    /** The cache rule: releases pulling through it wait for it (and go before it on destroy). */
    dependencies: pulumi.Resource[];
}

/** Registry and repository of a Docker Hub image (`grafana/grafana`; official images as `library/<name>`) through the mirror. */
export function dockerHubImage(mirror: DockerHubMirror, repository: string): { registry: pulumi.Input<string>; repository: string } {
    return { registry: mirror.registry, repository: `${mirror.prefix}/${repository}` };
}

/** The same as one image reference, `<registry>/<prefix>/<repository>:<tag>`. */
export function dockerHubImageRef(mirror: DockerHubMirror, repository: string, tag: string): pulumi.Output<string> {
    return pulumi.interpolate`${mirror.registry}/${mirror.prefix}/${repository}:${tag}`;
}

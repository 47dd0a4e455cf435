import * as pulumi from "@pulumi/pulumi";

export interface KubeconfigArgs {
    clusterName: pulumi.Input<string>;
    endpoint: pulumi.Input<string>;
    certificateAuthority: pulumi.Input<string>;
    region: string;
}

/**
 * Kubeconfig that authenticates with `aws eks get-token`, i.e. as whatever AWS identity runs
 * kubectl/Pulumi; access comes from that identity's access entry. Marked secret.
 */
export function kubeconfig(args: KubeconfigArgs): pulumi.Output<string> {
    const doc = pulumi.all([args.clusterName, args.endpoint, args.certificateAuthority]).apply(([name, endpoint, ca]) =>
        JSON.stringify({
            apiVersion: "v1",
            kind: "Config",
            clusters: [{ name, cluster: { server: endpoint, "certificate-authority-data": ca } }],
            contexts: [{ name, context: { cluster: name, user: name } }],
            "current-context": name,
            users: [
                {
                    name,
                    user: {
                        exec: {
                            apiVersion: "client.authentication.k8s.io/v1beta1",
                            command: "aws",
                            args: ["--region", args.region, "eks", "get-token", "--cluster-name", name, "--output", "json"],
                            interactiveMode: "Never",
                        },
                    },
                },
            ],
        }),
    );
    return pulumi.secret(doc);
}

import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { helmRelease } from "../../shared/helm-release";
import { CHARTS } from "../../versions";
import type { Cluster } from "../index";
import { SYSTEM_NODE_LABEL, SYSTEM_TOLERATION } from "../node-group";
import { LOAD_BALANCER_CONTROLLER_POLICY } from "./iam-policy";

export const LOAD_BALANCER_CONTROLLER_SERVICE_ACCOUNT = { namespace: "kube-system", name: "aws-load-balancer-controller" } as const;

export interface LoadBalancerControllerArgs {
    /** The cluster; provides the provider and Pod Identity. */
    cluster: Cluster;
    /** Cluster name as configured. */
    clusterName: string;
    /** Region, set explicitly: IMDS hop limit 1 keeps pods from looking it up. */
    region: string;
    /** VPC id, set explicitly for the same reason. */
    vpcId: pulumi.Input<string>;
    /** Controller replicas. */
    replicas: number;
}

/**
 * AWS Load Balancer Controller: the upstream IAM policy through Pod Identity and the chart.
 * It runs on the tainted system nodes: its webhooks must answer before any Service or Ingress is
 * admitted, including before Karpenter has launched a single node.
 * Ingresses and LoadBalancer Services must depend on `release`, so that `pulumi destroy`
 * removes them while the controller is still there to delete their ALBs, target groups and
 * security groups (which would otherwise block VPC deletion).
 */
export class LoadBalancerController extends pulumi.ComponentResource {
    readonly release: k8s.helm.v3.Release;

    constructor(name: string, args: LoadBalancerControllerArgs, opts?: pulumi.ComponentResourceOptions) {
        super("eks-platform:cluster:LoadBalancerController", name, {}, opts);
        const role = args.cluster.podIdentity(
            "aws-load-balancer-controller",
            {
                namespace: LOAD_BALANCER_CONTROLLER_SERVICE_ACCOUNT.namespace,
                serviceAccount: LOAD_BALANCER_CONTROLLER_SERVICE_ACCOUNT.name,
                policies: { controller: LOAD_BALANCER_CONTROLLER_POLICY },
            },
            { parent: this },
        );
        this.release = helmRelease(
            `${args.clusterName}-aws-load-balancer-controller`,
            {
                chart: CHARTS.awsLoadBalancerController,
                namespace: LOAD_BALANCER_CONTROLLER_SERVICE_ACCOUNT.namespace,
                releaseName: "aws-load-balancer-controller",
                values: loadBalancerControllerValues(args),
            },
            { parent: this, provider: args.cluster.provider, dependsOn: role.ready },
        );
        this.registerOutputs({ releaseStatus: this.release.status });
    }
}

export function loadBalancerControllerValues(args: Pick<LoadBalancerControllerArgs, "clusterName" | "region" | "vpcId" | "replicas">) {
    return {
        clusterName: args.clusterName,
        region: args.region,
        vpcId: args.vpcId,
        replicaCount: args.replicas,
        serviceAccount: { create: true, name: LOAD_BALANCER_CONTROLLER_SERVICE_ACCOUNT.name },
        nodeSelector: { [SYSTEM_NODE_LABEL.key]: SYSTEM_NODE_LABEL.value },
        tolerations: [SYSTEM_TOLERATION],
        resources: { requests: { cpu: "100m", memory: "256Mi" }, limits: { memory: "512Mi" } },
        podDisruptionBudget: { maxUnavailable: 1 },
    };
}

import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { onSystemNodes } from "../../shared/placement";
import { ScrapeTarget } from "../../shared/scrape-target";
import { CHARTS } from "../../versions";
import { ClusterAddonComponent, ClusterAddonSpec, installClusterAddon, ownedNamespaces } from "../cluster-addon";
import type { Cluster } from "../index";
import { LOAD_BALANCER_CONTROLLER_POLICY } from "./iam-policy";
import type { IpFamily } from "../../network/types";
import { internalIngressClassValues, internetFacingIngressClass } from "./ingress-class";

export const LOAD_BALANCER_CONTROLLER_SERVICE_ACCOUNT = { namespace: "kube-system", name: "aws-load-balancer-controller" } as const;

/**
 * The controller's chart install. It runs on the tainted system nodes: its webhooks must answer
 * before any Service or Ingress is admitted, including before Karpenter has launched a single node.
 */
export const LOAD_BALANCER_CONTROLLER_ADDON: ClusterAddonSpec = {
    name: "aws-load-balancer-controller",
    chart: CHARTS.awsLoadBalancerController,
    serviceAccount: LOAD_BALANCER_CONTROLLER_SERVICE_ACCOUNT,
    ownNamespace: false,
    placement: onSystemNodes(),
};

export const LOAD_BALANCER_CONTROLLER_SCRAPE_TARGET: ScrapeTarget = {
    name: "aws-load-balancer-controller",
    namespace: LOAD_BALANCER_CONTROLLER_SERVICE_ACCOUNT.namespace,
    appNames: ["aws-load-balancer-controller"],
    port: "metrics-server",
    path: "/metrics",
};

export interface LoadBalancerControllerArgs {
    /** The cluster; provides its name, the provider and Pod Identity. */
    cluster: Cluster;
    /** Region, set explicitly: IMDS hop limit 1 keeps pods from looking it up. Config key `aws:region`. */
    region: string;
    /** VPC id, set explicitly for the same reason. */
    vpcId: pulumi.Input<string>;
    /** Controller replicas. */
    replicas: number;
    /**
     * Namespaces allowed internet-facing ALBs through the `alb-internet-facing` class (the platform's shared
     * Ingresses when `ingressScheme` is internet-facing); empty: no such class, every ALB is internal.
     */
    internetFacingNamespaces: string[];
}

/**
 * AWS Load Balancer Controller: the upstream IAM policy through Pod Identity and the chart.
 * Ingresses and LoadBalancer Services must depend on `release`, so that `pulumi destroy`
 * removes them while the controller is still there to delete their ALBs, target groups and
 * security groups (which would otherwise block VPC deletion).
 */
export class LoadBalancerController extends pulumi.ComponentResource implements ClusterAddonComponent {
    readonly release: k8s.helm.v3.Release;
    /**
     * None: the Platform's releases create only ClusterIP Services, which its webhook (failing open) leaves
     * alone and it holds no AWS resources for, so they install beside it.
     */
    readonly platformDependencies: pulumi.Resource[] = [];
    /** Ingress admission and teardown: the Platform's Ingresses wait for the controller and go before it. */
    readonly ingressDependencies: pulumi.Resource[];
    readonly scrapeTargets = [LOAD_BALANCER_CONTROLLER_SCRAPE_TARGET];
    readonly ownNamespaces = ownedNamespaces(LOAD_BALANCER_CONTROLLER_ADDON);

    constructor(name: string, args: LoadBalancerControllerArgs, opts?: pulumi.ComponentResourceOptions) {
        super("eks-platform:cluster:LoadBalancerController", name, {}, opts);
        this.release = installClusterAddon(this, args.cluster, {
            ...LOAD_BALANCER_CONTROLLER_ADDON,
            permissions: { policies: { controller: LOAD_BALANCER_CONTROLLER_POLICY } },
            values: loadBalancerControllerValues({ ...args, clusterName: args.cluster.configuredName, ownerTags: args.cluster.ownerTags, ipFamily: args.cluster.ipFamily }),
        }).release;
        const classes =
            args.internetFacingNamespaces.length > 0
                ? internetFacingIngressClass(`${args.cluster.configuredName}-alb-internet-facing`, args.internetFacingNamespaces, args.cluster.ipFamily, {
                      parent: this,
                      provider: args.cluster.provider,
                      dependsOn: [this.release],
                  })
                : [];
        this.ingressDependencies = [this.release, ...classes];
        this.registerOutputs({ releaseStatus: this.release.status });
    }
}

/** Chart values without the service account and placement (`LOAD_BALANCER_CONTROLLER_ADDON` adds them). */
export function loadBalancerControllerValues(args: { clusterName: string; region: string; vpcId: pulumi.Input<string>; replicas: number; ownerTags: Record<string, string>; ipFamily: IpFamily }) {
    return {
        clusterName: args.clusterName,
        // On every load balancer, target group, listener, rule and security group it creates: CI's permissions
        // boundary lets the controller change only resources carrying the stack's owner tags.
        defaultTags: args.ownerTags,
        region: args.region,
        vpcId: args.vpcId,
        replicaCount: args.replicas,
        resources: { requests: { cpu: "100m", memory: "256Mi" }, limits: { memory: "512Mi" } },
        podDisruptionBudget: { maxUnavailable: 1 },
        // The webhook defaults every Service's load-balancer fields; failing closed would refuse every Service
        // in the cluster (platform charts, Argo CD syncs) whenever both controller pods are away
        // (kubernetes-sigs/aws-load-balancer-controller#4140). Fail open: a Service admitted without it keeps
        // the API defaults, and the controller reconciles LoadBalancer Services once it is back.
        serviceMutatorWebhookConfig: { failurePolicy: "Ignore" },
        ...internalIngressClassValues(args.ipFamily),
    };
}

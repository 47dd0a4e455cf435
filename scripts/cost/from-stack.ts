import type { StackGraph } from "../../tooling/offline/harness";
import type { K8sObject, RenderedStack } from "../../tooling/offline/render";
import { plainValues } from "../../tooling/offline/render";
import { AUTO_MODE_SYSTEM_NODE_LABELS, NODE_ROLE_LABEL } from "../../components/shared/placement";
import { INTERNAL_INGRESS_CLASS, INTERNET_FACING_INGRESS_CLASS } from "../../components/cluster/load-balancer-controller/ingress-class";
import { CostModel, PodRequest, Requests } from "./estimate";
import { EKS_STANDARD_SUPPORT_FROM, regionPrices } from "./prices";

/**
 * The EKS managed add-ons' DaemonSets on every node (aws-node, kube-proxy, ebs-csi-node,
 * eks-pod-identity-agent): their default requests, which the rendered charts do not contain.
 */
export const MANAGED_DAEMONSETS: Requests & { pods: number } = { cpu: 0.155, memoryGiB: 0.12, pods: 4 };


/** Kubernetes CPU quantity in cores. */
export function cpuCores(q: unknown): number {
    if (q === undefined || q === null) return 0;
    const s = String(q);
    return s.endsWith("m") ? Number(s.slice(0, -1)) / 1000 : Number(s);
}

const UNITS: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, k: 1e3, K: 1e3, M: 1e6, G: 1e9, T: 1e12, "": 1 };

/** Kubernetes quantity of bytes in GiB. */
export function gibibytes(q: unknown): number {
    if (q === undefined || q === null) return 0;
    const [, n, unit] = /^([0-9.]+)([KMGT]i?|k)?$/.exec(String(q)) ?? [];
    if (n === undefined) throw new Error(`not a byte quantity: ${String(q)}`);
    return (Number(n) * UNITS[unit ?? ""]) / 2 ** 30;
}

function podRequests(spec: any): Requests {
    const containers: any[] = spec?.containers ?? [];
    return containers.reduce(
        (s, c) => ({ cpu: s.cpu + cpuCores(c.resources?.requests?.cpu), memoryGiB: s.memoryGiB + gibibytes(c.resources?.requests?.memory) }),
        { cpu: 0, memoryGiB: 0 },
    );
}

/** Whether replicas must land on separate nodes: required anti-affinity or a DoNotSchedule spread over hostnames. */
function spreadsOverNodes(podSpec: any): boolean {
    const HOST = "kubernetes.io/hostname";
    const antiAffinity: any[] = podSpec?.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? [];
    const spread: any[] = podSpec?.topologySpreadConstraints ?? [];
    return antiAffinity.some((t) => t.topologyKey === HOST) || spread.some((c) => c.topologyKey === HOST && c.whenUnsatisfiable === "DoNotSchedule");
}

/** Whether a pod with this spec avoids the tainted system nodes (the node group, or Auto Mode's system pool) and so lands on the workload NodePool. */
const onWorkloadNodes = (podSpec: any) => podSpec?.nodeSelector?.[NODE_ROLE_LABEL] !== "system" && podSpec?.nodeSelector?.[AUTO_MODE_SYSTEM_POOL_LABEL] !== "system";

/**
 * Auto Mode's built-in `system` pool (EKS User Guide, "Learn about EKS Auto Mode built-in NodePools"): on-demand
 * instances of the c, m and r categories, generation 5 or later, either architecture, on the default NodeClass's
 * 80 GiB root volume. The estimate prices its nodes among the table's types that qualify.
 */
const AUTO_MODE_SYSTEM_POOL = { families: /^[cmr]([5-9])[a-z]*$/, rootGiB: 80 };
const AUTO_MODE_SYSTEM_POOL_LABEL = Object.keys(AUTO_MODE_SYSTEM_NODE_LABELS)[0];

/** The long-running pods the manifests create (Deployments, StatefulSets, Prometheus and Alertmanager), with their placement. */
export function platformPods(manifests: readonly K8sObject[]): (PodRequest & { workload: boolean })[] {
    const pods: (PodRequest & { workload: boolean })[] = [];
    const push = (o: K8sObject, replicas: number, requests: Requests, podSpec: any) => {
        const name = `${o.kind}/${o.metadata.name}`;
        const spreadGroup = spreadsOverNodes(podSpec) ? name : undefined;
        for (let i = 0; i < replicas; i++) pods.push({ name, ...requests, workload: onWorkloadNodes(podSpec), ...(spreadGroup ? { spreadGroup } : {}) });
    };
    for (const o of manifests) {
        if (o.kind === "Deployment" || o.kind === "StatefulSet") push(o, o.spec?.replicas ?? 1, podRequests(o.spec?.template?.spec), o.spec?.template?.spec);
        if ((o.kind === "Prometheus" || o.kind === "Alertmanager") && o.apiVersion.startsWith("monitoring.coreos.com/")) {
            // The operator adds a config-reloader sidecar (10m, 50Mi by default).
            const own = { cpu: cpuCores(o.spec?.resources?.requests?.cpu) + 0.01, memoryGiB: gibibytes(o.spec?.resources?.requests?.memory) + 50 / 1024 };
            push(o, o.spec?.replicas ?? 1, own, o.spec);
        }
    }
    return pods;
}

/** Persistent volumes: StatefulSet claim templates, Prometheus/Alertmanager storage, standalone claims. */
export function persistentVolumes(manifests: readonly K8sObject[]): CostModel["volumes"] {
    const volumes: CostModel["volumes"] = [];
    const claim = (name: string, replicas: number, spec: any) => {
        const size = gibibytes(spec?.resources?.requests?.storage);
        for (let i = 0; i < replicas; i++) if (size > 0) volumes.push({ name, sizeGiB: size });
    };
    for (const o of manifests) {
        if (o.kind === "StatefulSet") for (const t of o.spec?.volumeClaimTemplates ?? []) claim(`${o.metadata.name}/${t.metadata?.name}`, o.spec?.replicas ?? 1, t.spec);
        if (o.kind === "Prometheus" || o.kind === "Alertmanager") claim(o.kind.toLowerCase(), o.spec?.replicas ?? 1, o.spec?.storage?.volumeClaimTemplate?.spec);
        if (o.kind === "PersistentVolumeClaim") claim(o.metadata.name, 1, o.spec);
    }
    return volumes;
}

/** Builds the cost model of a stack from its graph and its rendered manifests. */
export function costModel(graph: StackGraph, rendered: RenderedStack): CostModel {
    const manifests = rendered.manifests.map((m) => m.object);
    const region: string = graph.one("pulumi:providers:aws").inputs.region;
    const cluster = graph.one("aws:eks/cluster:Cluster").inputs;
    const minor = (v: string) => Number(v.split(".")[1]);
    const standard = cluster.upgradePolicy?.supportType === "STANDARD" || minor(cluster.version) >= minor(EKS_STANDARD_SUPPORT_FROM);

    // IPv4: awsx's VPC, the NAT gateways beside it (any awsx would make itself too); ipv6: the dual-stack VPC's own resources.
    const ipv6 = graph.outputs.ipFamily === "ipv6";
    const vpc = ipv6 ? undefined : graph.one("awsx:ec2:Vpc").inputs;
    const azs: number = vpc ? vpc.numberOfAvailabilityZones : graph.ofType("aws:ec2/subnet:Subnet").filter((s) => s.inputs.tags?.["kubernetes.io/role/elb"]).length;
    const natGateways = graph.ofType("aws:ec2/natGateway:NatGateway").length + (vpc ? (({ Single: 1, OnePerAz: azs } as Record<string, number>)[vpc.natGateways?.strategy] ?? 0) : 0);

    const launchTemplates = graph.ofType("aws:ec2/launchTemplate:LaunchTemplate");
    const rootOf = (lt: any) => Number(lt?.inputs.blockDeviceMappings?.[0]?.ebs?.volumeSize ?? 20);
    const nodeGroups = graph.ofType("aws:eks/nodeGroup:NodeGroup").map((g) => ({
        name: g.name,
        instanceType: g.inputs.instanceTypes[0],
        count: g.inputs.scalingConfig.desiredSize,
        spot: g.inputs.capacityType === "SPOT",
        rootGiB: rootOf(launchTemplates.length === 1 ? launchTemplates[0] : undefined),
    }));

    const pods = platformPods(manifests);
    const autoMode = cluster.computeConfig?.enabled === true;
    // Karpenter's EC2NodeClass (root volume in blockDeviceMappings) or Auto Mode's NodeClass (in ephemeralStorage).
    const nodeClasses = graph.ofType(autoMode ? "kubernetes:eks.amazonaws.com/v1:NodeClass" : "kubernetes:karpenter.k8s.aws/v1:EC2NodeClass").map((c) => plainValues(c.inputs));
    const familyLabel = autoMode ? "eks.amazonaws.com/instance-family" : "karpenter.k8s.aws/instance-family";
    const nodePools: CostModel["nodePools"] = graph.ofType("kubernetes:karpenter.sh/v1:NodePool").map((r, i) => {
        const pool = plainValues(r.inputs);
        const requirement = (key: string): string[] => pool.spec.template.spec.requirements.find((q: any) => q.key === key)?.values ?? [];
        const nodeClass = nodeClasses.find((c) => c.metadata.name === pool.spec.template.spec.nodeClassRef.name);
        return {
            name: pool.metadata.name,
            families: requirement(familyLabel),
            spot: requirement("karpenter.sh/capacity-type").includes("spot"),
            rootGiB: gibibytes(nodeClass?.spec.ephemeralStorage?.size ?? nodeClass?.spec.blockDeviceMappings?.[0]?.ebs?.volumeSize ?? "20Gi"),
            // Every platform pod off the system nodes goes to the first pool.
            pods: i === 0 ? pods.filter((p) => p.workload).map(({ workload, ...p }) => p) : [],
            autoMode,
        };
    });
    if (autoMode) {
        const families = [...new Set(Object.keys(regionPrices(region).prices.instances).map((t) => t.split(".")[0]))].filter((f) => AUTO_MODE_SYSTEM_POOL.families.test(f));
        const systemPods = pods.filter((p) => !p.workload).map(({ workload, ...p }) => p);
        nodePools.push({ name: "system", families, spot: false, rootGiB: AUTO_MODE_SYSTEM_POOL.rootGiB, pods: systemPods, autoMode });
    }

    const releaseValues = (name: string) => plainValues(graph.ofType("kubernetes:helm.sh/v3:Release").find((r) => r.inputs.name === name)?.inputs.values ?? {});
    const grafana = releaseValues("kube-prometheus-stack").grafana;
    const grafanaRendered = manifests.some((o) => o.kind === "StatefulSet" && /grafana/.test(o.metadata.name));
    const volumes = [
        ...persistentVolumes(manifests),
        ...(grafana?.enabled && grafana.persistence?.enabled && !grafanaRendered ? [{ name: "grafana", sizeGiB: gibibytes(grafana.persistence.size) }] : []),
    ];

    const ingresses = manifests.filter((o) => o.kind === "Ingress" && [INTERNAL_INGRESS_CLASS, INTERNET_FACING_INGRESS_CLASS].includes(o.spec?.ingressClassName));
    const groups = new Map<string, boolean>();
    for (const i of ingresses) {
        const a = i.metadata.annotations ?? {};
        groups.set(a["alb.ingress.kubernetes.io/group.name"] ?? `${i.metadata.namespace}/${i.metadata.name}`, a["alb.ingress.kubernetes.io/scheme"] === "internet-facing");
    }
    const publicAlbs = [...groups.values()].filter(Boolean).length;

    const daemonSets = manifests
        .filter((o) => o.kind === "DaemonSet")
        .map((o) => podRequests(o.spec?.template?.spec))
        // Auto Mode runs the CNI, kube-proxy, the EBS CSI node plugin and the Pod Identity agent outside pods.
        .reduce<Requests & { pods: number }>((s, r) => ({ cpu: s.cpu + r.cpu, memoryGiB: s.memoryGiB + r.memoryGiB, pods: s.pods + 1 }), autoMode ? { cpu: 0, memoryGiB: 0, pods: 0 } : MANAGED_DAEMONSETS);

    const acls = graph.ofType("aws:wafv2/webAcl:WebAcl");
    return {
        region,
        availabilityZones: azs,
        eksSupport: standard ? "standard" : "extended",
        natGateways,
        ipFamily: ipv6 ? "ipv6" : "ipv4",
        publicIpv4: natGateways + publicAlbs * azs,
        nodeGroups,
        nodePools,
        daemonSets,
        volumes,
        albs: groups.size,
        waf: { webAcls: acls.length, rules: acls.reduce((s, a) => s + (a.inputs.rules?.length ?? 0), 0) },
        kmsKeys: graph.ofType("aws:kms/key:Key").length,
    };
}

/**
 * The order of an in-place upgrade, from what the stack really holds (its cluster, add-ons, node group,
 * NodePools and EC2NodeClasses under the mocks) and the config change each step needs.
 */
import type { StackGraph } from "../../tooling/offline/harness";
import { K8sObject, programObjects } from "../../tooling/offline/render";
import { Finding } from "./findings";

export interface PlanStep {
    title: string;
    /** What happens, with the stack's own names and values. */
    detail: string;
    /** The config change to make for this step, or how it follows without one. */
    change: string;
}

export interface PlanInput {
    graph: StackGraph;
    /** The stack file the user edits, as they know it (`Pulumi.dev.yaml`). */
    stackFile: string;
    region: string;
    current: string;
    target: string;
    /** Add-on → EKS's default build for the target, when the account was asked. */
    addonBuilds?: Record<string, string | undefined>;
    /** The check's blocking findings: their fixes are config changes of their own. */
    blocking: readonly Finding[];
}

/** Add-ons that must run before nodes turn Ready (the program installs them before the system node group). */
const NODE_ADDONS = ["vpc-cni", "kube-proxy", "eks-pod-identity-agent"];
const KEY = "eks-platform";

export function upgradePlan(p: PlanInput): PlanStep[] {
    const cluster = p.graph.one("aws:eks/cluster:Cluster").inputs;
    const addons: string[] = p.graph.ofType("aws:eks/addon:Addon").map((r) => r.inputs.addonName);
    const withBuild = (names: string[]) => names.map((n) => (p.addonBuilds?.[n] ? `${n} (${p.addonBuilds[n]})` : n)).join(", ");
    const resolved = `no config change: the program resolves each add-on's version for kubernetesVersion (aws.eks.getAddonVersion, EKS's default build)`;
    const objects = programObjects(p.graph);
    const steps: PlanStep[] = [
        {
            title: "Control plane",
            detail: `EKS upgrades cluster ${cluster.name} in ${p.region} from ${p.current} to ${p.target} in place; \`pulumi preview\` first runs the preflight, which stops if EKS in ${p.region} does not offer ${p.target} or lacks a build of a managed add-on for it. Pulumi applies steps 1 to 4 in this order in the same \`pulumi up\`.`,
            change: `set \`${KEY}:kubernetesVersion: "${p.target}"\` in ${p.stackFile} (now "${cluster.version}"), then \`pulumi preview\` and \`pulumi up\``,
        },
    ];
    const early = addons.filter((a) => NODE_ADDONS.includes(a));
    if (early.length > 0) steps.push({ title: "Managed add-ons the nodes need", detail: `${withBuild(early)} move to their ${p.target} builds once the control plane is done`, change: resolved });
    for (const ng of p.graph.ofType("aws:eks/nodeGroup:NodeGroup")) {
        const i = ng.inputs;
        steps.push({
            title: `System node group ${ng.name}`,
            detail: `${i.scalingConfig.desiredSize} × ${i.instanceTypes.join("/")} (${i.amiType}, ${i.capacityType}) roll to the ${p.target} AMI, at most ${i.updateConfig?.maxUnavailable ?? 1} node at a time, each drained within the PodDisruptionBudgets`,
            change: "no config change: the node group's version follows the cluster's",
        });
    }
    const late = addons.filter((a) => !NODE_ADDONS.includes(a));
    const auto = cluster.computeConfig?.enabled === true;
    if (late.length > 0) {
        const where = auto ? "once the control plane is done (Auto Mode's built-in system pool runs them)" : "once the system nodes are up";
        steps.push({ title: `Managed add-ons${auto ? "" : " on the system nodes"}`, detail: `${withBuild(late)} move to their ${p.target} builds ${where}`, change: resolved });
    }
    if (auto) steps.push(autoModeStep(objects, p));
    for (const nodeClass of objects.filter((o) => o.kind === "EC2NodeClass")) steps.push(karpenterStep(nodeClass, objects, p));
    const extra = [...new Set(p.blocking.map((f) => f.fix).filter((f): f is string => !!f))];
    // README, "Upgrading": EXTENDED only buys time for a planned upgrade, at 6x the control-plane price.
    if (cluster.upgradePolicy?.supportType === "EXTENDED") extra.push(`once on ${p.target}, set \`${KEY}:clusterSupportType: STANDARD\` in ${p.stackFile} again (EXTENDED costs 6x the control-plane price once a version leaves standard support)`);
    steps.push({
        title: "Other changes",
        detail: extra.length > 0 ? `what the findings above and the stack's support policy need (in the same change as kubernetesVersion, or before it)` : "nothing else blocks",
        change: extra.length > 0 ? extra.join("; ") : "none besides kubernetesVersion",
    });
    return steps;
}

/**
 * EKS Auto Mode (`computeMode: auto`) upgrades its own node AMIs: once the control plane reports the target, it
 * marks every node drifted and replaces it, within the NodePools' disruption budgets and the PodDisruptionBudgets
 * (EKS User Guide, "Update an Auto Mode cluster"). Nothing to pin or change.
 */
function autoModeStep(objects: K8sObject[], p: PlanInput): PlanStep {
    const pools = objects.filter((o) => o.kind === "NodePool" && o.spec.template?.spec?.nodeClassRef?.group === "eks.amazonaws.com");
    const budgets = pools.map((pool) => `NodePool ${pool.metadata.name}: ${pool.spec.disruption?.budgets ? `budgets ${JSON.stringify(pool.spec.disruption.budgets)}` : "no budgets set, so 10% of its nodes at a time"}`);
    return {
        title: `Auto Mode nodes (the built-in system pool${pools.length ? `, NodePool ${pools.map((x) => x.metadata.name).join(", ")}` : ""})`,
        detail: `once the control plane reports ${p.target}, EKS Auto Mode replaces every node with one of its ${p.target} AMI, draining each within the PodDisruptionBudgets${budgets.length ? ` (${budgets.join("; ")})` : ""}`,
        change: "no config change: Auto Mode chooses and patches its node AMIs itself",
    };
}

/** Karpenter nodes move by drift: what the EC2NodeClass's AMI alias makes of the new version. */
function karpenterStep(nodeClass: K8sObject, objects: K8sObject[], p: PlanInput): PlanStep {
    const alias: string = nodeClass.spec.amiSelectorTerms?.find((t: { alias?: string }) => t.alias)?.alias ?? "";
    const pools = objects.filter((o) => o.kind === "NodePool" && o.spec.template?.spec?.nodeClassRef?.name === nodeClass.metadata.name);
    const archs = [...new Set(pools.flatMap((pool) => pool.spec.template.spec.requirements?.find((r: { key: string }) => r.key === "kubernetes.io/arch")?.values ?? []))].map((a) => (a === "amd64" ? "x86_64" : a));
    const budgets = pools.map((pool) => `NodePool ${pool.metadata.name}: ${pool.spec.disruption?.budgets ? `budgets ${JSON.stringify(pool.spec.disruption.budgets)}` : "no budgets set, so Karpenter's default, 10% of its nodes at a time"}`).join("; ");
    const title = `Karpenter nodes (EC2NodeClass ${nodeClass.metadata.name}, NodePool ${pools.map((x) => x.metadata.name).join(", ") || "none"})`;
    const release = /@(v\d{8})$/.exec(alias)?.[1];
    if (!release) {
        return {
            title,
            detail: `karpenterAmiAlias ${alias}: once the control plane reports ${p.target}, Karpenter resolves the newest AL2023 AMI for ${p.target}, marks every node drifted and replaces it (${budgets})`,
            change: "no config change",
        };
    }
    const lookups = (archs.length ? archs : ["x86_64"]).map((arch) => `aws ssm get-parameter --region ${p.region} --name /aws/service/eks/optimized-ami/${p.target}/amazon-linux-2023/${arch}/standard/recommended/image_id`).join(" and ");
    return {
        title,
        detail: `karpenterAmiAlias ${alias} pins AMI release ${release}: after the control plane upgrade Karpenter looks up release ${release} of the ${p.target} AMI; nodes drift to it (${budgets}) only if that release was built for ${p.target}, otherwise no new node can launch`,
        change: `set \`${KEY}:karpenterAmiAlias: al2023@v<release>\` in ${p.stackFile} to a release built for ${p.target}, in the same change as kubernetesVersion (the newest: ${lookups}, then \`aws ec2 describe-images --image-ids <id> --query 'Images[0].Name'\`; the name ends in v<release>)`,
    };
}

import { StackGraph } from "../../tooling/offline/harness";

/** The fixture the README's architecture diagram is of (`npm run diagram`): tests/fixtures/Pulumi.<DIAGRAM_STACK>.yaml. */
export const DIAGRAM_STACK = "dev";

/** What the architecture diagram shows: the components, and the few resources a reader looks for. */
const SHOWN = /^(eks-platform:|awsx:ec2:Vpc$|aws:eks\/cluster:Cluster$|aws:eks\/nodeGroup:NodeGroup$|kubernetes:helm\.sh\/v3:Release$|kubernetes:karpenter\.sh\/v1:NodePool$|kubernetes:networking\.k8s\.io\/v1:Ingress$)/;

function label(r: { type: string; name: string; inputs: Record<string, any> }): string {
    switch (r.type) {
        case "awsx:ec2:Vpc":
            return `awsx VPC ${r.inputs.cidrBlock}`;
        case "aws:eks/cluster:Cluster":
            // The compute mode and the family are chosen at creation: the picture says which ones the tree is of.
            return `EKS ${r.inputs.name} ${r.inputs.version} computeMode ${r.inputs.computeConfig?.enabled ? "auto" : "karpenter"} ${r.inputs.kubernetesNetworkConfig?.ipFamily ?? "ipv4"}`;
        case "aws:eks/nodeGroup:NodeGroup":
            return `system node group ${r.inputs.instanceTypes.join(",")}`;
        case "kubernetes:helm.sh/v3:Release":
            return `Helm ${r.inputs.name} ${r.inputs.version}`;
        case "kubernetes:karpenter.sh/v1:NodePool":
            return `NodePool ${r.inputs.metadata.name}`;
        default:
            return `${r.type.split(":").pop()} ${r.name}`;
    }
}

/**
 * Mermaid flowchart of a stack's resource tree (parent → child), generated from the mocked graph,
 * so the README's diagram is exactly what the code builds. `npm run diagram` prints it.
 */
export function architectureDiagram(g: StackGraph): string {
    // Sorted, so the diagram does not depend on the order in which registrations happened to resolve.
    const shown = g.resources
        .filter((r) => SHOWN.test(r.type) && r.type !== "eks-platform:policy:Waivers")
        .sort((a, b) => `${a.type}::${a.name}`.localeCompare(`${b.type}::${b.name}`));
    const ids = new Map(shown.map((r, i) => [`${r.type}::${r.name}`, `n${i}`]));
    const byKey = new Map(g.resources.map((r) => [`${r.type}::${r.name}`, r]));
    // The nearest shown ancestor, skipping resources the diagram leaves out.
    const shownParent = (key: string | undefined): string | undefined => {
        let current = key;
        while (current && !ids.has(current)) current = byKey.get(current)?.opts.parent;
        return current;
    };
    const lines = ["flowchart LR"];
    for (const r of shown) lines.push(`    ${ids.get(`${r.type}::${r.name}`)}["${label(r)}"]`);
    for (const r of shown) {
        const parent = shownParent(r.opts.parent);
        if (parent) lines.push(`    ${ids.get(parent)} --> ${ids.get(`${r.type}::${r.name}`)}`);
    }
    return lines.join("\n");
}

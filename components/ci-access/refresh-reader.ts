import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { AUTO_MODE_GROUP } from "../cluster/auto-mode/manifests";
import type { ComputeMode } from "../cluster/types";

/**
 * The Kubernetes group CI's preview role carries (its access entry's `kubernetesGroups`, beside
 * AmazonEKSViewPolicy): what a refresh reads beyond that view is granted to it here.
 */
export const REFRESH_READERS_GROUP = "eks-platform:ci-refresh-readers";

/** A read-only RBAC rule: these resources of these API groups, get/list/watch. */
export interface ReadRule {
    apiGroups: string[];
    resources: string[];
}

/**
 * The kinds the program owns that AmazonEKSViewPolicy (Kubernetes' `view`) does not show, read-only: cluster-scoped
 * settings, admission policies, RBAC, and the custom resources of the mode's node classes and load balancing
 * (Karpenter's and the Load Balancer Controller's, or Auto Mode's), External Secrets and Argo CD. None of them holds
 * secret data. tests/preview-coverage.test.ts checks every kind of every stack is covered, by view or here.
 */
export function refreshReadRules(computeMode: ComputeMode): ReadRule[] {
    const mode: ReadRule[] =
        computeMode === "auto"
            ? [{ apiGroups: [AUTO_MODE_GROUP], resources: ["nodeclasses", "ingressclassparams"] }]
            : [
                  { apiGroups: ["elbv2.k8s.aws"], resources: ["ingressclassparams"] },
                  { apiGroups: ["karpenter.k8s.aws"], resources: ["ec2nodeclasses"] },
              ];
    return [
        { apiGroups: ["storage.k8s.io"], resources: ["storageclasses"] },
        { apiGroups: ["networking.k8s.io"], resources: ["ingressclasses"] },
        { apiGroups: ["snapshot.storage.k8s.io"], resources: ["volumesnapshotclasses"] },
        { apiGroups: ["admissionregistration.k8s.io"], resources: ["validatingadmissionpolicies", "validatingadmissionpolicybindings"] },
        { apiGroups: ["rbac.authorization.k8s.io"], resources: ["roles", "rolebindings", "clusterroles", "clusterrolebindings"] },
        // Both modes' NodePools are Karpenter's kind.
        { apiGroups: ["karpenter.sh"], resources: ["nodepools"] },
        ...mode,
        { apiGroups: ["external-secrets.io"], resources: ["clustersecretstores"] },
        { apiGroups: ["argoproj.io"], resources: ["appprojects", "applicationsets"] },
    ];
}

export interface RefreshReaderArgs {
    /** The cluster's provider. */
    provider: k8s.Provider;
    /** The stack's `computeMode`: whose node classes and IngressClassParams there are to read. */
    computeMode: ComputeMode;
    /**
     * The Secrets the program declares, by a label for logical names: each readable by its exact name (`get` only,
     * never `list`). They hold
     * nothing the preview job cannot already read: their values are in the stack's state, which that job decrypts.
     */
    secrets: Record<string, k8s.core.v1.Secret>;
}

/**
 * What CI's read-only preview identity needs in the cluster for `pulumi preview --refresh` (the drift check) to read
 * every object the program owns: the kinds above cluster-wide, and the program's own Secrets by name. Helm's release
 * records are not among them: Helm lists its Secrets by label, which RBAC cannot narrow to them (README "Drift detection").
 */
export class RefreshReader extends pulumi.ComponentResource {
    constructor(name: string, args: RefreshReaderArgs, opts?: pulumi.ComponentResourceOptions) {
        super("eks-platform:ci:RefreshReader", name, {}, opts);
        const k8sOpts = { parent: this, provider: args.provider };
        const subjects = [{ kind: "Group", name: REFRESH_READERS_GROUP, apiGroup: "rbac.authorization.k8s.io" }];
        const role = new k8s.rbac.v1.ClusterRole(
            name,
            {
                metadata: { name: "eks-platform-ci-refresh-reader" },
                rules: refreshReadRules(args.computeMode).map((r) => ({ ...r, verbs: ["get", "list", "watch"] })),
            },
            k8sOpts,
        );
        new k8s.rbac.v1.ClusterRoleBinding(
            name,
            { metadata: { name: "eks-platform-ci-refresh-reader" }, roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: role.metadata.name }, subjects },
            k8sOpts,
        );
        for (const [label, secret] of Object.entries(args.secrets)) {
            // One Role per Secret: its namespace and name are outputs, so nothing is grouped at build time.
            const logical = `${name}-${label}`;
            const secretRole = new k8s.rbac.v1.Role(
                logical,
                {
                    metadata: { name: pulumi.interpolate`eks-platform-ci-refresh-${secret.metadata.name}`, namespace: secret.metadata.namespace },
                    rules: [{ apiGroups: [""], resources: ["secrets"], verbs: ["get"], resourceNames: [secret.metadata.name] }],
                },
                k8sOpts,
            );
            new k8s.rbac.v1.RoleBinding(
                logical,
                {
                    metadata: { name: secretRole.metadata.name, namespace: secret.metadata.namespace },
                    roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: secretRole.metadata.name },
                    subjects,
                },
                k8sOpts,
            );
        }
        this.registerOutputs({});
    }
}

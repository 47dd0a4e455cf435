import { accessAssociation, ACCOUNT, FixtureCase, minorFrom, NEWEST_K8S, OLDEST_K8S } from "../../support/policy-builders";
import { KUBERNETES_VERSIONS } from "../../../components/versions";
import { aws, eksCluster } from "../../support/policy-fixtures";

/** Hand-built stacks the EKS control plane and access policies must (or must not) report on. */
export const eksCases: FixtureCase[] = [
    // EKS control plane
    {
        policy: "eks-secrets-encryption",
        title: "a cluster without envelope encryption",
        resources: [eksCluster("plain", { encryptionConfig: undefined })],
        expected: [["plain", 'CKV_AWS_58: EKS cluster plain does not encrypt Kubernetes secrets with a customer-managed KMS key (set encryptionConfig { resources: ["secrets"], provider.keyArn })']],
    },
    {
        policy: "eks-secrets-encryption",
        title: "a cluster encrypting with the AWS-managed key",
        resources: [eksCluster("aws-key", { encryptionConfig: { provider: { keyArn: "arn:aws:kms:us-west-2:111122223333:alias/aws/eks" }, resources: ["secrets"] } })],
        expected: [["aws-key", 'CKV_AWS_58: EKS cluster aws-key does not encrypt Kubernetes secrets with a customer-managed KMS key (set encryptionConfig { resources: ["secrets"], provider.keyArn })']],
    },
    {
        policy: "eks-control-plane-logging",
        title: "a cluster logging only api and audit",
        resources: [eksCluster("quiet", { enabledClusterLogTypes: ["api", "audit"] })],
        expected: [["quiet", "CKV_AWS_37: EKS cluster quiet does not enable control-plane log types authenticator, controllerManager, scheduler"]],
    },
    {
        policy: "eks-api-authentication-mode",
        title: "a cluster that still reads the aws-auth ConfigMap",
        resources: [eksCluster("mixed", { accessConfig: { authenticationMode: "API_AND_CONFIG_MAP", bootstrapClusterCreatorAdminPermissions: false } })],
        expected: [["mixed", 'CIS 4.1.7: EKS cluster mixed uses authenticationMode API_AND_CONFIG_MAP; it must be "API"']],
    },
    {
        policy: "eks-api-authentication-mode",
        title: "a cluster without accessConfig (EKS defaults to CONFIG_MAP)",
        resources: [eksCluster("legacy", { accessConfig: undefined })],
        expected: [["legacy", 'CIS 4.1.7: EKS cluster legacy uses authenticationMode CONFIG_MAP (the default); it must be "API"']],
    },
    {
        policy: "eks-public-endpoint-restricted",
        title: "a public endpoint open to the world over IPv4 and IPv6",
        resources: [
            eksCluster("open", {
                vpcConfig: { subnetIds: ["subnet-private-1"], endpointPrivateAccess: true, endpointPublicAccess: true, publicAccessCidrs: ["203.0.113.0/24", "0.0.0.0/0", "::/0"] },
            }),
        ],
        expected: [["open", "CKV_AWS_38: EKS cluster open opens its public endpoint to 0.0.0.0/0, ::/0"]],
    },
    {
        policy: "eks-public-endpoint-restricted",
        title: "a public endpoint by default, with no CIDRs",
        resources: [eksCluster("defaulted", { vpcConfig: { subnetIds: ["subnet-private-1"], endpointPrivateAccess: true } })],
        expected: [["defaulted", "CKV_AWS_38: EKS cluster defaulted has a public endpoint without publicAccessCidrs, so EKS opens it to 0.0.0.0/0"]],
    },
    {
        policy: "eks-public-endpoint-restricted",
        title: "a private-only endpoint (AWS still reports 0.0.0.0/0) and one open to a known range",
        resources: [
            eksCluster("private", { vpcConfig: { subnetIds: ["subnet-private-1"], endpointPrivateAccess: true, endpointPublicAccess: false, publicAccessCidrs: ["0.0.0.0/0"] } }),
            eksCluster("office", { vpcConfig: { subnetIds: ["subnet-private-1"], endpointPrivateAccess: true, endpointPublicAccess: true, publicAccessCidrs: ["203.0.113.0/24"] } }),
        ],
        expected: [],
    },
    {
        policy: "eks-private-endpoint",
        title: "a cluster without the private endpoint",
        resources: [eksCluster("public-only", { vpcConfig: { subnetIds: ["subnet-private-1"], endpointPrivateAccess: false, endpointPublicAccess: true, publicAccessCidrs: ["203.0.113.0/24"] } })],
        expected: [["public-only", "CKV_AWS_39: EKS cluster public-only has no private endpoint (vpcConfig.endpointPrivateAccess must be true)"]],
    },
    {
        policy: "eks-no-creator-admin-in-prod",
        title: "prod clusters that bootstrap the creator as admin, explicitly or by EKS's default",
        environment: "prod",
        resources: [
            eksCluster("creator", { accessConfig: { authenticationMode: "API", bootstrapClusterCreatorAdminPermissions: true } }),
            eksCluster("implicit", { accessConfig: { authenticationMode: "API" } }),
        ],
        expected: [
            ["creator", "BP iam: prod EKS cluster creator makes its creator cluster-admin (accessConfig.bootstrapClusterCreatorAdminPermissions must be false)"],
            ["implicit", "BP iam: prod EKS cluster implicit makes its creator cluster-admin (accessConfig.bootstrapClusterCreatorAdminPermissions must be false)"],
        ],
    },
    {
        policy: "eks-no-creator-admin-in-prod",
        title: "a dev cluster that bootstraps its creator (allowed outside prod)",
        resources: [eksCluster("creator", { accessConfig: { authenticationMode: "API", bootstrapClusterCreatorAdminPermissions: true } })],
        expected: [],
    },
    {
        policy: "eks-supported-version",
        title: "clusters on a retired, a not yet supported, an unpinned and a malformed version",
        resources: [
            eksCluster("retired", { version: minorFrom(OLDEST_K8S, -1) }),
            eksCluster("future", { version: minorFrom(NEWEST_K8S, 1) }),
            eksCluster("unpinned", { version: undefined }),
            eksCluster("patch", { version: `${KUBERNETES_VERSIONS.default}.2` }),
        ],
        expected: [
            ["retired", `CKV_AWS_339: EKS cluster retired runs Kubernetes ${minorFrom(OLDEST_K8S, -1)}; supported versions are ${OLDEST_K8S} to ${NEWEST_K8S}`],
            ["future", `CKV_AWS_339: EKS cluster future runs Kubernetes ${minorFrom(NEWEST_K8S, 1)}; supported versions are ${OLDEST_K8S} to ${NEWEST_K8S}`],
            ["unpinned", `CKV_AWS_339: EKS cluster unpinned sets no version, so EKS picks one at creation and nothing keeps it within ${OLDEST_K8S}-${NEWEST_K8S}`],
            ["patch", `CKV_AWS_339: EKS cluster patch runs version "${KUBERNETES_VERSIONS.default}.2", which is not of the form 1.NN; supported versions are ${OLDEST_K8S} to ${NEWEST_K8S}`],
        ],
    },
    {
        policy: "eks-supported-version",
        title: "clusters on the oldest and the newest supported version",
        environment: "prod",
        resources: [eksCluster("oldest", { version: OLDEST_K8S }), eksCluster("newest", { version: NEWEST_K8S })],
        expected: [],
    },
    // EKS access
    {
        policy: "eks-access-scope",
        title: "view, edit and admin policies cluster-wide, and an association without a scope",
        resources: [
            accessAssociation("viewers", "AmazonEKSViewPolicy", { type: "cluster" }),
            accessAssociation("editors", "AmazonEKSEditPolicy", { type: "cluster" }),
            accessAssociation("ns-admins", "AmazonEKSAdminPolicy", { type: "cluster" }),
            accessAssociation("unscoped", "AmazonEKSClusterAdminPolicy"),
        ],
        expected: [
            ["viewers", `CIS 4.1.1: access policy association viewers grants AmazonEKSViewPolicy cluster-wide to arn:aws:iam::${ACCOUNT}:role/viewers; only AmazonEKSClusterAdminPolicy may be cluster-scoped, other access must be limited to namespaces`],
            ["editors", `CIS 4.1.1: access policy association editors grants AmazonEKSEditPolicy cluster-wide to arn:aws:iam::${ACCOUNT}:role/editors; only AmazonEKSClusterAdminPolicy may be cluster-scoped, other access must be limited to namespaces`],
            ["ns-admins", `CIS 4.1.1: access policy association ns-admins grants AmazonEKSAdminPolicy cluster-wide to arn:aws:iam::${ACCOUNT}:role/ns-admins; only AmazonEKSClusterAdminPolicy may be cluster-scoped, other access must be limited to namespaces`],
            ["unscoped", `CIS 4.1.1: access policy association unscoped grants AmazonEKSClusterAdminPolicy with access scope unset to arn:aws:iam::${ACCOUNT}:role/unscoped; only AmazonEKSClusterAdminPolicy may be cluster-scoped, other access must be limited to namespaces`],
        ],
    },
    {
        policy: "eks-access-scope",
        title: "cluster-admin cluster-wide for a named admin, every other policy in namespaces",
        resources: [
            accessAssociation("platform-admin", "AmazonEKSClusterAdminPolicy", { type: "cluster" }),
            accessAssociation("developers", "AmazonEKSEditPolicy", { type: "namespace", namespaces: ["dev", "staging"] }),
            accessAssociation("team-admin", "AmazonEKSAdminPolicy", { type: "namespace", namespaces: ["team"] }),
        ],
        expected: [],
    },
    {
        policy: "eks-access-scope",
        title: "Auto Mode's node policy cluster-wide for an EC2 access entry's role",
        resources: [
            aws("aws:eks/accessEntry:AccessEntry", "auto-nodes", { clusterName: "c", principalArn: `arn:aws:iam::${ACCOUNT}:role/auto-nodes`, type: "EC2" }),
            accessAssociation("auto-nodes", "AmazonEKSAutoNodePolicy", { type: "cluster" }),
        ],
        expected: [],
    },
    {
        policy: "eks-access-scope",
        title: "Auto Mode's node policy cluster-wide for a person's (STANDARD) entry, or for no entry at all",
        resources: [
            aws("aws:eks/accessEntry:AccessEntry", "operator", { clusterName: "c", principalArn: `arn:aws:iam::${ACCOUNT}:role/operator`, type: "STANDARD" }),
            accessAssociation("operator", "AmazonEKSAutoNodePolicy", { type: "cluster" }),
            accessAssociation("stray", "AmazonEKSAutoNodePolicy", { type: "cluster" }),
        ],
        expected: [
            ["operator", `CIS 4.1.1: access policy association operator grants AmazonEKSAutoNodePolicy cluster-wide to arn:aws:iam::${ACCOUNT}:role/operator; only AmazonEKSClusterAdminPolicy may be cluster-scoped, other access must be limited to namespaces`],
            ["stray", `CIS 4.1.1: access policy association stray grants AmazonEKSAutoNodePolicy cluster-wide to arn:aws:iam::${ACCOUNT}:role/stray; only AmazonEKSClusterAdminPolicy may be cluster-scoped, other access must be limited to namespaces`],
        ],
    },
];

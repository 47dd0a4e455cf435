import { ACCOUNT, discoveryVpc, ec2, FixtureCase, iamPolicy, LAUNCHED, nodeClass, ownedBy, subnet } from "../../support/policy-builders";
import { aws, doc, eksCluster } from "../../support/policy-fixtures";

/** Hand-built stacks the Karpenter policies must (or must not) report on. */
export const karpenterCases: FixtureCase[] = [
    // Karpenter
    {
        policy: "karpenter-node-class",
        title: "a node class with IMDSv1, two hops, a plain volume and a selector matching the public subnets",
        resources: [
            discoveryVpc,
            nodeClass("loose", {
                metadataOptions: { httpTokens: "optional", httpPutResponseHopLimit: 2 },
                blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { encrypted: false } }],
                subnetSelectorTerms: [{ tags: { team: "*" } }],
            }),
        ],
        expected: [
            ["loose", 'Karpenter: EC2NodeClass loose does not set metadataOptions.httpTokens "required"'],
            ["loose", "Karpenter: EC2NodeClass loose does not set metadataOptions.httpPutResponseHopLimit 1"],
            ["loose", "Karpenter: EC2NodeClass loose does not encrypt every block device (blockDeviceMappings[].ebs.encrypted true)"],
            ["loose", 'Karpenter: EC2NodeClass loose subnet selector tags {"team":"*"} matches public subnets: network subnet spec public'],
        ],
    },
    {
        policy: "karpenter-node-class",
        title: "a node class whose selector matches no subnet the stack knows",
        resources: [discoveryVpc, nodeClass("stray", { subnetSelectorTerms: [{ tags: { "karpenter.sh/discovery": "other" } }] })],
        expected: [["stray", 'Karpenter: EC2NodeClass stray subnet selector tags {"karpenter.sh/discovery":"other"} matches no subnet the stack shows private']],
    },
    {
        policy: "karpenter-node-class",
        title: "a node class selecting a Subnet resource that maps public IPs",
        resources: [
            subnet("public-a", { id: "subnet-a", vpcId: "vpc-1", mapPublicIpOnLaunch: true, tags: { "karpenter.sh/discovery": "c" } }),
            nodeClass("by-tag"),
        ],
        expected: [["by-tag", 'Karpenter: EC2NodeClass by-tag subnet selector tags {"karpenter.sh/discovery":"c"} matches public subnets: subnet public-a']],
    },
    {
        policy: "karpenter-node-class",
        title: "a node class selecting the private subnets by discovery tag",
        resources: [discoveryVpc, nodeClass("default")],
        expected: [],
    },
    // Karpenter controller permissions
    {
        policy: "karpenter-controller-scoping",
        title: "EC2 writes on nodes without this cluster's tag condition, and PassRole to any service or any role",
        resources: [
            eksCluster("c"),
            iamPolicy(
                "loose-controller",
                { Sid: "Launch", Effect: "Allow", Action: ["ec2:RunInstances", "ec2:CreateFleet", "ec2:CreateLaunchTemplate"], Resource: LAUNCHED },
                { Sid: "OtherCluster", Effect: "Allow", Action: ["ec2:TerminateInstances", "ec2:DeleteLaunchTemplate"], Resource: [ec2("instance/*"), ec2("launch-template/*")], Condition: ownedBy("other", "ResourceTag") },
                { Sid: "TagIfExists", Effect: "Allow", Action: "ec2:CreateTags", Resource: ec2("instance/*"), Condition: { StringEqualsIfExists: { "aws:RequestTag/kubernetes.io/cluster/c": "owned" } } },
                { Sid: "AllEc2", Effect: "Allow", Action: "ec2:*", Resource: "*" },
                { Sid: "PassAnyRole", Effect: "Allow", Action: "iam:PassRole", Resource: "*" },
                { Sid: "PassToAnyService", Effect: "Allow", Action: "iam:PassRole", Resource: `arn:aws:iam::${ACCOUNT}:role/nodes`, Condition: { StringLike: { "iam:PassedToService": "*" } } },
            ),
            aws("aws:iam/rolePolicy:RolePolicy", "inline-launch", { role: "controller", policy: doc({ Effect: "Allow", Action: "ec2:RunInstances", Resource: ec2("instance/*") }) }),
        ],
        expected: [
            ["loose-controller", 'Karpenter: Policy loose-controller.policy statement "Launch" allows ec2:RunInstances, ec2:CreateFleet, ec2:CreateLaunchTemplate on fleet, instance, volume, network-interface, launch-template, spot-instances-request resources without an aws:RequestTag or aws:ResourceTag condition on kubernetes.io/cluster/c'],
            ["loose-controller", 'Karpenter: Policy loose-controller.policy statement "OtherCluster" allows ec2:TerminateInstances, ec2:DeleteLaunchTemplate on instance, launch-template resources without an aws:RequestTag or aws:ResourceTag condition on kubernetes.io/cluster/c (it names kubernetes.io/cluster/other, not this stack\'s cluster)'],
            ["loose-controller", 'Karpenter: Policy loose-controller.policy statement "TagIfExists" allows ec2:CreateTags on instance resources without an aws:RequestTag or aws:ResourceTag condition on kubernetes.io/cluster/c'],
            ["loose-controller", 'Karpenter: Policy loose-controller.policy statement "AllEc2" allows ec2:RunInstances, ec2:CreateFleet, ec2:CreateLaunchTemplate, ec2:TerminateInstances, ec2:DeleteLaunchTemplate, ec2:CreateTags on instance, launch-template, fleet, volume, network-interface, spot-instances-request resources without an aws:RequestTag or aws:ResourceTag condition on kubernetes.io/cluster/c'],
            ["loose-controller", 'Karpenter: Policy loose-controller.policy statement "PassAnyRole" allows iam:PassRole without an iam:PassedToService condition naming the services'],
            ["loose-controller", 'Karpenter: Policy loose-controller.policy statement "PassAnyRole" allows iam:PassRole on every role; name the role(s) it may pass'],
            ["loose-controller", 'Karpenter: Policy loose-controller.policy statement "PassToAnyService" allows iam:PassRole without an iam:PassedToService condition naming the services'],
            ["inline-launch", "Karpenter: RolePolicy inline-launch.policy statement #1 allows ec2:RunInstances on instance resources without an aws:RequestTag or aws:ResourceTag condition on kubernetes.io/cluster/c"],
        ],
    },
    {
        policy: "karpenter-controller-scoping",
        title: "upstream's statements, the node role passed to EC2, CI passing roles to named services, LBC tagging security groups",
        resources: [
            eksCluster("c"),
            iamPolicy(
                "node-lifecycle",
                {
                    Sid: "AllowScopedEC2InstanceAccessActions",
                    Effect: "Allow",
                    Resource: ["arn:aws:ec2:us-west-2::image/*", "arn:aws:ec2:us-west-2::snapshot/*", ...["security-group/*", "subnet/*", "capacity-reservation/*", "placement-group/*"].map(ec2)],
                    Action: ["ec2:RunInstances", "ec2:CreateFleet"],
                },
                {
                    Sid: "AllowScopedEC2InstanceActionsWithTags",
                    Effect: "Allow",
                    Resource: LAUNCHED,
                    Action: ["ec2:RunInstances", "ec2:CreateFleet", "ec2:CreateLaunchTemplate"],
                    Condition: { ...ownedBy("c", "RequestTag"), StringLike: { "aws:RequestTag/karpenter.sh/nodepool": "*" } },
                },
                { Sid: "AllowScopedDeletion", Effect: "Allow", Resource: [ec2("instance/*"), ec2("launch-template/*")], Action: ["ec2:TerminateInstances", "ec2:DeleteLaunchTemplate"], Condition: ownedBy("c", "ResourceTag") },
                { Sid: "TagOwnedInstances", Effect: "Allow", Resource: ec2("instance/*"), Action: "ec2:CreateTags", Condition: { Null: { "aws:ResourceTag/kubernetes.io/cluster/c": "false" } } },
                { Sid: "NeverEverywhere", Effect: "Deny", Action: "ec2:*", Resource: "*" },
            ),
            iamPolicy("pass-node-role", { Effect: "Allow", Action: "iam:PassRole", Resource: `arn:aws:iam::${ACCOUNT}:role/nodes`, Condition: { StringEquals: { "iam:PassedToService": "ec2.amazonaws.com" } } }),
            iamPolicy("ci-pass", {
                Effect: "Allow",
                Action: "iam:PassRole",
                Resource: `arn:aws:iam::${ACCOUNT}:role/*`,
                Condition: { StringEquals: { "iam:PassedToService": ["eks.amazonaws.com", "pods.eks.amazonaws.com", "vpc-flow-logs.amazonaws.com"] } },
            }),
            iamPolicy("lbc-tags", { Effect: "Allow", Action: ["ec2:CreateTags"], Resource: "arn:aws:ec2:*:*:security-group/*", Condition: { Null: { "aws:RequestTag/elbv2.k8s.aws/cluster": "false" } } }),
            // EKS Auto Mode's documented tag-propagation grant: launches carrying the cluster role's own eks:eks-cluster-name, or this cluster's by name.
            iamPolicy(
                "auto-mode-tags",
                { Sid: "Compute", Effect: "Allow", Action: ["ec2:CreateFleet", "ec2:RunInstances", "ec2:CreateLaunchTemplate"], Resource: "*", Condition: { StringEquals: { "aws:RequestTag/eks:eks-cluster-name": "${aws:PrincipalTag/eks:eks-cluster-name}" } } },
                { Sid: "ByName", Effect: "Allow", Action: "ec2:RunInstances", Resource: "*", Condition: { StringEquals: { "aws:RequestTag/eks:eks-cluster-name": "c" } } },
            ),
        ],
        expected: [],
    },
    {
        policy: "karpenter-controller-scoping",
        title: "Auto Mode's cluster-name tag left open, named for another cluster, or only when present",
        resources: [
            eksCluster("c"),
            iamPolicy(
                "auto-mode-loose",
                { Sid: "AnyName", Effect: "Allow", Action: "ec2:RunInstances", Resource: "*", Condition: { StringLike: { "aws:RequestTag/eks:eks-cluster-name": "*" } } },
                { Sid: "OtherName", Effect: "Allow", Action: "ec2:CreateFleet", Resource: "*", Condition: { StringEquals: { "aws:RequestTag/eks:eks-cluster-name": "other" } } },
                { Sid: "IfExists", Effect: "Allow", Action: "ec2:CreateLaunchTemplate", Resource: "*", Condition: { StringEqualsIfExists: { "aws:RequestTag/eks:eks-cluster-name": "${aws:PrincipalTag/eks:eks-cluster-name}" } } },
            ),
        ],
        expected: [
            ["auto-mode-loose", 'Karpenter: Policy auto-mode-loose.policy statement "AnyName" allows ec2:RunInstances on instance, launch-template, fleet, volume, network-interface, spot-instances-request resources without an aws:RequestTag or aws:ResourceTag condition on kubernetes.io/cluster/c'],
            ["auto-mode-loose", 'Karpenter: Policy auto-mode-loose.policy statement "OtherName" allows ec2:CreateFleet on instance, launch-template, fleet, volume, network-interface, spot-instances-request resources without an aws:RequestTag or aws:ResourceTag condition on kubernetes.io/cluster/c (it names kubernetes.io/cluster/other, not this stack\'s cluster)'],
            ["auto-mode-loose", 'Karpenter: Policy auto-mode-loose.policy statement "IfExists" allows ec2:CreateLaunchTemplate on instance, launch-template, fleet, volume, network-interface, spot-instances-request resources without an aws:RequestTag or aws:ResourceTag condition on kubernetes.io/cluster/c'],
        ],
    },
];

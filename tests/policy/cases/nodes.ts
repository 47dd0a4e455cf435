import { ACCOUNT, attachment, awsxVpc, ec2Trust, FixtureCase, launchTemplate, managedPolicy, NODE_POLICY_LIST, nodeGroup, podIdentityStatement, role, subnet } from "../../support/policy-builders";
import { aws, doc, eksCluster } from "../../support/policy-fixtures";

/** Hand-built stacks the node groups, node roles and launch templates policies must (or must not) report on. */
export const nodesCases: FixtureCase[] = [
    // Node groups
    {
        policy: "node-group-private-subnets",
        title: "a node group reaching outside its cluster's (private) subnets",
        resources: [eksCluster("c"), nodeGroup("strays", ["subnet-private-1", "subnet-public-1"])],
        expected: [["strays", "CIS 5.4.3: node group strays uses subnets not shown to be private: subnet-public-1 (compared with the subnets of EKS cluster c and the VPC's subnets)"]],
    },
    {
        policy: "node-group-private-subnets",
        title: "a node group in a subnet the graph marks public, even though the cluster uses it",
        resources: [
            eksCluster("c"),
            subnet("public-ip", { id: "subnet-private-1", vpcId: "vpc-1", mapPublicIpOnLaunch: true }),
            subnet("elb-role", { id: "subnet-private-2", vpcId: "vpc-1", tags: { "kubernetes.io/role/elb": "1" } }),
            nodeGroup("on-public", ["subnet-private-1", "subnet-private-2"]),
        ],
        expected: [["on-public", "CIS 5.4.3: node group on-public uses subnets not shown to be private: subnet-private-1, subnet-private-2 (compared with the subnets of EKS cluster c and the VPC's subnets)"]],
    },
    {
        policy: "node-group-private-subnets",
        title: "a node group of a cluster outside the stack, in subnets nothing shows private",
        resources: [nodeGroup("orphan", ["subnet-x"], { clusterName: "elsewhere" })],
        expected: [["orphan", "CIS 5.4.3: node group orphan uses subnets not shown to be private: subnet-x (compared with no EKS cluster named elsewhere in the stack and the VPC's subnets)"]],
    },
    {
        policy: "node-group-private-subnets",
        title: "a node group without subnets",
        resources: [eksCluster("c"), nodeGroup("nowhere", [])],
        expected: [["nowhere", "CIS 5.4.3: node group nowhere lists no subnetIds"]],
    },
    {
        policy: "node-group-private-subnets",
        title: "node groups in subnets an awsx VPC lists as private, or a private Subnet resource",
        resources: [
            awsxVpc({ privateSubnetIds: ["subnet-x"], publicSubnetIds: ["subnet-y"] }),
            subnet("private-z", { id: "subnet-z", vpcId: "vpc-1", mapPublicIpOnLaunch: false, tags: { "kubernetes.io/role/internal-elb": "1" } }),
            nodeGroup("listed", ["subnet-x", "subnet-z"], { clusterName: "elsewhere" }),
        ],
        expected: [],
    },
    {
        policy: "node-group-no-remote-access",
        title: "a node group with SSH remote access",
        resources: [eksCluster("c"), nodeGroup("ssh", ["subnet-private-1"], { remoteAccess: { ec2SshKey: "ops" } })],
        expected: [["ssh", "CKV_AWS_100: node group ssh enables remoteAccess (SSH); use SSM instead"]],
    },
    // Node roles
    {
        policy: "node-role-policies",
        title: "node roles with broader managed policies, a customer policy named like a node policy and inline policies",
        resources: [
            role("nodes", ec2Trust),
            attachment("nodes-worker", "nodes", managedPolicy("AmazonEKSWorkerNodePolicy")),
            attachment("nodes-s3", "nodes", managedPolicy("AmazonS3FullAccess")),
            attachment("nodes-fake-cni", "nodes", `arn:aws:iam::${ACCOUNT}:policy/AmazonEKS_CNI_Policy`),
            aws("aws:iam/rolePolicy:RolePolicy", "nodes-extra", { role: "nodes", policy: doc({ Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::b/*" }) }),
            role("workers", ec2Trust, {
                name: "eks-workers",
                managedPolicyArns: [managedPolicy("AmazonEKSWorkerNodePolicy"), managedPolicy("AmazonEC2ContainerRegistryPowerUser")],
                inlinePolicies: [{ name: "debug", policy: doc({ Effect: "Allow", Action: "ec2:DescribeInstances", Resource: "*" }) }],
            }),
            aws("aws:iam/policyAttachment:PolicyAttachment", "shared-ssm", { roles: ["eks-workers", "other"], policyArn: managedPolicy("AmazonSSMFullAccess") }),
        ],
        expected: [
            ["nodes", `CIS 5.1.3: node role nodes has arn:aws:iam::aws:policy/AmazonS3FullAccess attached (RolePolicyAttachment nodes-s3); a node role may hold only ${NODE_POLICY_LIST}`],
            ["nodes", `CIS 5.1.3: node role nodes has arn:aws:iam::${ACCOUNT}:policy/AmazonEKS_CNI_Policy attached (RolePolicyAttachment nodes-fake-cni); a node role may hold only ${NODE_POLICY_LIST}`],
            ["nodes", "CIS 5.1.3: node role nodes has an inline policy (RolePolicy nodes-extra); node permissions come only from the AWS-managed node policies"],
            ["workers", `CIS 5.1.3: node role workers has arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPowerUser attached (managedPolicyArns); a node role may hold only ${NODE_POLICY_LIST}`],
            ["workers", `CIS 5.1.3: node role workers has arn:aws:iam::aws:policy/AmazonSSMFullAccess attached (PolicyAttachment shared-ssm); a node role may hold only ${NODE_POLICY_LIST}`],
            ["workers", "CIS 5.1.3: node role workers has an inline policy (inlinePolicies[debug]); node permissions come only from the AWS-managed node policies"],
        ],
    },
    {
        policy: "node-role-policies",
        title: "a node role with exactly the node policies (ECR by its older name), an Auto Mode node role, beside a controller role with others",
        resources: [
            role("nodes", ec2Trust),
            ...["AmazonEKSWorkerNodePolicy", "AmazonEKS_CNI_Policy", "AmazonEC2ContainerRegistryReadOnly", "AmazonSSMManagedInstanceCore"].map((p) => attachment(`nodes-${p}`, "nodes", managedPolicy(p))),
            role("auto-nodes", ec2Trust),
            ...["AmazonEKSWorkerNodeMinimalPolicy", "AmazonEC2ContainerRegistryPullOnly"].map((p) => attachment(`auto-nodes-${p}`, "auto-nodes", managedPolicy(p))),
            role("controller", doc(podIdentityStatement)),
            attachment("controller-s3", "controller", managedPolicy("AmazonS3FullAccess")),
            aws("aws:iam/rolePolicy:RolePolicy", "controller-inline", { role: "controller", policy: doc({ Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::b/*" }) }),
        ],
        expected: [],
    },
    // Launch templates
    {
        policy: "launch-template-imdsv2",
        title: "launch templates without metadataOptions or with optional tokens",
        resources: [launchTemplate("bare", { metadataOptions: undefined }), launchTemplate("v1", { metadataOptions: { httpTokens: "optional", httpPutResponseHopLimit: 1 } })],
        expected: [
            ["bare", 'CKV_AWS_79: launch template bare allows IMDSv1 (metadataOptions.httpTokens is unset; it must be "required")'],
            ["v1", 'CKV_AWS_79: launch template v1 allows IMDSv1 (metadataOptions.httpTokens is optional; it must be "required")'],
        ],
    },
    {
        policy: "launch-template-hop-limit",
        title: "a launch template letting pods reach IMDS (hop limit 2)",
        resources: [launchTemplate("two-hops", { metadataOptions: { httpTokens: "required", httpPutResponseHopLimit: 2 } })],
        expected: [["two-hops", "CKV_AWS_341: launch template two-hops has httpPutResponseHopLimit 2; it must be 1"]],
    },
    {
        policy: "launch-template-no-public-ip",
        title: "a launch template associating a public IP",
        resources: [
            launchTemplate("public", { networkInterfaces: [{ deviceIndex: 0, associatePublicIpAddress: "true" }] }),
            launchTemplate("private", { networkInterfaces: [{ deviceIndex: 0, associatePublicIpAddress: "false" }] }),
        ],
        expected: [["public", "CKV_AWS_88: launch template public associates a public IP address with its network interfaces"]],
    },
    {
        policy: "launch-template-encrypted-volumes",
        title: "launch templates with unencrypted or unmapped volumes",
        resources: [
            launchTemplate("plain-disks", { blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { encrypted: "false" } }, { deviceName: "/dev/xvdb", ebs: { volumeSize: 10 } }] }),
            launchTemplate("ami-disks", { blockDeviceMappings: undefined }),
        ],
        expected: [
            ["plain-disks", "PC launchtemplate: launch template plain-disks has unencrypted EBS volumes: /dev/xvda, /dev/xvdb"],
            ["ami-disks", "PC launchtemplate: launch template ami-disks has no blockDeviceMappings, so its root volume is not known to be encrypted"],
        ],
    },
    {
        policy: "launch-template-encrypted-volumes",
        title: "an encrypted root volume beside an instance-store mapping",
        resources: [launchTemplate("with-ephemeral", { blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { encrypted: "true" } }, { deviceName: "/dev/sdb", virtualName: "ephemeral0" }] })],
        expected: [],
    },
];

import { awsxVpc, defaultSecurityGroup, FixtureCase, flowLog, namedAwsxVpc, subnet, vpc } from "../../support/policy-builders";
import { aws } from "../../support/policy-fixtures";

/** Hand-built stacks the VPC policies must (or must not) report on. */
export const vpcCases: FixtureCase[] = [
    {
        policy: "subnet-public-addresses",
        title: "public addresses on launch in either family: a subnet mapping IPv4, a public subnet assigning IPv6, awsx's public subnets",
        resources: [
            subnet("maps-ipv4", { mapPublicIpOnLaunch: true }),
            subnet("public-ipv6", { mapPublicIpOnLaunch: false, assignIpv6AddressOnCreation: true, tags: { "kubernetes.io/role/elb": "1" } }),
            awsxVpc({ subnetSpecs: [{ type: "Public", name: "public", assignIpv6AddressOnCreation: true }, { type: "Private", name: "private" }] }),
        ],
        expected: [
            ["maps-ipv4", "CKV_AWS_130: subnet maps-ipv4 (mapPublicIpOnLaunch) gives every instance launched in it a public IPv4 address"],
            ["public-ipv6", "CKV_AWS_130: subnet public-ipv6 is public and assigns IPv6 addresses on launch, which its internet gateway makes reachable from the internet"],
            ["network", "CKV_AWS_130: awsx VPC network's public subnet spec public gives every instance launched in it a public IPv4 address"],
            ["network", "CKV_AWS_130: awsx VPC network's public subnet spec public is public and assigns IPv6 addresses on launch, which its internet gateway makes reachable from the internet"],
        ],
    },
    {
        policy: "subnet-public-addresses",
        title: "the dual-stack VPC's subnets: IPv6 on launch in private subnets (out through an egress-only gateway), no public address in public ones",
        resources: [
            subnet("private-1", { mapPublicIpOnLaunch: false, assignIpv6AddressOnCreation: true, enableDns64: true, tags: { "kubernetes.io/role/internal-elb": "1" } }),
            subnet("public-1", { mapPublicIpOnLaunch: false, assignIpv6AddressOnCreation: false, tags: { "kubernetes.io/role/elb": "1" } }),
        ],
        expected: [],
    },
    // VPC
    {
        policy: "vpc-flow-logs",
        title: "a prod VPC without flow logs and one logging only rejected traffic",
        environment: "prod",
        resources: [namedAwsxVpc("quiet"), vpc("rejects", "vpc-2"), flowLog("rejects-log", "vpc-2", "REJECT")],
        expected: [
            ["quiet", "CKV2_AWS_11: prod VPC quiet has no flow log of ALL traffic (an aws.ec2.FlowLog with trafficType ALL and this VPC's vpcId)"],
            ["rejects", "CKV2_AWS_11: prod VPC rejects has no flow log of ALL traffic (an aws.ec2.FlowLog with trafficType ALL and this VPC's vpcId)"],
        ],
    },
    {
        policy: "vpc-flow-logs",
        title: "two prod VPCs whose ids the graph does not show, with one flow log between them",
        environment: "prod",
        resources: [namedAwsxVpc("first"), namedAwsxVpc("second"), flowLog("one-log", "vpc-0abc")],
        expected: [["second", "CKV2_AWS_11: prod VPC second has no flow log of ALL traffic (an aws.ec2.FlowLog with trafficType ALL and this VPC's vpcId)"]],
    },
    {
        policy: "vpc-flow-logs",
        title: "a prod VPC whose only flow log is another VPC's",
        environment: "prod",
        resources: [vpc("main", "vpc-1"), flowLog("other-log", "vpc-2")],
        expected: [["main", "CKV2_AWS_11: prod VPC main has no flow log of ALL traffic (an aws.ec2.FlowLog with trafficType ALL and this VPC's vpcId)"]],
    },
    {
        policy: "vpc-flow-logs",
        title: "a prod awsx VPC with its Vpc child logged by id, and one whose id the graph does not show with its own flow log",
        environment: "prod",
        resources: [
            namedAwsxVpc("network"),
            vpc("network", "vpc-1", "awsx:ec2:Vpc::network"),
            flowLog("network-log", "vpc-1"),
            namedAwsxVpc("legacy"),
            flowLog("legacy-log", "vpc-0legacy"),
        ],
        expected: [],
    },
    {
        policy: "vpc-flow-logs",
        title: "a dev VPC without flow logs (required in prod only)",
        resources: [namedAwsxVpc("network")],
        expected: [],
    },
    {
        policy: "default-security-group-no-rules",
        title: "a default security group with inline rules, and one given a standalone rule",
        resources: [
            defaultSecurityGroup("default", {
                ingress: [{ protocol: "-1", fromPort: 0, toPort: 0, self: true }],
                egress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }],
            }),
            defaultSecurityGroup("default-2", { id: "sg-default" }),
            aws("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "late", { securityGroupId: "sg-default", ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "10.0.0.0/16", description: "https" }),
        ],
        expected: [
            ["default", "CKV2_AWS_12: default security group default has a rule: ingress[0] (ingress all traffic); it must have none"],
            ["default", "CKV2_AWS_12: default security group default has a rule: egress[0] (egress all traffic); it must have none"],
            ["default-2", "CKV2_AWS_12: default security group default-2 has a rule: SecurityGroupIngressRule late (ingress tcp 443); it must have none"],
        ],
    },
    {
        policy: "default-security-group-no-rules",
        title: "a rule-less default security group beside a rule on another group",
        resources: [
            defaultSecurityGroup("default", { id: "sg-default", ingress: [], egress: [] }),
            aws("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "app", { securityGroupId: "sg-app", ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "10.0.0.0/16", description: "https" }),
        ],
        expected: [],
    },
];

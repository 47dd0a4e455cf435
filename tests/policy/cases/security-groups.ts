import { FixtureCase, securityGroup, tcp } from "../../support/policy-builders";
import { aws } from "../../support/policy-fixtures";

/** Hand-built stacks the security groups policies must (or must not) report on. */
export const securityGroupsCases: FixtureCase[] = [
    // Security groups
    {
        policy: "security-group-world-ingress",
        title: "SSH, RDP, all traffic and another port open to the world",
        resources: [
            securityGroup("ssh", [tcp(22, "0.0.0.0/0", "ssh")]),
            aws("aws:ec2/securityGroupRule:SecurityGroupRule", "rdp", { type: "ingress", securityGroupId: "sg-1", ...tcp(3389, "::/0", "rdp") }),
            aws("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "everything", { securityGroupId: "sg-1", ipProtocol: "-1", cidrIpv4: "0.0.0.0/0", description: "all" }),
            securityGroup("app", [tcp(8080, "0.0.0.0/0", "app"), tcp(80, "0.0.0.0/0", "web range", 443)]),
        ],
        expected: [
            ["ssh", "CKV_AWS_24: SecurityGroup ssh ingress[0] allows tcp 22 from 0.0.0.0/0"],
            ["rdp", "CKV_AWS_25: SecurityGroupRule rdp rule allows tcp 3389 from ::/0"],
            ["everything", "CKV_AWS_277: SecurityGroupIngressRule everything rule allows all traffic from 0.0.0.0/0"],
            ["app", "CKV_AWS_260: SecurityGroup app ingress[0] allows tcp 8080 from 0.0.0.0/0"],
            ["app", "CKV_AWS_260: SecurityGroup app ingress[1] allows tcp 80-443 from 0.0.0.0/0"],
        ],
    },
    {
        policy: "security-group-world-ingress",
        title: "a load balancer's 80/443 from the world, SSH from the VPC, all egress",
        resources: [securityGroup("alb", [tcp(443, "0.0.0.0/0", "https"), tcp(80, "::/0", "http"), tcp(22, "10.0.0.0/8", "ssh")], [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"], description: "out" }])],
        expected: [],
    },
    {
        policy: "security-group-rule-descriptions",
        title: "an inline rule and a standalone rule without descriptions",
        resources: [
            securityGroup("undocumented", [tcp(443, "10.0.0.0/8")], [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"], description: "all out" }]),
            aws("aws:ec2/securityGroupRule:SecurityGroupRule", "bare", { type: "egress", securityGroupId: "sg-1", ...tcp(5432, "10.0.0.0/16") }),
        ],
        expected: [
            ["undocumented", "CKV_AWS_23: SecurityGroup undocumented ingress[0] (ingress tcp 443) has no description"],
            ["bare", "CKV_AWS_23: SecurityGroupRule bare rule (egress tcp 5432) has no description"],
        ],
    },
];

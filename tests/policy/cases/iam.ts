import { ec2Trust, eventsSend, FixtureCase, kmsKey, podIdentityStatement, queuePolicy, role, rootAdmin, tlsDeny } from "../../support/policy-builders";
import { aws, doc } from "../../support/policy-fixtures";

/** Hand-built stacks the IAM policies must (or must not) report on. */
export const iamCases: FixtureCase[] = [
    // IAM
    {
        policy: "iam-no-admin-actions",
        title: "a policy allowing everything on everything",
        resources: [aws("aws:iam/policy:Policy", "admin", { policy: doc({ Effect: "Allow", Action: "*", Resource: "*" }) })],
        expected: [["admin", 'CKV_AWS_62: Policy admin.policy statement #1 allows Action "*" on Resource "*" (full administrator)']],
    },
    {
        policy: "iam-no-admin-actions",
        title: "an inline policy allowing every action on one bucket",
        resources: [aws("aws:iam/rolePolicy:RolePolicy", "star", { role: "r", policy: doc({ Sid: "Everything", Effect: "Allow", Action: ["s3:GetObject", "*"], Resource: "arn:aws:s3:::b/*" }) })],
        expected: [["star", 'CKV_AWS_63: RolePolicy star.policy statement "Everything" allows Action "*"']],
    },
    {
        policy: "iam-no-admin-actions",
        title: "a policy allowing IAM:* (action names are case-insensitive)",
        resources: [aws("aws:iam/policy:Policy", "iam-admin", { policy: doc({ Effect: "Allow", Action: "IAM:*", Resource: "*" }) })],
        expected: [["iam-admin", "CKV2_AWS_40: Policy iam-admin.policy statement #1 allows iam:* (full IAM)"]],
    },
    {
        policy: "iam-no-admin-actions",
        title: "a role's inline policy using NotAction, even in a Deny",
        resources: [role("inline", ec2Trust, { inlinePolicies: [{ name: "deny-most", policy: doc({ Effect: "Deny", NotAction: "s3:GetObject", Resource: "*" }) }] })],
        expected: [["inline", "CKV_AWS_63: Role inline.inlinePolicies[deny-most] statement #1 uses NotAction (it grants or denies everything not listed)"]],
    },
    {
        policy: "iam-no-admin-actions",
        title: "AdministratorAccess attached to a role",
        resources: [aws("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "admin-attach", { role: "r", policyArn: "arn:aws:iam::aws:policy/AdministratorAccess" })],
        expected: [["admin-attach", "CKV_AWS_274: RolePolicyAttachment admin-attach attaches AdministratorAccess"]],
    },
    {
        policy: "iam-no-admin-actions",
        title: "a policy that is not JSON",
        resources: [aws("aws:iam/policy:Policy", "broken", { policy: "{not json" })],
        expected: [["broken", "CKV_AWS_63: Policy broken.policy is not valid JSON, so its actions cannot be verified"]],
    },
    {
        policy: "iam-no-admin-actions",
        title: "a broad Deny and a service-wide key-policy grant (neither is Action \"*\" nor iam:*)",
        resources: [queuePolicy("q", eventsSend, tlsDeny), kmsKey("k", { policy: doc({ ...rootAdmin, Action: "kms:*" }) })],
        expected: [],
    },
    {
        policy: "iam-role-trust",
        title: "a role anyone may assume",
        resources: [role("anyone", doc({ Effect: "Allow", Principal: "*", Action: "sts:AssumeRole" }))],
        expected: [["anyone", "CKV_AWS_60: role anyone trust statement #1 lets any principal assume the role"]],
    },
    {
        policy: "iam-role-trust",
        title: "a role trusting whole accounts by id and by root",
        resources: [
            role(
                "accounts",
                doc({
                    Sid: "Partner",
                    Effect: "Allow",
                    Principal: { AWS: ["123456789012", "arn:aws:iam::210987654321:root", "arn:aws:iam::111122223333:role/deploy"] },
                    Action: "sts:AssumeRole",
                }),
            ),
        ],
        expected: [["accounts", 'CKV_AWS_61: role accounts trust statement "Partner" trusts whole accounts: 123456789012, arn:aws:iam::210987654321:root']],
    },
    {
        policy: "iam-role-trust",
        title: "a role without a trust policy",
        resources: [role("untrusted", undefined)],
        expected: [["untrusted", "CKV_AWS_60: role untrusted trust policy is missing, so who may assume it cannot be verified"]],
    },
    {
        policy: "iam-role-trust",
        title: "GitHub OIDC and a named role as trusted principals",
        resources: [
            role(
                "ci",
                doc(
                    {
                        Effect: "Allow",
                        Principal: { Federated: "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com" },
                        Action: "sts:AssumeRoleWithWebIdentity",
                        Condition: { StringEquals: { "token.actions.githubusercontent.com:sub": "repo:o/r:ref:refs/heads/main" } },
                    },
                    { Effect: "Allow", Principal: { AWS: "arn:aws:iam::111122223333:role/admin" }, Action: "sts:AssumeRole" },
                ),
            ),
        ],
        expected: [],
    },
    {
        policy: "iam-pod-identity-trust",
        title: "a Pod Identity role also trusted by EC2",
        resources: [role("shared", doc({ ...podIdentityStatement, Principal: { Service: ["pods.eks.amazonaws.com", "ec2.amazonaws.com"] } }))],
        expected: [["shared", "BP pod identity: Pod Identity role shared trust statement #1 must trust only pods.eks.amazonaws.com, not ec2.amazonaws.com"]],
    },
    {
        policy: "iam-pod-identity-trust",
        title: "a Pod Identity role without sts:TagSession",
        resources: [role("no-tag-session", doc({ ...podIdentityStatement, Action: "sts:AssumeRole" }))],
        expected: [["no-tag-session", "BP pod identity: Pod Identity role no-tag-session trust statement #1 allows sts:AssumeRole; it must allow exactly sts:AssumeRole and sts:TagSession"]],
    },
    {
        policy: "iam-pod-identity-trust",
        title: "a Pod Identity role any account's pods could assume",
        resources: [role("any-account", doc({ ...podIdentityStatement, Condition: undefined }))],
        expected: [["any-account", "BP pod identity: Pod Identity role any-account trust statement #1 has no aws:SourceAccount condition"]],
    },
    {
        policy: "iam-pod-identity-trust",
        title: "a Pod Identity role with a second statement for people",
        resources: [role("and-humans", doc(podIdentityStatement, { Sid: "Humans", Effect: "Allow", Principal: { AWS: "arn:aws:iam::111122223333:role/admin" }, Action: "sts:AssumeRole" }))],
        expected: [
            ["and-humans", 'BP pod identity: Pod Identity role and-humans trust statement "Humans" must trust only pods.eks.amazonaws.com, not arn:aws:iam::111122223333:role/admin'],
            ["and-humans", 'BP pod identity: Pod Identity role and-humans trust statement "Humans" allows sts:AssumeRole; it must allow exactly sts:AssumeRole and sts:TagSession'],
            ["and-humans", 'BP pod identity: Pod Identity role and-humans trust statement "Humans" has no aws:SourceAccount condition'],
        ],
    },
    {
        policy: "iam-pod-identity-trust",
        title: "a proper Pod Identity role beside a node role",
        resources: [role("controller", doc(podIdentityStatement)), role("nodes", ec2Trust)],
        expected: [],
    },
];

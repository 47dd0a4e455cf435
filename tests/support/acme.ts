/**
 * The example organisation the README is replayed for (issue 19): its own account (dev and prod share it),
 * region, GitHub organisation and repositories, CIDRs, and a staging stack added by the recipe.
 */
export const ACME: Record<string, string> = {
    org: "acme",
    region: "eu-central-1",
    passphrase: "correct-horse-battery-staple",
    "dev-account-id": "210987654321",
    "prod-account-id": "210987654321",
    "dev-vpc-cidr": "10.20.0.0/16",
    "prod-vpc-cidr": "10.21.0.0/16",
    "staging-vpc-cidr": "10.22.0.0/16",
    "office-egress-cidr": "198.51.100.0/24",
    "vpn-cidr": "172.16.0.0/22",
    "operators-role": "acme-platform-admins",
    "platform-repo": "eks-platform",
    "gitops-repo": "gitops",
    "repository-id": "700000001",
    "owner-id": "700000002",
    "slack-webhook-url": "https://hooks.slack.com/services/T000/B000/acme",
    "pagerduty-routing-key": "0123456789abcdef0123456789abcdef",
    "heartbeat-url": "https://hc-ping.com/acme-prod",
    "docker-hub-user": "acme",
    token: "dckr_pat_acme",
};

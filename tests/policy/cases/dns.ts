import { FixtureCase, iamPolicy, podIdentityStatement, role } from "../../support/policy-builders";
import { doc } from "../../support/policy-fixtures";

const zone = (id: string) => `arn:aws:route53:::hostedzone/${id}`;

/** Hand-built stacks the DNS policy must (or must not) report on. */
export const dnsCases: FixtureCase[] = [
    {
        policy: "dns-record-scoping",
        title: "record changes in every zone, a zone wildcard, or through NotResource",
        resources: [
            iamPolicy(
                "greedy-dns",
                { Sid: "AnyZone", Effect: "Allow", Action: "route53:ChangeResourceRecordSets", Resource: "*" },
                { Sid: "ZoneWildcard", Effect: "Allow", Action: ["route53:ListResourceRecordSets"], Resource: [zone("*"), zone("Z0DEV")] },
            ),
            role("dns-writer", doc(podIdentityStatement), {
                inlinePolicies: [{ name: "dns", policy: doc({ Effect: "Allow", Action: "route53:*", NotResource: zone("Z0PROD") }) }],
            }),
        ],
        expected: [
            ["greedy-dns", 'BP dns: Policy greedy-dns.policy statement "AnyZone" allows route53:ChangeResourceRecordSets on *; only hosted zone ARNs (hostedzone/<id>) of the configured zones are allowed'],
            ["greedy-dns", `BP dns: Policy greedy-dns.policy statement "ZoneWildcard" allows route53:ListResourceRecordSets on ${zone("*")}; only hosted zone ARNs (hostedzone/<id>) of the configured zones are allowed`],
            ["dns-writer", "BP dns: Role dns-writer.inlinePolicies[dns] statement #1 allows route53:ChangeResourceRecordSets, route53:ListResourceRecordSets with NotResource, i.e. in every zone not listed"],
        ],
    },
    {
        policy: "dns-record-scoping",
        title: "record changes in named zones, and the zone list on * (it takes no resource)",
        resources: [
            iamPolicy(
                "external-dns",
                { Effect: "Allow", Action: ["route53:ChangeResourceRecordSets", "route53:ListResourceRecordSets"], Resource: [zone("Z0DEV"), zone("Z0STAGING")] },
                { Effect: "Allow", Action: "route53:ListHostedZones", Resource: "*" },
            ),
        ],
        expected: [],
    },
];

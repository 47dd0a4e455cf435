import * as pulumi from "@pulumi/pulumi";
import { PolicyDocument } from "../../shared/iam";

/** Sids of the statements, so the policy pack can find the zone-scoped one. */
export const EXTERNAL_DNS_SIDS = { changeRecords: "ChangeRecordsInConfiguredZones", listZones: "ListHostedZones" } as const;

/** ARN of a Route 53 hosted zone (global: no region, no account). */
export function hostedZoneArn(partition: pulumi.Input<string>, zoneId: string): pulumi.Output<string> {
    return pulumi.interpolate`arn:${partition}:route53:::hostedzone/${zoneId}`;
}

/** Records may change only in the configured zones; finding those zones needs the account-wide list. */
export function externalDnsPolicy(partition: pulumi.Input<string>, zoneIds: string[]): PolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Sid: EXTERNAL_DNS_SIDS.changeRecords,
                Effect: "Allow",
                Action: ["route53:ChangeResourceRecordSets", "route53:ListResourceRecordSets", "route53:ListTagsForResource", "route53:ListTagsForResources"],
                Resource: zoneIds.map((id) => hostedZoneArn(partition, id)),
            },
            {
                // ListHostedZones takes no resource (IAM: "*" only); it returns zone names and ids, no records.
                Sid: EXTERNAL_DNS_SIDS.listZones,
                Effect: "Allow",
                Action: ["route53:ListHostedZones"],
                Resource: "*",
            },
        ],
    };
}

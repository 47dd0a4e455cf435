import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AwsContext } from "../../shared/aws-context";
import { policyJson } from "../../shared/iam";

/** The EventBridge rules of Karpenter's CloudFormation template, each feeding the interruption queue. */
export const INTERRUPTION_EVENT_PATTERNS: Record<string, { source: string[]; "detail-type": string[] }> = {
    // Labels stay short: they end up in rule names, which AWS caps at 64 characters.
    "health-event": { source: ["aws.health"], "detail-type": ["AWS Health Event"] },
    "spot-interruption": { source: ["aws.ec2"], "detail-type": ["EC2 Spot Instance Interruption Warning"] },
    rebalance: { source: ["aws.ec2"], "detail-type": ["EC2 Instance Rebalance Recommendation"] },
    "state-change": { source: ["aws.ec2"], "detail-type": ["EC2 Instance State-change Notification"] },
    "capacity-reservation": { source: ["aws.ec2"], "detail-type": ["EC2 Capacity Reservation Instance Interruption Warning"] },
};

export interface InterruptionQueue {
    queue: aws.sqs.Queue;
    /** Queue, its policy, rules and targets: what the controller needs before it starts. */
    resources: pulumi.Resource[];
}

/**
 * SQS queue (SSE, 5-minute retention) that EventBridge fills with spot interruptions, rebalance
 * recommendations, health events and instance state changes, so Karpenter drains nodes in time.
 */
export function createInterruptionQueue(clusterName: string, ctx: AwsContext, parent: pulumi.Resource): InterruptionQueue {
    const queue = new aws.sqs.Queue(
        `${clusterName}-karpenter`,
        { name: clusterName, messageRetentionSeconds: 300, sqsManagedSseEnabled: true },
        { parent },
    );
    const rules = Object.entries(INTERRUPTION_EVENT_PATTERNS).map(([label, pattern]) => {
        const rule = new aws.cloudwatch.EventRule(
            `${clusterName}-karpenter-${label}`,
            { description: `Karpenter interruption handling for ${clusterName}: ${pattern["detail-type"][0]}`, eventPattern: JSON.stringify(pattern) },
            { parent },
        );
        const target = new aws.cloudwatch.EventTarget(
            `${clusterName}-karpenter-${label}`,
            { rule: rule.name, arn: queue.arn, targetId: "KarpenterInterruptionQueueTarget" },
            { parent },
        );
        return { rule, target };
    });
    const policy = new aws.sqs.QueuePolicy(
        `${clusterName}-karpenter`,
        {
            queueUrl: queue.url,
            policy: policyJson({
                Version: "2012-10-17",
                Id: "EC2InterruptionPolicy",
                Statement: [
                    {
                        // Only this account's own interruption rules may send (no confused deputy through EventBridge).
                        Sid: "InterruptionRulesSend",
                        Effect: "Allow",
                        Principal: { Service: ["events.amazonaws.com", "sqs.amazonaws.com"] },
                        Action: "sqs:SendMessage",
                        Resource: queue.arn,
                        Condition: {
                            ArnEquals: { "aws:SourceArn": rules.map(({ rule }) => rule.arn) },
                            StringEquals: { "aws:SourceAccount": ctx.accountId },
                        },
                    },
                    {
                        Sid: "DenyHTTP",
                        Effect: "Deny",
                        Action: "sqs:*",
                        Resource: queue.arn,
                        Condition: { Bool: { "aws:SecureTransport": "false" } },
                        Principal: "*",
                    },
                ],
            }),
        },
        { parent },
    );
    return { queue, resources: [queue, policy, ...rules.flatMap(({ rule, target }) => [rule, target])] };
}

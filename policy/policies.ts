import { StackValidationPolicy } from "@pulumi/policy";
import { accessChecks } from "./access";
import { SecurityCheck, stackPolicy } from "./check";
import { launchTemplateChecks } from "./ec2";
import { dnsChecks } from "./dns";
import { ecrChecks } from "./ecr";
import { eksClusterChecks } from "./eks";
import { externalSecretsChecks } from "./external-secrets";
import { helmChecks } from "./helm";
import { iamChecks } from "./iam";
import { karpenterControllerScoping, karpenterNodeClass } from "./karpenter";
import { kmsChecks } from "./kms";
import { kubernetesIsolationChecks } from "./kubernetes-isolation";
import { kmsKeyGuard } from "./kms-guard";
import { ciAccessChecks } from "./ci-access";
import { logChecks } from "./logs";
import { nodeGroupChecks } from "./node-groups";
import { nodeRoleChecks } from "./node-roles";
import { securityGroupChecks } from "./security-groups";
import { sqsChecks } from "./sqs";
import { sqsQueueSource } from "./sqs-source";
import { awsRequiredTags } from "./tags";
import { vpcChecks } from "./vpc";
import { wafChecks } from "./waf";

/** Every check of the pack, in checklist order. Kept apart from index.ts, which starts the policy server. */
export const securityChecks: SecurityCheck[] = [
    ...eksClusterChecks,
    ...accessChecks,
    ...nodeGroupChecks,
    ...nodeRoleChecks,
    ...launchTemplateChecks,
    karpenterNodeClass,
    ...iamChecks,
    ...ciAccessChecks,
    karpenterControllerScoping,
    ...externalSecretsChecks,
    ...dnsChecks,
    ...kmsChecks,
    kmsKeyGuard,
    ...sqsChecks,
    sqsQueueSource,
    ...ecrChecks,
    ...vpcChecks,
    ...securityGroupChecks,
    ...logChecks,
    ...wafChecks,
    awsRequiredTags,
    ...helmChecks,
    ...kubernetesIsolationChecks,
];

export const policies: StackValidationPolicy[] = securityChecks.map(stackPolicy);

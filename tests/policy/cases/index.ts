import { eksCases } from "./eks";
import { nodesCases } from "./nodes";
import { karpenterCases } from "./karpenter";
import { iamCases } from "./iam";
import { externalSecretsCases } from "./external-secrets";
import { kmsCases } from "./kms";
import { sqsCases } from "./sqs";
import { ecrCases } from "./ecr";
import { vpcCases } from "./vpc";
import { securityGroupsCases } from "./security-groups";
import { logsCases } from "./logs";
import { tagsCases } from "./tags";
import { helmCases } from "./helm";
import { kubernetesCases } from "./kubernetes";
import { dnsCases } from "./dns";
import { wafCases } from "./waf";
import { ciAccessCases } from "./ci-access";
import { FixtureCase } from "../../support/policy-builders";

/** Every hand-built case, by area (the areas mirror policy/). */
export const CASES_BY_AREA: Record<string, FixtureCase[]> = {
    "eks": eksCases,
    "nodes": nodesCases,
    "karpenter": karpenterCases,
    "iam": iamCases,
    "external-secrets": externalSecretsCases,
    "kms": kmsCases,
    "sqs": sqsCases,
    "ecr": ecrCases,
    "vpc": vpcCases,
    "security-groups": securityGroupsCases,
    "logs": logsCases,
    "tags": tagsCases,
    "helm": helmCases,
    "kubernetes": kubernetesCases,
    "dns": dnsCases,
    "waf": wafCases,
    "ci-access": ciAccessCases,
};

import { SecurityCheck, ofTypes } from "./check";
import { isTrue, list } from "./values";

const LAUNCH_TEMPLATE = "aws:ec2/launchTemplate:LaunchTemplate";

/** What the checks read of an `aws.ec2.LaunchTemplate`. */
interface LaunchTemplateProps {
    metadataOptions?: { httpTokens?: string; httpPutResponseHopLimit?: number | string };
    networkInterfaces?: { associatePublicIpAddress?: boolean | string }[];
    blockDeviceMappings?: { deviceName?: string; noDevice?: string; virtualName?: string; ebs?: { encrypted?: boolean | string } }[];
}

const template = (props: Record<string, unknown>) => props as LaunchTemplateProps;

export const launchTemplateImdsv2: SecurityCheck = {
    name: "launch-template-imdsv2",
    checks: ["CKV_AWS_79"],
    description: "Launch templates require IMDSv2 session tokens: metadataOptions.httpTokens is \"required\" (a template without metadataOptions fails).",
    appliesTo: ofTypes(LAUNCH_TEMPLATE),
    inspect: (r) => {
        const tokens = template(r.props).metadataOptions?.httpTokens;
        return tokens === "required"
            ? []
            : [{ check: "CKV_AWS_79", message: `launch template ${r.name} allows IMDSv1 (metadataOptions.httpTokens is ${tokens ?? "unset"}; it must be "required")` }];
    },
};

export const launchTemplateHopLimit: SecurityCheck = {
    name: "launch-template-hop-limit",
    checks: ["CKV_AWS_341"],
    description: "Launch templates set metadataOptions.httpPutResponseHopLimit to 1, so pods cannot reach the node's instance metadata and role.",
    appliesTo: ofTypes(LAUNCH_TEMPLATE),
    inspect: (r) => {
        const hops = template(r.props).metadataOptions?.httpPutResponseHopLimit;
        return Number(hops) === 1
            ? []
            : [{ check: "CKV_AWS_341", message: `launch template ${r.name} has httpPutResponseHopLimit ${hops ?? "unset"}; it must be 1` }];
    },
};

export const launchTemplateNoPublicIp: SecurityCheck = {
    name: "launch-template-no-public-ip",
    checks: ["CKV_AWS_88"],
    description: "Launch templates never give instances a public IP (no networkInterfaces[].associatePublicIpAddress true).",
    appliesTo: ofTypes(LAUNCH_TEMPLATE),
    inspect: (r) =>
        list(template(r.props).networkInterfaces).some((ni) => isTrue(ni?.associatePublicIpAddress))
            ? [{ check: "CKV_AWS_88", message: `launch template ${r.name} associates a public IP address with its network interfaces` }]
            : [],
};

export const launchTemplateEncryptedVolumes: SecurityCheck = {
    name: "launch-template-encrypted-volumes",
    checks: ["PC launchtemplate"],
    description:
        "Launch templates map their volumes explicitly and encrypt every EBS one (ebs.encrypted true); without a mapping the root volume's encryption is whatever the AMI says.",
    appliesTo: ofTypes(LAUNCH_TEMPLATE),
    inspect: (r) => {
        const mappings = list(template(r.props).blockDeviceMappings);
        if (mappings.length === 0) {
            return [{ check: "PC launchtemplate", message: `launch template ${r.name} has no blockDeviceMappings, so its root volume is not known to be encrypted` }];
        }
        // Instance-store (virtualName) and suppressed (noDevice) mappings have no EBS volume to encrypt.
        const plain = mappings.filter((m) => !m?.noDevice && !m?.virtualName && !isTrue(m?.ebs?.encrypted));
        return plain.length === 0
            ? []
            : [{ check: "PC launchtemplate", message: `launch template ${r.name} has unencrypted EBS volumes: ${plain.map((m) => m.deviceName ?? "?").join(", ")}` }];
    },
};

export const launchTemplateChecks: SecurityCheck[] = [launchTemplateImdsv2, launchTemplateHopLimit, launchTemplateNoPublicIp, launchTemplateEncryptedVolumes];

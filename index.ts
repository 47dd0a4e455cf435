import { loadConfig } from "./stacks/config/load";
import { buildPlatform } from "./stacks/platform";

// Validation throws (naming every bad key) before any resource is registered.
const outputs = buildPlatform(loadConfig());

export const vpcId = outputs.vpcId;
export const vpcCidr = outputs.vpcCidr;
export const publicSubnetIds = outputs.publicSubnetIds;
export const privateSubnetIds = outputs.privateSubnetIds;
export const repositoryUrls = outputs.repositoryUrls;
export const clusterName = outputs.clusterName;
export const clusterEndpoint = outputs.clusterEndpoint;
export const clusterCertificateAuthority = outputs.clusterCertificateAuthority;
export const nodeSecurityGroupId = outputs.nodeSecurityGroupId;
export const kubeconfig = outputs.kubeconfig;
export const appSecretsKeyArn = outputs.appSecretsKeyArn;
export const argocdUrl = outputs.argocdUrl ?? null;
export const grafanaUrl = outputs.grafanaUrl ?? null;
export const argocdAdminPassword = outputs.argocdAdminPassword;
export const grafanaAdminPassword = outputs.grafanaAdminPassword;
export const ciDeployRoleArn = outputs.ciDeployRoleArn ?? null;
export const ciPreviewRoleArn = outputs.ciPreviewRoleArn ?? null;

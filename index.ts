import { runProgram } from "./stacks/program";

// Config validation and the account preflight stop the program, listing every problem, before anything
// is created; Pulumi waits for this promise and exports what it resolves to as the stack outputs.
export = runProgram().then((o) => ({
    vpcId: o.vpcId,
    vpcCidr: o.vpcCidr,
    publicSubnetIds: o.publicSubnetIds,
    privateSubnetIds: o.privateSubnetIds,
    repositoryUrls: o.repositoryUrls,
    clusterName: o.clusterName,
    clusterEndpoint: o.clusterEndpoint,
    clusterCertificateAuthority: o.clusterCertificateAuthority,
    nodeSecurityGroupId: o.nodeSecurityGroupId,
    kubeconfig: o.kubeconfig,
    appSecretsKeyArn: o.appSecretsKeyArn,
    argocdUrl: o.argocdUrl ?? null,
    grafanaUrl: o.grafanaUrl ?? null,
    argocdAdminPassword: o.argocdAdminPassword,
    grafanaAdminPassword: o.grafanaAdminPassword,
    ciDeployRoleArn: o.ciDeployRoleArn ?? null,
    ciPreviewRoleArn: o.ciPreviewRoleArn ?? null,
    wafAclArn: o.wafAclArn ?? null,
    ciImagePushRoleArns: o.ciImagePushRoleArns ?? {},
    ciImagePullRoleArns: o.ciImagePullRoleArns ?? {},
}));

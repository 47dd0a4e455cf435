/** The GitOps repository's credentials as an Argo CD repository Secret, synced by External Secrets from Secrets Manager. */
import { ARGOCD_NAMESPACE } from "./gitops";

/** A GitHub App (for https://github.com/… URLs) or an SSH deploy key (for git@… and ssh://… URLs). */
export type RepositoryCredentialForm = "githubApp" | "sshKey";

/** The JSON keys the Secrets Manager secret holds, per form: Argo CD's own field names, copied one to one. */
export const REPOSITORY_CREDENTIAL_KEYS: Record<RepositoryCredentialForm, readonly string[]> = {
    githubApp: ["githubAppID", "githubAppInstallationID", "githubAppPrivateKey"],
    sshKey: ["sshPrivateKey"],
};

/** The form a repository URL takes credentials in; undefined for an https URL of a host other than github.com. */
export function repositoryCredentialForm(url: string): RepositoryCredentialForm | undefined {
    if (/^https:\/\/github\.com\//.test(url)) return "githubApp";
    if (/^(git@|ssh:\/\/)/.test(url)) return "sshKey";
    return undefined;
}

export interface RepositoryCredentials {
    /** Secrets Manager secret holding `REPOSITORY_CREDENTIAL_KEYS[form]`. Config key `gitopsRepoCredentials`. */
    secretName: string;
    /** Follows from the repository URL (`repositoryCredentialForm`). */
    form: RepositoryCredentialForm;
}

/** Name of the Argo CD repository Secret (and of the ExternalSecret that owns it). */
export const REPOSITORY_SECRET_NAME = "gitops-repository";

/**
 * An ExternalSecret (external-secrets.io/v1) that writes the Argo CD repository Secret for exactly `repoUrl`:
 * the label Argo CD discovers repositories by, `type: git`, the URL, and only the form's credential keys
 * (nothing else in the secret, such as `insecure` or `proxy`, reaches Argo CD).
 */
export function repositoryExternalSecret(repoUrl: string, credentials: RepositoryCredentials, storeName: string) {
    const keys = REPOSITORY_CREDENTIAL_KEYS[credentials.form];
    return {
        apiVersion: "external-secrets.io/v1",
        kind: "ExternalSecret",
        metadata: { name: REPOSITORY_SECRET_NAME, namespace: ARGOCD_NAMESPACE },
        spec: {
            refreshInterval: "1h",
            secretStoreRef: { kind: "ClusterSecretStore", name: storeName },
            target: {
                name: REPOSITORY_SECRET_NAME,
                creationPolicy: "Owner",
                template: {
                    engineVersion: "v2",
                    metadata: { labels: { "argocd.argoproj.io/secret-type": "repository" } },
                    data: { type: "git", url: repoUrl, ...Object.fromEntries(keys.map((k) => [k, `{{ .${k} }}`])) },
                },
            },
            data: keys.map((k) => ({ secretKey: k, remoteRef: { key: credentials.secretName, property: k } })),
        },
    };
}

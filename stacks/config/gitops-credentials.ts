import { RepositoryCredentials, repositoryCredentialForm } from "../../components/platform/argocd/repository";
import { ConfigReader, Reads } from "./reader";

type CredentialKeys = Reads<{ gitopsRepoCredentials: "string"; gitopsRepoUrl: "string"; externalSecretsPrefixes: "array" }>;

/**
 * Where Argo CD's credentials for a private GitOps repository come from. The secret stays outside the prefixes the
 * applications' store serves, so only Argo CD's namespace reads it; its form follows from the URL's scheme.
 */
export function readRepositoryCredentials(r: ConfigReader<CredentialKeys>, repoUrl: string, environment: string): RepositoryCredentials | undefined {
    const secretName = r.get("gitopsRepoCredentials");
    if (!secretName || !r.ok("gitopsRepoCredentials")) return undefined;
    const suggestion = `e.g. argocd/${environment}/gitops-repository`;
    if (!repoUrl) {
        if (r.ok("gitopsRepoUrl")) r.reject("gitopsRepoCredentials", secretName, "gitopsRepoUrl is empty, so there is no repository to give credentials for");
        return undefined;
    }
    const prefix = r.ok("externalSecretsPrefixes") ? r.get("externalSecretsPrefixes").find((p) => secretName.startsWith(`${p}/`)) : undefined;
    if (prefix) {
        r.reject("gitopsRepoCredentials", secretName, `under the externalSecretsPrefixes entry ${prefix}, whose secrets every application of the environment may read; keep it outside (${suggestion})`);
        return undefined;
    }
    const form = repositoryCredentialForm(repoUrl);
    if (!form) {
        r.reject("gitopsRepoCredentials", secretName, `gitopsRepoUrl ${repoUrl} is neither on github.com (a GitHub App) nor an SSH URL (a deploy key); use git@<host>:<path>.git with a deploy key`);
        return undefined;
    }
    return { secretName, form };
}

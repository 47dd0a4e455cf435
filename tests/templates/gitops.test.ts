import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { CONFIG_KEYS } from "../../stacks/config/keys";
import { StackGraph, stackGraph } from "../../tooling/offline/harness";
import { projectRoot } from "../../tooling/offline/paths";
import { stackFileConfig } from "../../tooling/offline/stack-files";
import { CHART_DIR, GITOPS_DIR, GITOPS_PATH, environmentValues, filesUnder, gitopsEnvironmentFolders } from "../support/templates";
import { beforeBuilding } from "../support/build-hook";

const APPLICATION_SET = "kubernetes:argoproj.io/v1alpha1:ApplicationSet";

/** What the ApplicationSet's go template makes of each list element: name, namespace, path. */
function generated(g: StackGraph): { name: string; namespace: string; path: string; app: string; env: string }[] {
    const [appSet] = g.ofType(APPLICATION_SET).map((r) => r.inputs);
    const template = appSet.spec.template;
    return appSet.spec.generators[0].list.elements.map((e: Record<string, string>) => {
        const render = (text: string) => text.replace(/\{\{\.(\w+)\}\}/g, (_, k: string) => e[k]);
        return { name: render(template.metadata.name), namespace: render(template.spec.destination.namespace), path: render(template.spec.source.path), app: e.app, env: e.env };
    });
}

/** The fixture stack whose cluster hosts `env`, with its config. */
function hostOf(env: string): { stack: string; config: Record<string, any> } {
    for (const stack of ["dev", "prod"]) {
        const config = stackFileConfig(stack);
        if ((config["eks-platform:gitopsEnvironments"] as string[]).includes(env)) return { stack, config };
    }
    throw new Error(`no fixture stack hosts ${env}`);
}

describe("GitOps repository template", () => {
    // The fixtures use the default gitopsPath, one folder per app and environment: the template's layout.
    let stacks: StackGraph[];
    beforeBuilding(async function () {
        stacks = [await stackGraph("dev"), await stackGraph("prod")];
        for (const g of stacks) expect(stackFileConfig(g.stack)["eks-platform:gitopsPath"], g.stack).to.equal(GITOPS_PATH);
    });

    it("has a deployable Helm folder at the path of every Application the dev and prod ApplicationSets generate", () => {
        const apps = stacks.flatMap(generated);
        expect(apps.map((a) => [a.name, a.namespace, a.path])).to.deep.equal([
            ["myapp-dev", "dev", "envs/dev/myapp"],
            ["myapp-staging", "staging", "envs/staging/myapp"],
            ["myapp-production", "production", "envs/production/myapp"],
        ]);
        for (const a of apps) {
            const folder = path.join(GITOPS_DIR, a.path);
            for (const file of ["Chart.yaml", "values.yaml", "charts/service/Chart.yaml", "charts/service/values.schema.json"]) {
                expect(fs.existsSync(path.join(folder, file)), `${a.path}/${file}`).to.equal(true);
            }
            // Argo CD renders a folder with Helm when it holds a Chart.yaml; a kustomization would win over it.
            expect(fs.existsSync(path.join(folder, "kustomization.yaml")), a.path).to.equal(false);
            expect(parse(fs.readFileSync(path.join(folder, "Chart.yaml"), "utf8"))).to.include({ apiVersion: "v2", name: a.app, type: "application" });
        }
        // Nothing in the template that no Application deploys.
        expect(gitopsEnvironmentFolders().map(([env, app]) => `envs/${env}/${app}`).sort()).to.deep.equal(apps.map((a) => a.path).sort());
    });

    it("deploys from the GitOps repo alone, as the AppProject allows (a single source, no other repository)", () => {
        for (const g of stacks) {
            const spec = g.ofType(APPLICATION_SET)[0].inputs.spec.template.spec;
            expect(spec).to.not.have.property("sources");
            const project = g.ofType("kubernetes:argoproj.io/v1alpha1:AppProject")[0].inputs.spec;
            expect(project.sourceRepos).to.deep.equal([spec.source.repoURL]);
            for (const [env, app] of gitopsEnvironmentFolders()) {
                // The vendored chart declares no dependency Argo CD would have to fetch from elsewhere.
                const wrapper = parse(fs.readFileSync(path.join(GITOPS_DIR, "envs", env, app, "Chart.yaml"), "utf8"));
                expect(wrapper, `${env}/${app}`).to.not.have.property("dependencies");
            }
        }
    });

    it("vendors the service chart unchanged in every environment but for appVersion, the image tag", () => {
        const strip = (text: string) => text.replace(/^appVersion:.*$/m, "appVersion: <image tag>");
        const chartFiles = filesUnder(CHART_DIR);
        for (const [env, app] of gitopsEnvironmentFolders()) {
            const vendored = path.join(GITOPS_DIR, "envs", env, app, "charts", "service");
            expect(filesUnder(vendored), `${env}/${app}`).to.deep.equal(chartFiles);
            for (const file of chartFiles) {
                const [ours, theirs] = [path.join(CHART_DIR, file), path.join(vendored, file)].map((f) => strip(fs.readFileSync(f, "utf8")));
                expect(theirs, `${env}/${app}/charts/service/${file}`).to.equal(ours);
            }
        }
    });

    it("gives each environment values that fit the cluster hosting it: ECR repository, ALB group, secret prefix", () => {
        for (const [env, app] of gitopsEnvironmentFolders()) {
            const { config } = hostOf(env);
            const values = environmentValues(env, app);
            const where = `envs/${env}/${app}`;
            expect(values.name, where).to.equal(app);
            expect(values.image.repository, where).to.match(new RegExp(`^\\d{12}\\.dkr\\.ecr\\.${config["aws:region"]}\\.amazonaws\\.com/${app}$`));
            expect(config["eks-platform:ecrRepositories"], where).to.include(app);
            expect(values.ingress.groupName, where).to.equal(`${config["eks-platform:clusterName"]}-platform`);
            expect(values.ingress.scheme, where).to.equal("internal");
            expect(values.ingress.host, where).to.match(/^[a-z0-9.-]+$/);
            expect(config["eks-platform:externalSecretsPrefixes"], where).to.include(env);
            expect(values.externalSecret.remoteKeys.length, where).to.be.greaterThan(0);
            for (const key of values.externalSecret.remoteKeys) expect(key, where).to.match(new RegExp(`^${env}/${app}/[^/]`));
        }
        // Production scales wider than dev, and no two environments share a hostname.
        expect(environmentValues("production", "myapp").autoscaling.minReplicas).to.be.greaterThan(environmentValues("dev", "myapp").autoscaling.minReplicas);
        const hosts = gitopsEnvironmentFolders().map(([env, app]) => environmentValues(env, app).ingress.host);
        expect(new Set(hosts).size).to.equal(hosts.length);
    });

    it("documents the layout, promotion and rollback in its README", () => {
        const readme = fs.readFileSync(path.join(GITOPS_DIR, "README.md"), "utf8");
        expect(readme).to.include("envs/{env}/{app}").and.include("gitopsPath");
        expect(readme).to.match(/git revert/).and.match(/argocd app rollback/);
    });
});

describe("README: Onboarding a service", () => {
    const readme = fs.readFileSync(path.join(projectRoot, "README.md"), "utf8");
    const section = readme.slice(readme.indexOf("## Onboarding a service"), readme.indexOf("\n## ", readme.indexOf("## Onboarding a service") + 3));

    it("names config keys that exist, the GitOps path the template needs, and the copy, deploy, promote and rollback steps", () => {
        const keys = [...section.matchAll(/^\| `(\w+)` \|/gm)].map((m) => m[1]);
        expect(keys).to.include.members(["gitopsRepoUrl", "gitopsPath", "gitopsApps", "ecrRepositories", "externalSecretsPrefixes"]);
        for (const key of keys) expect(CONFIG_KEYS, key).to.have.property(key);
        expect(section).to.include(`\`${GITOPS_PATH}\``);
        for (const step of ["Copy the templates", "First deploy to dev", "Promote to production", "Roll back"]) expect(section).to.include(step);
    });
});

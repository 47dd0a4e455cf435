import { expect } from "chai";
import { SpawnSyncReturns, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { GITOPS_DIR, GITOPS_SCRIPT } from "../support/templates";

const SHA_A = "a".repeat(40);
const SHA_B = "b".repeat(40);

function run(command: string, args: string[], cwd?: string): SpawnSyncReturns<string> {
    return spawnSync(command, args, {
        cwd,
        encoding: "utf8",
        env: { ...process.env, GIT_AUTHOR_NAME: "t", GIT_AUTHOR_EMAIL: "t@example.com", GIT_COMMITTER_NAME: "t", GIT_COMMITTER_EMAIL: "t@example.com" },
    });
}
const gitops = (...args: string[]) => run("bash", [GITOPS_SCRIPT, ...args]);
const appVersion = (repo: string, env: string) => /^appVersion: "(.*)"$/m.exec(fs.readFileSync(path.join(repo, "envs", env, "myapp", "charts", "service", "Chart.yaml"), "utf8"))![1];

describe("service template: gitops.sh", () => {
    let dir: string;
    let repo: string;
    beforeEach(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "gitops-"));
        repo = path.join(dir, "gitops");
        fs.cpSync(GITOPS_DIR, repo, { recursive: true });
    });
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("publishes the chart to one environment with the version as appVersion, leaving people's values alone", () => {
        const values = fs.readFileSync(path.join(repo, "envs", "dev", "myapp", "values.yaml"), "utf8");
        const r = gitops("publish", repo, "myapp", "dev", SHA_A);
        expect(r.status, r.stderr).to.equal(0);
        expect(appVersion(repo, "dev")).to.equal(SHA_A);
        expect(appVersion(repo, "staging")).to.equal("0.1.0");
        expect(fs.readFileSync(path.join(repo, "envs", "dev", "myapp", "values.yaml"), "utf8")).to.equal(values);
        expect(gitops("version", repo, "myapp", "dev").stdout.trim()).to.equal(SHA_A);
    });

    it("promotes only the version the source environment runs, copying its chart", () => {
        expect(gitops("publish", repo, "myapp", "staging", SHA_A).status).to.equal(0);
        // A stale file in production's copy disappears: the folder is replaced, not merged.
        fs.writeFileSync(path.join(repo, "envs", "production", "myapp", "charts", "service", "templates", "stale.yaml"), "kind: ConfigMap\n");
        const refused = gitops("promote", repo, "myapp", "staging", "production", SHA_B);
        expect(refused.status).to.not.equal(0);
        expect(refused.stderr).to.include(`staging runs ${SHA_A}, not ${SHA_B}`);
        expect(appVersion(repo, "production")).to.equal("0.1.0");
        const ok = gitops("promote", repo, "myapp", "staging", "production", SHA_A);
        expect(ok.status, ok.stderr).to.equal(0);
        expect(appVersion(repo, "production")).to.equal(SHA_A);
        expect(fs.existsSync(path.join(repo, "envs", "production", "myapp", "charts", "service", "templates", "stale.yaml"))).to.equal(false);
    });

    it("refuses bad versions, unknown environments and unknown commands with a message", () => {
        expect(gitops("publish", repo, "myapp", "dev", "latest").stderr).to.include("version 'latest' is neither a full git SHA nor X.Y.Z");
        expect(gitops("publish", repo, "myapp", "qa", SHA_A).stderr).to.match(/envs\/qa\/myapp is not an environment folder/);
        expect(gitops("deploy").stderr).to.include("unknown command 'deploy'");
    });

    it("commits and pushes a change, and pushes nothing when nothing changed", function () {
        this.timeout(20000);
        const origin = path.join(dir, "origin.git");
        expect(run("git", ["init", "-q", "--bare", "-b", "main", origin]).status).to.equal(0);
        for (const args of [["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-qm", "initial"], ["remote", "add", "origin", origin], ["push", "-q", "origin", "main"]]) {
            const r = run("git", args, repo);
            expect(r.status, `git ${args.join(" ")}: ${r.stderr}`).to.equal(0);
        }
        expect(gitops("publish", repo, "myapp", "dev", SHA_A).status).to.equal(0);
        const pushed = gitops("commit", repo, `myapp dev: ${SHA_A}`);
        expect(pushed.status, pushed.stderr).to.equal(0);
        expect(run("git", ["--git-dir", origin, "log", "-1", "--format=%s", "main"]).stdout.trim()).to.equal(`myapp dev: ${SHA_A}`);
        const again = gitops("commit", repo, "nothing");
        expect(again.status).to.equal(0);
        expect(again.stdout).to.include("nothing changed");
        expect(run("git", ["--git-dir", origin, "rev-list", "--count", "main"]).stdout.trim()).to.equal("2");
    });
});

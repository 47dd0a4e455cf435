import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { projectRoot } from "../tooling/offline/paths";

/** Every workflow file of the platform (.github/workflows) and of the templates (templates/<name>/.github/workflows). */
function workflowFiles(): string[] {
    const dirs = [path.join(projectRoot, ".github", "workflows")];
    for (const template of fs.readdirSync(path.join(projectRoot, "templates"))) dirs.push(path.join(projectRoot, "templates", template, ".github", "workflows"));
    return dirs.filter((d) => fs.existsSync(d)).flatMap((d) => fs.readdirSync(d).filter((f) => /\.ya?ml$/.test(f)).map((f) => path.join(d, f)));
}

/**
 * Contexts whose values whoever triggers a run chooses: branch and tag names, user names, the event's
 * titles, bodies, messages and head refs, workflow inputs. Spliced into a `run:` script they are script
 * text (GitHub expands `${{ }}` before the shell starts); passed through `env:` they stay data.
 */
const USER_CONTROLLED = /\bgithub\.(event\.|head_ref\b|ref_name\b|ref\b|actor\b|triggering_actor\b)|\bgithub\[|\binputs\./;

/** The `${{ }}` expressions of every `run:` script that read a user-controlled context, as `file job: expression`. */
function injections(file: string, text: string): string[] {
    const doc = parse(text) as { jobs?: Record<string, { steps?: { run?: string }[] }> };
    return Object.entries(doc.jobs ?? {}).flatMap(([id, job]) =>
        (job.steps ?? []).flatMap((step) => [...(step.run ?? "").matchAll(/\$\{\{(.*?)\}\}/g)].filter((m) => USER_CONTROLLED.test(m[1])).map((m) => `${file} ${id}: ${m[0]}`)),
    );
}

describe("workflow scripts (platform and templates)", () => {
    it("read no user-controlled value (ref names, actors, event text, inputs) as script text: only through env", () => {
        const files = workflowFiles();
        expect(files.map((f) => path.relative(projectRoot, f))).to.include.members([".github/workflows/preview.yml", "templates/service/.github/workflows/release.yml"]);
        expect(files.flatMap((f) => injections(path.relative(projectRoot, f), fs.readFileSync(f, "utf8")))).to.deep.equal([]);
    });

    it("would catch a tag name, an actor or a pull request's title spliced into a script, and leave env and safe values alone", () => {
        const workflow = (run: string, env = "") => `on: push\njobs:\n  j:\n    runs-on: ubuntu-latest\n    steps:\n      - ${env}run: ${JSON.stringify(run)}\n`;
        expect(injections("w", workflow('echo "${{ github.ref_name }}"'))).to.deep.equal(["w j: ${{ github.ref_name }}"]);
        expect(injections("w", workflow("echo ${{github.actor}} ${{ github.event.pull_request.title }}"))).to.have.length(2);
        expect(injections("w", workflow("echo ${{ inputs.version }} ${{ github.head_ref }}"))).to.have.length(2);
        expect(injections("w", workflow('echo "$REF_NAME" ${{ github.sha }} ${{ github.run_id }} ${{ vars.APP_NAME }}', "env: { REF_NAME: '${{ github.ref_name }}' }\n        "))).to.deep.equal([]);
    });
});

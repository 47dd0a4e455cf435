/** An issue as the fake GitHub keeps it. */
export interface Issue {
    number: number;
    title: string;
    body: string;
    state: "open" | "closed";
    labels: string[];
    comments: string[];
    state_reason?: string;
    /** Set on pull requests, which the issues API lists too. */
    pull_request?: object;
}

/** The part of the Octokit client actions/github-script passes that drift-issue.js uses, over an in-memory repository. */
export interface FakeGithub {
    issues: Issue[];
    /** Every write, as `create #n`, `update #n <fields>`, `comment #n`. */
    calls: string[];
    paginate<T>(method: (params: any) => Promise<{ data: T[] }>, params: any): Promise<T[]>;
    rest: { issues: Record<"listForRepo" | "create" | "update" | "createComment", (params: any) => Promise<{ data: any }>> };
}

/**
 * A repository's issues behind GitHub's REST semantics as far as drift-issue.js relies on them: listForRepo
 * filters by state and by every label asked (as `labels: "a,b"`) and returns pull requests as well; labels come
 * back as objects; numbers count up.
 */
export function fakeGithub(initial: Issue[]): FakeGithub {
    const issues = initial.map((i) => ({ ...i, labels: [...i.labels], comments: [...i.comments] }));
    const calls: string[] = [];
    const find = (n: number) => {
        const issue = issues.find((i) => i.number === n);
        if (!issue) throw new Error(`no issue #${n}`);
        return issue;
    };
    const next = () => Math.max(0, ...issues.map((i) => i.number)) + 1;
    return {
        issues,
        calls,
        async paginate(method, params) {
            return (await method(params)).data;
        },
        rest: {
            issues: {
                async listForRepo({ state = "open", labels = "" }) {
                    const wanted = String(labels).split(",").filter(Boolean);
                    const data = issues
                        .filter((i) => (state === "all" || i.state === state) && wanted.every((l) => i.labels.includes(l)))
                        .map((i) => ({ ...i, labels: i.labels.map((name) => ({ name })) }));
                    return { data };
                },
                async create({ title, body, labels = [] }) {
                    const issue: Issue = { number: next(), title, body, labels, state: "open", comments: [] };
                    issues.push(issue);
                    calls.push(`create #${issue.number}`);
                    return { data: { ...issue } };
                },
                async update({ issue_number, ...fields }) {
                    const issue = find(issue_number);
                    const changed = Object.keys(fields).filter((k) => !["owner", "repo"].includes(k));
                    for (const k of changed) (issue as any)[k] = fields[k];
                    calls.push(`update #${issue_number} ${changed.sort().join(",")}`);
                    return { data: { ...issue } };
                },
                async createComment({ issue_number, body }) {
                    find(issue_number).comments.push(body);
                    calls.push(`comment #${issue_number}`);
                    return { data: {} };
                },
            },
        },
    };
}

import { StackGraph } from "../../tooling/offline/harness";
import { deployPolicyDocuments } from "./deploy-documents";

/** What the corpus needs of one stack's CI: its policies and the names its own resources carry. */
export interface CiOf {
    stack: string;
    environment: string;
    /** The stack's region (its provider's). */
    region: string;
    account: string;
    cluster: string;
    deploy: any[];
    preview: any[];
    boundary: any;
    boundaryArn: string;
    /** The boundary of the EC2 instance roles (nodes) the deploy role creates. */
    nodeBoundary: any;
    /** Secrets Manager prefixes and Route 53 zones of the stack (`externalSecretsPrefixes`, `externalDnsZoneIds`), as its boundary names them. */
    secretPrefixes: string[];
    zoneIds: string[];
    deployRoleArn: string;
    stateBucket: string;
    stateKeys: string[];
}

const list = (x: unknown): any[] => (x === undefined ? [] : Array.isArray(x) ? x : [x]);
const statement = (docs: any[], sid: string) => {
    const found = docs.flatMap((d) => list(d.Statement)).find((s: any) => s.Sid === sid);
    if (!found) throw new Error(`no statement ${sid}`);
    return found;
};

/** One stack's CI as the stack builds it: its roles' policies, its boundary, the names of its own resources. */
export function ciOf(g: StackGraph): CiOf {
    const doc = (type: string, name: string) => JSON.parse(g.one(type, name).inputs.policy);
    const deploy = [
        ...deployPolicyDocuments(g),
        doc("aws:iam/rolePolicy:RolePolicy", "ci-access-deploy-default-sg"),
    ];
    const boundaryArns: string[] = list(statement(deploy, "CreateRolesUnderTheBoundary").Condition.StringEquals["iam:PermissionsBoundary"]);
    const boundaryArn = boundaryArns.find((b) => !b.endsWith("-node-boundary"))!;
    const boundary = doc("aws:iam/policy:Policy", "ci-access-boundary");
    const resources = list(boundary.Statement).flatMap((st: any) => list(st.Resource)) as string[];
    const captured = (re: RegExp) => [...new Set(resources.flatMap((r) => [...r.matchAll(re)].map((m) => m[1])))];
    const account = boundaryArn.split(":")[4];
    const environment = statement(deploy, "CreateRolesUnderTheBoundary").Condition.StringEquals["aws:RequestTag/environment"];
    const cluster = list(statement(deploy, "ThisEnvironmentsCluster").Resource)[0].split("cluster/")[1];
    const state = list(statement(deploy, "ReadWriteThisStacksState").Resource).map((r: string) => r.split(":::")[1]);
    return {
        stack: g.stack,
        environment,
        region: String(g.one("pulumi:providers:aws").inputs.region),
        account,
        cluster,
        deploy,
        preview: [doc("aws:iam/rolePolicy:RolePolicy", "ci-access-preview-read")],
        boundary,
        boundaryArn,
        nodeBoundary: doc("aws:iam/policy:Policy", "ci-access-node-boundary"),
        secretPrefixes: captured(/:secretsmanager:[^:]*:[^:]*:secret:(.+)\/\*$/g),
        zoneIds: captured(/:route53:::hostedzone\/(.+)$/g),
        deployRoleArn: `arn:aws:iam::${account}:role/eks-platform-deploy-${environment}`,
        stateBucket: state[0].split("/")[0],
        stateKeys: state.map((k: string) => k.slice(k.indexOf("/") + 1).replace(/\*/g, "x")),
    };
}


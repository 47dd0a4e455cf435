/** Named checks for values whose form a regular expression alone cannot say; each returns a Verdict. */
import { EC2_INSTANCE_FAMILIES } from "../../components/shared/instance-types";
import { KUBERNETES_VERSIONS } from "../../components/versions";
import { isPrivate, parseIpv4Cidr } from "./cidr";
import { AWS_REGIONS, INSTANCE_SIZE, RESERVED_TAGS, didYouMean, isExampleHost, isPlaceholderRepository } from "./reference";
import { Verdict } from "./rules";
import { AccessLevel, NamespaceAccess } from "../../components/cluster/types";

/** Full IAM role/user ARN, or `role/<name>` / `user/<name>` meaning the deploying account. */
export const PRINCIPAL = /^(arn:aws(-cn|-us-gov)?:iam::\d{12}:)?(role|user)\/([\w+=,.@-]+\/)*[\w+=,.@-]{1,64}$/;
/** A fully qualified DNS name such as example.com. */
export const DNS_NAME = /^(?=.{1,253}$)([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
const NAMESPACE = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const WORLD = ["0.0.0.0/0", "::/0"];
const DURATION = /^([0-9]+(s|m|h))+$/;
const PROM_DURATION = /^([0-9]+(ms|s|m|h|d|w|y))+$/;
const REPO_URL = /^(https:\/\/([A-Za-z0-9.-]+)(:\d+)?\/([^\s]+)|git@([A-Za-z0-9.-]+):([^\s]+)\.git|ssh:\/\/[^\s@]+@([A-Za-z0-9.-]+)(:\d+)?\/([^\s]+))$/;
const PLACEHOLDER = "a placeholder, not a real repository: the repository named here decides what this stack trusts, so name your own";

export function region(value: string): Verdict {
    return AWS_REGIONS.includes(value) || didYouMean(value, AWS_REGIONS) || false;
}

export function vpcCidr(text: string): Verdict {
    const cidr = parseIpv4Cidr(text);
    if (!cidr) return "not an IPv4 network address with prefix";
    if (!isPrivate(cidr)) return "not in 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16";
    if (cidr.prefix < 16) return "AWS VPCs are at most /16";
    if (cidr.prefix > 20) return "too small: private subnets get prefix +3 and must hold at least /23 of pod and node addresses";
    return true;
}

export function publicCidr(text: string): Verdict {
    if (WORLD.includes(text)) return true;
    const cidr = parseIpv4Cidr(text);
    if (!cidr) return "not an IPv4 network address with prefix";
    return isPrivate(cidr) ? "private ranges reach the private endpoint; EKS refuses them here" : true;
}

export function networkCidr(text: string): Verdict {
    const cidr = parseIpv4Cidr(text);
    if (!cidr) return "not an IPv4 network address with prefix";
    return cidr.prefix === 0 ? "admit the networks that need the API, not every address" : true;
}

export const isWorld = (cidr: string): boolean => WORLD.includes(cidr);

export function kubernetesVersion(version: string): Verdict {
    // An unquoted 1.30 in YAML is the number 1.3: say so, since the file shows 1.30.
    const number = /^1\.(\d)$/.exec(version);
    if (number) return `YAML read an unquoted 1.${number[1]}0 as the number ${version}; quote it: "1.${number[1]}0"`;
    const minor = /^1\.(\d{2})$/.exec(version)?.[1];
    const oldest = Number(KUBERNETES_VERSIONS.oldestSupported.split(".")[1]);
    const newest = Number(KUBERNETES_VERSIONS.newestSupported.split(".")[1]);
    return minor !== undefined && Number(minor) >= oldest && Number(minor) <= newest;
}

export function instanceFamily(family: string): Verdict {
    if (EC2_INSTANCE_FAMILIES.includes(family)) return true;
    return ["not an EC2 instance family", didYouMean(family, EC2_INSTANCE_FAMILIES)].filter(Boolean).join("; ");
}

export function instanceType(type: string): Verdict {
    const [family, size, ...rest] = type.split(".");
    if (!size || rest.length > 0) return "not of the form <family>.<size>";
    if (!EC2_INSTANCE_FAMILIES.includes(family)) return instanceFamily(family);
    if (INSTANCE_SIZE.test(size)) return true;
    const sizes = ["nano", "micro", "small", "medium", "large", "xlarge", "metal"];
    return ["not an EC2 instance size", didYouMean(size, sizes)].filter(Boolean).join("; ");
}

export const duration = (value: string): Verdict => DURATION.test(value);
export const expiry = (value: string): Verdict => value === "Never" || DURATION.test(value);
export const prometheusDuration = (value: string): Verdict => PROM_DURATION.test(value) && !/^0+[a-z]+$/.test(value);
export const volumeSize = (value: string): Verdict => /^[0-9]+(Gi|Ti)$/.test(value) && Number.parseInt(value, 10) > 0;
/** A memory request Prometheus's 2Gi limit can hold and that leaves it room to start: 256Mi to 2Gi. */
export function prometheusMemory(value: string): Verdict {
    const m = /^([0-9]+)(Mi|Gi)$/.exec(value);
    if (!m) return false;
    const mebibytes = Number(m[1]) * (m[2] === "Gi" ? 1024 : 1);
    return mebibytes >= 256 && mebibytes <= 2048;
}
export const gitRef = (value: string): Verdict => /^[A-Za-z0-9._/-]{1,200}$/.test(value) && !value.includes("..");
export const gitopsPath = (value: string): Verdict => value.includes("{env}") && !value.startsWith("/") && !value.split("/").includes("..");

export function githubRepository(value: string, pattern: RegExp): Verdict {
    if (isPlaceholderRepository(value)) return PLACEHOLDER;
    return pattern.test(value);
}

/**
 * A repository's web page rather than the repository: GitHub's and Gitea's /tree/, /blob/, /commit/ (GitLab's
 * behind /-/), Bitbucket's /src/ and /branch/, or any query or fragment. Argo CD cannot clone a page.
 */
const BROWSER_VIEW = /^(https:\/\/[^/]+\/[^/]+\/.+?)\/(?:-\/)?(tree|blob|commits?|pulls?|issues|src|branch|branches)(?:\/(.*))?$/;

export function gitRepositoryUrl(url: string): Verdict {
    const page = /\.git$/.test(url) ? undefined : BROWSER_VIEW.exec(url);
    if (page || /^https:\/\/[^?#]+[?#]/.test(url)) {
        const repository = page ? page[1] : url.replace(/[?#].*$/, "");
        const clone = `${repository.replace(/\/$/, "").replace(/\.git$/, "")}.git`;
        const branch = page?.[2] === "tree" && page[3] ? ` and gitopsRevision: ${page[3].replace(/\/$/, "")}` : "";
        return `a web page of the repository, not a URL git can clone; set ${clone}${branch}`;
    }
    const match = REPO_URL.exec(url);
    if (!match) return isPlaceholderRepository(url.replace(/^[a-z]+:\/\/[^/]+\//, "")) ? PLACEHOLDER : false;
    const host = match[2] ?? match[5] ?? match[7];
    const path = (match[4] ?? match[6] ?? match[9]).replace(/^scm\//, "");
    return isExampleHost(host) || isPlaceholderRepository(path) ? PLACEHOLDER : true;
}

export function extraTag(entry: string): Verdict {
    const eq = entry.indexOf("=");
    const key = entry.slice(0, eq);
    if (eq < 1 || key.length > 128 || entry.length - eq - 1 > 256 || key.toLowerCase().startsWith("aws:")) return false;
    return RESERVED_TAGS.includes(key) ? `the program sets the ${key} tag itself` : true;
}

/** A `tenantEgress` entry: `<environment>=<IPv4 CIDR>` or `<environment>=none`. */
export function tenantEgress(entry: string): Verdict {
    const m = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?)=(.+)$/.exec(entry);
    if (!m) return false;
    if (m[3] === "none" || parseIpv4Cidr(m[3])) return true;
    return `${m[3]} is not an IPv4 network address with prefix (host bits zero, e.g. 203.0.113.0/24) nor none`;
}

/** An ECR tag-immutability exclusion; one of `*` alone matches every tag, which turns immutability off. */
export function mutableTagFilter(filter: string): Verdict {
    if (!/^[A-Za-z0-9._*-]{1,128}$/.test(filter)) return false;
    return /^\*+$/.test(filter) ? "matches every tag, so no tag would stay immutable; name the tags that move, e.g. latest" : true;
}

export const WAIVER = /^\s*([A-Za-z0-9_.-]+):\s*(.{10,})$/;

export function parseNamespaceAccess(entry: string): NamespaceAccess | undefined {
    const [principal, level, namespaces, ...rest] = entry.trim().split(/\s+/);
    if (rest.length > 0 || !principal || !PRINCIPAL.test(principal)) return undefined;
    if (level !== "view" && level !== "edit") return undefined;
    const list = (namespaces ?? "").split(",");
    if (list.length === 0 || !list.every((ns) => NAMESPACE.test(ns))) return undefined;
    return { principal, level: level as AccessLevel, namespaces: list };
}

/** `prod` and `production` get the stricter rules. */
export function isProduction(environment: string): boolean {
    return environment === "prod" || environment === "production";
}

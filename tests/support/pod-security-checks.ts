import type { PodSecurityLevel } from "../../components/shared/namespace";
import { PodTemplate, describeObject } from "./render-checks";

// The Pod Security Standards (https://kubernetes.io/docs/concepts/security/pod-security-standards/)
// as checks over a pod template: what Pod Security Admission would refuse at each level.

const BASELINE_CAPABILITIES = ["AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL", "MKNOD", "NET_BIND_SERVICE", "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT"];
const SAFE_SYSCTLS = ["kernel.shm_rmid_forced", "net.ipv4.ip_local_port_range", "net.ipv4.ip_unprivileged_port_start", "net.ipv4.tcp_syncookies", "net.ipv4.ping_group_range", "net.ipv4.ip_local_reserved_ports", "net.ipv4.tcp_keepalive_time", "net.ipv4.tcp_fin_timeout", "net.ipv4.tcp_keepalive_intvl", "net.ipv4.tcp_keepalive_probes"];
const SELINUX_TYPES = ["", "container_t", "container_init_t", "container_kvm_t", "container_engine_t"];
const RESTRICTED_VOLUMES = ["configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "persistentVolumeClaim", "projected", "secret"];
const SECCOMP_OK = ["RuntimeDefault", "Localhost"];

const containersOf = (spec: any): any[] => [...(spec.initContainers ?? []), ...(spec.containers ?? []), ...(spec.ephemeralContainers ?? [])];

/** What `baseline` forbids in one pod spec. */
export function baselineViolations(spec: any): string[] {
    const out: string[] = [];
    const pod = spec.securityContext ?? {};
    for (const host of ["hostNetwork", "hostPID", "hostIPC"]) if (spec[host] === true) out.push(`${host}: true`);
    for (const v of spec.volumes ?? []) if (v.hostPath) out.push(`hostPath volume ${v.name}`);
    for (const s of pod.sysctls ?? []) if (!SAFE_SYSCTLS.includes(s.name)) out.push(`unsafe sysctl ${s.name}`);
    const seLinux = (o: any, where: string) => {
        if (!o) return;
        if (!SELINUX_TYPES.includes(o.type ?? "")) out.push(`${where} seLinuxOptions.type ${o.type}`);
        if (o.user || o.role) out.push(`${where} sets seLinuxOptions user/role`);
    };
    seLinux(pod.seLinuxOptions, "pod");
    if (pod.seccompProfile?.type === "Unconfined") out.push("pod seccompProfile Unconfined");
    if (pod.appArmorProfile?.type === "Unconfined") out.push("pod appArmorProfile Unconfined");
    for (const c of containersOf(spec)) {
        const sc = c.securityContext ?? {};
        const where = `container ${c.name}`;
        if (sc.privileged === true) out.push(`${where} privileged`);
        for (const cap of sc.capabilities?.add ?? []) if (!BASELINE_CAPABILITIES.includes(cap)) out.push(`${where} adds capability ${cap}`);
        for (const p of c.ports ?? []) if (p.hostPort) out.push(`${where} hostPort ${p.hostPort}`);
        if (sc.procMount && sc.procMount !== "Default") out.push(`${where} procMount ${sc.procMount}`);
        if (sc.seccompProfile?.type === "Unconfined") out.push(`${where} seccompProfile Unconfined`);
        if (sc.appArmorProfile?.type === "Unconfined") out.push(`${where} appArmorProfile Unconfined`);
        seLinux(sc.seLinuxOptions, where);
    }
    return out;
}

/** What `restricted` forbids beyond `baseline` in one pod spec. */
export function restrictedViolations(spec: any): string[] {
    const out: string[] = [];
    const pod = spec.securityContext ?? {};
    for (const v of spec.volumes ?? []) {
        const type = Object.keys(v).find((k) => k !== "name");
        if (type && !RESTRICTED_VOLUMES.includes(type)) out.push(`volume ${v.name} of type ${type}`);
    }
    if (pod.runAsUser === 0) out.push("pod runAsUser 0");
    for (const c of containersOf(spec)) {
        const sc = c.securityContext ?? {};
        const where = `container ${c.name}`;
        if (sc.allowPrivilegeEscalation !== false) out.push(`${where} does not set allowPrivilegeEscalation: false`);
        if (!(sc.runAsNonRoot === true || (sc.runAsNonRoot === undefined && pod.runAsNonRoot === true))) out.push(`${where} does not run as non-root (runAsNonRoot)`);
        if (sc.runAsUser === 0) out.push(`${where} runAsUser 0`);
        const seccomp = sc.seccompProfile?.type ?? pod.seccompProfile?.type;
        if (!SECCOMP_OK.includes(seccomp)) out.push(`${where} has no RuntimeDefault/Localhost seccompProfile`);
        if (!(sc.capabilities?.drop ?? []).includes("ALL")) out.push(`${where} does not drop ALL capabilities`);
        for (const cap of sc.capabilities?.add ?? []) if (cap !== "NET_BIND_SERVICE") out.push(`${where} adds capability ${cap}`);
    }
    return out;
}

/** Everything Pod Security Admission would refuse for `template` at `level`. */
export function podSecurityViolations(spec: any, level: PodSecurityLevel): string[] {
    if (level === "privileged") return [];
    return level === "baseline" ? baselineViolations(spec) : [...baselineViolations(spec), ...restrictedViolations(spec)];
}

/** The strictest level `spec` satisfies. */
export function strictestLevel(spec: any): PodSecurityLevel {
    if (baselineViolations(spec).length > 0) return "privileged";
    return restrictedViolations(spec).length > 0 ? "baseline" : "restricted";
}

/** Problems of every pod template in the namespaces `levels` names, against its namespace's level. */
export function podSecurityProblems(templates: PodTemplate[], levels: Record<string, PodSecurityLevel>): string[] {
    return templates
        .filter((t) => levels[t.namespace] !== undefined)
        .flatMap((t) => podSecurityViolations(t.spec, levels[t.namespace]).map((v) => `${describeObject(t.owner)} breaks ${levels[t.namespace]}: ${v}`));
}

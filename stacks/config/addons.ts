import { EC2_INSTANCE_FAMILIES } from "../../components/cluster/karpenter/families";
import { ConfigReader } from "./reader";
import { AddonsConfig } from "./types";

const CAPACITY_TYPES = ["spot", "on-demand"];
const DURATION = /^([0-9]+(s|m|h))+$/;
const AMI_ALIAS = /^al2023@(latest|v\d{8})$/;
const SECRET_PREFIX = /^[A-Za-z0-9_+=.@-]{1,64}$/;

/** Reads and checks the Karpenter and External Secrets keys. */
export function readAddonsConfig(r: ConfigReader, systemNodeMinSize: number): AddonsConfig {
    const instanceFamilies = r.list("karpenterInstanceFamilies");
    if (instanceFamilies.length === 0) r.reject("karpenterInstanceFamilies", instanceFamilies);
    for (const family of instanceFamilies) {
        if (!EC2_INSTANCE_FAMILIES.includes(family)) r.reject("karpenterInstanceFamilies", family, "not an EC2 instance family");
    }

    const capacityTypes = r.list("karpenterCapacityTypes");
    if (capacityTypes.length === 0) r.reject("karpenterCapacityTypes", capacityTypes);
    for (const type of capacityTypes) if (!CAPACITY_TYPES.includes(type)) r.reject("karpenterCapacityTypes", type);

    const cpuLimit = r.integer("karpenterCpuLimit");
    if (cpuLimit < 1 || cpuLimit > 10000) r.reject("karpenterCpuLimit", cpuLimit);

    const consolidateAfter = r.string("karpenterConsolidateAfter");
    if (!DURATION.test(consolidateAfter)) r.reject("karpenterConsolidateAfter", consolidateAfter);
    const expireAfter = r.string("karpenterExpireAfter");
    if (!DURATION.test(expireAfter) && expireAfter !== "Never") r.reject("karpenterExpireAfter", expireAfter);

    const amiAlias = r.string("karpenterAmiAlias");
    if (!AMI_ALIAS.test(amiAlias)) r.reject("karpenterAmiAlias", amiAlias);

    const replicas = r.integer("karpenterReplicas");
    if (replicas < 1 || replicas > Math.max(1, systemNodeMinSize)) r.reject("karpenterReplicas", replicas);

    const secretPrefixes = r.list("externalSecretsPrefixes");
    if (r.has("externalSecretsPrefixes") && secretPrefixes.length === 0) r.reject("externalSecretsPrefixes", secretPrefixes);
    for (const prefix of secretPrefixes) if (!SECRET_PREFIX.test(prefix)) r.reject("externalSecretsPrefixes", prefix);
    const duplicate = secretPrefixes.find((p, i) => secretPrefixes.indexOf(p) !== i);
    if (duplicate) r.reject("externalSecretsPrefixes", duplicate, "listed twice");

    const externalSecretsReplicas = r.integer("externalSecretsReplicas");
    if (externalSecretsReplicas < 1 || externalSecretsReplicas > 5) r.reject("externalSecretsReplicas", externalSecretsReplicas);

    return {
        karpenter: {
            nodePool: { instanceFamilies, capacityTypes, cpuLimit, consolidateAfter, expireAfter },
            amiAlias,
            replicas,
        },
        externalSecrets: { secretPrefixes, replicas: externalSecretsReplicas },
    };
}

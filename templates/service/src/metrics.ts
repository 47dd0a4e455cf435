/**
 * A minimal Prometheus registry: counters and histograms in the text exposition format 0.0.4
 * (https://prometheus.io/docs/instrumenting/exposition_formats/). No dependency, nothing global.
 */

export const CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

type Labels = Record<string, string>;

interface Metric {
    render(): string[];
}

const escapeLabel = (value: string) => value.replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/"/g, '\\"');
const escapeHelp = (value: string) => value.replace(/\\/g, "\\\\").replace(/\n/g, "\\n");
const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

function labelText(labels: Labels): string {
    const pairs = Object.entries(labels).map(([k, v]) => `${k}="${escapeLabel(v)}"`);
    return pairs.length ? `{${pairs.join(",")}}` : "";
}

/** Label names fixed at creation; a series is keyed by its values in that order. */
abstract class Family<S> implements Metric {
    protected readonly series = new Map<string, { labels: Labels; state: S }>();

    constructor(
        readonly name: string,
        readonly help: string,
        readonly labelNames: string[],
    ) {
        if (!NAME.test(name)) throw new Error(`invalid metric name ${JSON.stringify(name)}`);
        for (const l of labelNames) if (!LABEL.test(l) || l.startsWith("__")) throw new Error(`invalid label name ${JSON.stringify(l)} on ${name}`);
    }

    protected seriesFor(labels: Labels, init: () => S): S {
        const given = Object.keys(labels).sort().join(",");
        if (given !== [...this.labelNames].sort().join(",")) {
            throw new Error(`${this.name} takes labels [${this.labelNames.join(", ")}], got [${Object.keys(labels).join(", ")}]`);
        }
        const ordered = Object.fromEntries(this.labelNames.map((l) => [l, labels[l]]));
        const key = JSON.stringify(Object.values(ordered));
        let entry = this.series.get(key);
        if (!entry) {
            entry = { labels: ordered, state: init() };
            this.series.set(key, entry);
        }
        return entry.state;
    }

    protected header(type: string): string[] {
        return [`# HELP ${this.name} ${escapeHelp(this.help)}`, `# TYPE ${this.name} ${type}`];
    }

    abstract render(): string[];
}

export class Counter extends Family<{ value: number }> {
    inc(labels: Labels = {}, by = 1): void {
        if (!(by >= 0)) throw new Error(`${this.name}: a counter only goes up (got ${by})`);
        this.seriesFor(labels, () => ({ value: 0 })).value += by;
    }

    render(): string[] {
        return [...this.header("counter"), ...[...this.series.values()].map((s) => `${this.name}${labelText(s.labels)} ${s.state.value}`)];
    }
}

export class Gauge extends Family<{ value: number }> {
    set(labels: Labels, value: number): void {
        this.seriesFor(labels, () => ({ value: 0 })).value = value;
    }

    render(): string[] {
        return [...this.header("gauge"), ...[...this.series.values()].map((s) => `${this.name}${labelText(s.labels)} ${s.state.value}`)];
    }
}

export class Histogram extends Family<{ counts: number[]; sum: number; count: number }> {
    constructor(name: string, help: string, labelNames: string[], readonly buckets: number[]) {
        super(name, help, labelNames);
        if (labelNames.includes("le")) throw new Error(`${name}: "le" is reserved for histogram buckets`);
        if (buckets.length === 0 || buckets.some((b, i) => i > 0 && b <= buckets[i - 1])) throw new Error(`${name}: buckets must increase strictly`);
    }

    observe(labels: Labels, value: number): void {
        const s = this.seriesFor(labels, () => ({ counts: this.buckets.map(() => 0), sum: 0, count: 0 }));
        this.buckets.forEach((bound, i) => {
            if (value <= bound) s.counts[i]++;
        });
        s.sum += value;
        s.count++;
    }

    render(): string[] {
        const lines = this.header("histogram");
        for (const { labels, state } of this.series.values()) {
            this.buckets.forEach((bound, i) => lines.push(`${this.name}_bucket${labelText({ ...labels, le: String(bound) })} ${state.counts[i]}`));
            lines.push(`${this.name}_bucket${labelText({ ...labels, le: "+Inf" })} ${state.count}`);
            lines.push(`${this.name}_sum${labelText(labels)} ${state.sum}`);
            lines.push(`${this.name}_count${labelText(labels)} ${state.count}`);
        }
        return lines;
    }
}

export class Registry {
    private readonly metrics = new Map<string, Metric>();

    register<M extends Metric & { name: string }>(metric: M): M {
        if (this.metrics.has(metric.name)) throw new Error(`metric ${metric.name} registered twice`);
        this.metrics.set(metric.name, metric);
        return metric;
    }

    /** The whole exposition, ending in a newline as the format requires. */
    render(): string {
        return [...this.metrics.values()].flatMap((m) => m.render()).join("\n") + "\n";
    }
}

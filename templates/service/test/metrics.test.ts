import { expect } from "chai";
import { Counter, Gauge, Histogram, Registry } from "../src/metrics";

describe("service metrics registry", () => {
    it("renders counters with HELP, TYPE and escaped label values", () => {
        const registry = new Registry();
        const c = registry.register(new Counter("jobs_total", "Jobs done.\nPer queue.", ["queue"]));
        c.inc({ queue: 'a"b\\c\nd' });
        c.inc({ queue: 'a"b\\c\nd' }, 2);
        expect(registry.render()).to.equal(['# HELP jobs_total Jobs done.\\nPer queue.', "# TYPE jobs_total counter", 'jobs_total{queue="a\\"b\\\\c\\nd"} 3', ""].join("\n"));
    });

    it("renders cumulative histogram buckets, +Inf, sum and count", () => {
        const registry = new Registry();
        const h = registry.register(new Histogram("latency_seconds", "Latency.", ["route"], [0.1, 1]));
        h.observe({ route: "/" }, 0.05);
        h.observe({ route: "/" }, 0.5);
        h.observe({ route: "/" }, 3);
        const lines = registry.render().split("\n");
        expect(lines).to.include.members([
            'latency_seconds_bucket{route="/",le="0.1"} 1',
            'latency_seconds_bucket{route="/",le="1"} 2',
            'latency_seconds_bucket{route="/",le="+Inf"} 3',
            'latency_seconds_sum{route="/"} 3.55',
            'latency_seconds_count{route="/"} 3',
        ]);
    });

    it("keys series by label values whatever order the labels are given in", () => {
        const registry = new Registry();
        const g = registry.register(new Gauge("temp", "T.", ["a", "b"]));
        g.set({ a: "1", b: "2" }, 5);
        g.set({ b: "2", a: "1" }, 7);
        expect(registry.render()).to.include('temp{a="1",b="2"} 7').and.not.include(" 5");
    });

    it("rejects invalid names, wrong label sets, a falling counter and a metric registered twice", () => {
        expect(() => new Counter("bad-name", "x", [])).to.throw(/invalid metric name "bad-name"/);
        expect(() => new Counter("ok", "x", ["__reserved"])).to.throw(/invalid label name/);
        expect(() => new Histogram("h", "x", ["le"], [1])).to.throw(/"le" is reserved/);
        expect(() => new Histogram("h", "x", [], [1, 1])).to.throw(/increase strictly/);
        const c = new Counter("c_total", "x", ["route"]);
        expect(() => c.inc({ path: "/" })).to.throw(/takes labels \[route\], got \[path\]/);
        expect(() => c.inc({ route: "/" }, -1)).to.throw(/only goes up/);
        const registry = new Registry();
        registry.register(c);
        expect(() => registry.register(new Counter("c_total", "y", []))).to.throw(/registered twice/);
    });
});

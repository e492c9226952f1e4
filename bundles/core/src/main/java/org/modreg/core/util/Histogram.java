package org.modreg.core.util;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

import org.modreg.api.dto.Metrics;

/**
 * Durations counted into fixed buckets, for {@link Metrics.Timing}: an observation costs two
 * increments and a search of a dozen bounds, no lock. The bounds are Prometheus' defaults, from
 * 1 ms to 10 s, with 0.5 ms in front: queries take well under a millisecond.
 */
public final class Histogram {

    public static final double[] BOUNDS = { 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10 };

    private final String name;
    private final LongAdder[] counts = new LongAdder[BOUNDS.length + 1];
    private final LongAdder nanos = new LongAdder();

    public Histogram(String name) {
        this.name = name;
        for (int i = 0; i < counts.length; i++) {
            counts[i] = new LongAdder();
        }
    }

    /** @param durationNanos one duration */
    public void observe(long durationNanos) {
        double seconds = durationNanos / 1e9;
        int i = 0;
        while (i < BOUNDS.length && seconds > BOUNDS[i]) {
            i++;
        }
        counts[i].increment();
        nanos.add(durationNanos);
    }

    /** @return what was counted so far; counts read one by one, so a concurrent observation may be half in */
    public Metrics.Timing snapshot() {
        List<Double> bounds = new ArrayList<>(BOUNDS.length);
        for (double b : BOUNDS) {
            bounds.add(b);
        }
        List<Long> c = new ArrayList<>(counts.length);
        long total = 0;
        for (LongAdder a : counts) {
            long n = a.sum();
            c.add(n);
            total += n;
        }
        return new Metrics.Timing(name, bounds, c, nanos.sum() / 1e9, total);
    }
}

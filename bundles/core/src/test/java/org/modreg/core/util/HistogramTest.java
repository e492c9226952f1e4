package org.modreg.core.util;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.modreg.api.dto.Metrics;

public class HistogramTest {

    @Test
    void eachDurationFallsIntoTheFirstBucketWhoseBoundItDoesNotExceed() {
        Histogram h = new Histogram("start");
        h.observe(100_000);          // 0.1 ms: first bucket
        h.observe(1_000_000);        // 1 ms exactly: the 1 ms bucket (bounds are inclusive)
        h.observe(1_000_001);        // just over: the 2.5 ms bucket
        h.observe(60_000_000_000L);  // a minute: the last bucket, without bound
        Metrics.Timing t = h.snapshot();
        assertEquals("start", t.name());
        assertEquals(Histogram.BOUNDS.length + 1, t.counts().size());
        assertEquals(1L, t.counts().get(0));
        assertEquals(1L, t.counts().get(1));
        assertEquals(1L, t.counts().get(2));
        assertEquals(1L, t.counts().get(t.counts().size() - 1));
        assertEquals(4, t.count());
        assertEquals(60.002100001, t.sumSeconds(), 1e-9);
    }
}

package org.modreg.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** What the benchmarks share: temporary homes, percentiles. */
final class BenchSupport {

    private BenchSupport() {
    }

    /** Deletes a directory and everything below it: a benchmark's temporary home. */
    static void deleteTree(Path p) throws IOException {
        try (Stream<Path> s = Files.walk(p)) {
            s.sorted(Comparator.reverseOrder()).forEach(x -> x.toFile().delete());
        }
    }

    /**
     * @param values measurements, in any order (not changed)
     * @param q      the quantile, 0.5 for the median, 0.99 for p99
     * @return the value at that quantile
     */
    static long percentile(long[] values, double q) {
        long[] sorted = values.clone();
        java.util.Arrays.sort(sorted);
        return sorted[Math.min(sorted.length - 1, (int) (sorted.length * q))];
    }
}

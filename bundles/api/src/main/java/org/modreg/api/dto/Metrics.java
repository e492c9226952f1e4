package org.modreg.api.dto;

import java.util.List;

/**
 * The container's operational figures, for monitoring: how long starts, wiring checks and
 * queries took (as histograms), how many operations ended how, and the state of the database
 * and of the deploy directory. Read at the moment of the call; the histograms and counts grow
 * from the container's start.
 *
 * @param timings    one histogram each: {@code start} (a module's start), {@code check} (a
 *                   wiring check, as before an install or update) and {@code query} (a registry
 *                   look-up)
 * @param operations the operations ended since the start, counted by operation, door and result
 * @param database   the database of records
 * @param deploy     the deploy directory
 * @since 1.2
 */
public record Metrics(List<Timing> timings, List<OperationCount> operations, DatabaseStatus database,
        DeployStatus deploy) {

    public Metrics {
        timings = List.copyOf(timings);
        operations = List.copyOf(operations);
    }

    /**
     * A histogram of durations.
     *
     * @param name        what was timed: {@code start}, {@code check}, {@code query}
     * @param bounds      the upper bounds of the buckets, in seconds, ascending; a last bucket,
     *                    without bound, takes the rest
     * @param counts      how many durations fell into each bucket (not cumulative); one more
     *                    entry than {@code bounds}
     * @param sumSeconds  the sum of all durations
     * @param count       how many durations
     */
    public record Timing(String name, List<Double> bounds, List<Long> counts, double sumSeconds, long count) {
        public Timing {
            bounds = List.copyOf(bounds);
            counts = List.copyOf(counts);
        }
    }

    /**
     * How often an operation ended with a result through a door.
     *
     * @param operation the audited operation: {@code install}, {@code update}, {@code rollback}, ...
     * @param door      where it came from, the audit origin without its user or module:
     *                  {@code shell}, {@code deploy}, {@code http}, {@code host}, {@code api}, ...
     * @param result    how it ended: {@code OK}, {@code FAILED}, {@code REFUSED}, {@code ROLLED_BACK}
     * @param count     how many times
     */
    public record OperationCount(String operation, String door, String result, long count) {
    }

    /**
     * @param state         {@code OPENING}, {@code OPEN}, {@code UNAVAILABLE} (it could not be
     *                      opened: the container runs without persistence) or {@code CLOSED}
     * @param detail        the URL, or why it is unavailable
     * @param pendingWrites writes queued and not yet committed
     */
    public record DatabaseStatus(String state, String detail, int pendingWrites) {
        /** @return whether records are being kept */
        public boolean healthy() {
            return "OPEN".equals(state) || "OPENING".equals(state);
        }
    }

    /**
     * @param directory the deploy directory
     * @param mode      {@code WATCHING} (file-system events), {@code POLLING}, {@code MISSING} (the
     *                  directory is gone; looked for again) or {@code STOPPED}
     */
    public record DeployStatus(String directory, String mode) {
        /** @return whether files dropped into the directory are seen */
        public boolean healthy() {
            return "WATCHING".equals(mode) || "POLLING".equals(mode);
        }
    }
}

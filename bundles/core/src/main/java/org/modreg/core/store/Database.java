package org.modreg.core.store;

import java.sql.Connection;
import java.sql.SQLException;

import org.modreg.api.dto.Metrics;

/**
 * modreg's database, as the core's components use it: writes queued for one writer thread and
 * committed together, reads on a connection of their own. A service of the core bundle only
 * ({@link JdbcDatabase}); the SQL lives beside each feature that stores something.
 */
public interface Database {

    /** Configuration PID. */
    String PID = "org.modreg.database";

    /** Something to write, in the writer's transaction. */
    @FunctionalInterface
    interface Work {
        void run(Connection c) throws SQLException;
    }

    /** Something to read, on a connection of its own. */
    @FunctionalInterface
    interface Query<T> {
        T run(Connection c) throws SQLException;
    }

    /** Queues work for the writer, which writes it as soon as it is free; dropped if the database could not be opened. */
    void write(Work work);

    /** Reads what was written before; waits until the database is open. */
    <T> T read(Query<T> query);

    /** Waits until everything queued so far is committed. */
    void flush();

    /** Adds work done at every flush interval: counters write what changed since the last one. */
    void addFlusher(Work flusher);

    void removeFlusher(Work flusher);

    /** @return whether this run created the schema (a new database) */
    boolean created();

    /** @return the JDBC URL */
    String url();

    /** @return its state for the metrics and health: open, opening, closed or unavailable, and the queue */
    Metrics.DatabaseStatus status();
}

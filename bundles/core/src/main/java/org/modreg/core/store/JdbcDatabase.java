package org.modreg.core.store;

import org.modreg.core.util.Threads;

import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jdbc.DataSourceFactory;
import org.osgi.service.metatype.annotations.Designate;

/**
 * modreg's database: module records, statistics, version history and the audit trail.
 *
 * <p>The driver is a {@link DataSourceFactory} service (the OSGi JDBC service), H2 by default,
 * in a file under the data directory. All writes go through one writer thread and one
 * connection, each batch in one transaction: work {@linkplain #write queued} by an operation
 * (records, history, audit) is written as soon as the writer is free, so a burst of operations
 * shares a commit; the {@linkplain #addFlusher flushers} (counters) are asked for their changes
 * once per flush interval. H2 commits with {@code WRITE_DELAY=0}, so a commit is on disk when it
 * returns, and its MVStore never overwrites live data: a kill -9 loses at most what was not
 * committed yet, and never corrupts the file.
 *
 * <p>The database is opened on the writer thread, not in the activation: opening H2 costs a few
 * hundred milliseconds of class loading, which would hold up the framework's start. Writes queue
 * up meanwhile; reads and {@link #flush} wait for it. A database that cannot be opened (a file
 * locked by another container, a newer schema) is logged once, with the reason; modreg then runs
 * without persistence, and reads say why.
 *
 * <p>Registered under {@link Database}: a service for the components of this bundle only.
 */
@Component(service = Database.class, immediate = true, configurationPid = Database.PID)
@Designate(ocd = DatabaseConfig.class)
public final class JdbcDatabase implements Database {

    private static final System.Logger LOG = System.getLogger(JdbcDatabase.class.getName());

    private final DataSourceFactory factory;
    private final Properties properties;
    private volatile DataSource dataSource;
    private Connection writer;
    private final java.util.concurrent.CountDownLatch opened = new java.util.concurrent.CountDownLatch(1);
    /** Why the database could not be opened; null if it was, or is being opened. */
    private volatile SQLException failure;
    private final String url;
    private final long interval;
    private final LinkedBlockingQueue<Work> queue = new LinkedBlockingQueue<>();
    private final List<Work> flushers = new CopyOnWriteArrayList<>();
    private volatile List<Integer> migrated = List.of();
    private final Thread thread;
    private volatile boolean closing;
    private volatile long lastFlush = System.nanoTime();

    @Activate
    public JdbcDatabase(BundleContext context, DatabaseConfig config, @Reference(name = "dataSourceFactory",
            target = "(osgi.jdbc.driver.class=org.h2.Driver)") DataSourceFactory factory) throws SQLException {
        this.url = config.url().isBlank() ? h2Url(context) : config.url();
        this.interval = Math.max(10, config.flush_interval());
        this.factory = factory;
        this.properties = new Properties();
        properties.setProperty(DataSourceFactory.JDBC_URL, url);
        properties.setProperty(DataSourceFactory.JDBC_USER, config.user());
        properties.setProperty(DataSourceFactory.JDBC_PASSWORD, config._password());
        this.thread = Threads.daemon(this::writeLoop, "modreg-db-writer");
        thread.start();
    }

    /** A file of H2's under the data directory; the options make every commit durable and leave closing to us. */
    private static String h2Url(BundleContext context) {
        String data = context.getProperty(org.modreg.api.ModuleRegistry.DATA_PROPERTY);
        Path dir = data != null ? Path.of(data, "db") : context.getDataFile("db").toPath();
        try {
            Files.createDirectories(dir);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot create the database directory " + dir, e);
        }
        // DB_CLOSE_ON_EXIT=FALSE: H2's own shutdown hook would close it before the framework's stop flushes.
        // MAX_COMPACT_TIME=0: H2 spends up to 200 ms compacting the file on close, most of a shutdown;
        // its background compaction while running keeps the file small enough for what modreg writes.
        return "jdbc:h2:file:" + dir.toAbsolutePath().resolve("modreg") + ";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0;MAX_COMPACT_TIME=0";
    }

    /** @return the JDBC URL */
    @Override
    public String url() {
        return url;
    }

    /** Writer thread: connects and migrates the schema. */
    private void open() {
        try {
            try {
                dataSource = factory.createDataSource(properties);
                writer = dataSource.getConnection();
                writer.setAutoCommit(false);
            } catch (SQLException e) {
                throw new SQLException("cannot open the modreg database " + url + ": " + e.getMessage(), e.getSQLState(), e);
            }
            try {
                migrated = Migrations.migrate(writer);
            } catch (SQLException e) {
                close(writer);
                throw e;
            }
            if (!migrated.isEmpty()) {
                // a new database is no news; an existing one migrated is
                LOG.log(migrated.contains(1) ? Level.DEBUG : Level.INFO, "database {0}: schema migrated to version {1}",
                        url, Migrations.latest());
            }
        } catch (SQLException | RuntimeException e) {
            failure = e instanceof SQLException se ? se : new SQLException(e.toString(), e);
            LOG.log(Level.ERROR, "modreg runs without its database (no statistics, records or audit trail kept): "
                    + failure.getMessage(), e);
            queue.clear();
        } finally {
            opened.countDown();
        }
    }

    /** Waits until the database is open (at most 60 s); false if it could not be opened. */
    private boolean awaitOpen() {
        try {
            if (!opened.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the modreg database " + url + " did not open within 60 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the database " + url + " opens", e);
        }
        return failure == null;
    }

    /** @return true if this start created the schema (a first start, or a database lost); waits for the open */
    @Override
    public boolean created() {
        awaitOpen();
        return migrated.contains(1);
    }

    /** Queues work for the writer, which writes it as soon as it is free. */
    @Override
    public void write(Work work) {
        if (failure != null) {
            return; // logged when the open failed
        }
        queue.add(work);
        java.util.concurrent.locks.LockSupport.unpark(thread);
    }

    /** Adds work done at every flush: counters write what changed since the last one. */
    @Override
    public void addFlusher(Work flusher) {
        flushers.add(flusher);
    }

    @Override
    public void removeFlusher(Work flusher) {
        flushers.remove(flusher);
    }

    /**
     * Writes what is queued and what the flushers have, now, and returns when it is committed:
     * before a read that must see every write, and at shutdown.
     */
    @Override
    public void flush() {
        if (awaitOpen()) {
            flush(true);
        }
    }

    /** Reads on a connection of its own. */
    @Override
    public <T> T read(Query<T> query) {
        if (!awaitOpen()) {
            throw new IllegalStateException("modreg runs without its database: " + failure.getMessage(), failure);
        }
        try (Connection c = dataSource.getConnection()) {
            return query.run(c);
        } catch (SQLException e) {
            throw new IllegalStateException("database " + url + ": " + e.getMessage(), e);
        }
    }

    private void writeLoop() {
        open();
        if (failure != null) {
            return;
        }
        while (!closing) {
            try {
                long left = TimeUnit.MILLISECONDS.toNanos(interval) - (System.nanoTime() - lastFlush);
                if (queue.isEmpty() && left > 0) {
                    java.util.concurrent.locks.LockSupport.parkNanos(this, left);
                }
                if (closing) {
                    return;
                }
                flush(System.nanoTime() - lastFlush >= TimeUnit.MILLISECONDS.toNanos(interval));
            } catch (RuntimeException e) {
                LOG.log(Level.ERROR, "database writer: " + e, e);
            }
        }
    }

    /** Drains and commits under the lock, so that writes land in the order they were queued. */
    private synchronized void flush(boolean withFlushers) {
        List<Work> batch = new ArrayList<>();
        queue.drainTo(batch);
        commit(batch, withFlushers);
    }

    /**
     * Writes a batch in one transaction. If that fails, each piece is tried in a transaction of its
     * own, so one bad row costs that row (logged), not the batch.
     */
    private void commit(List<Work> batch, boolean withFlushers) {
        List<Work> all = new ArrayList<>(batch);
        if (withFlushers) {
            all.addAll(flushers);
            lastFlush = System.nanoTime();
        }
        if (all.isEmpty()) {
            return;
        }
        try {
            for (Work w : all) {
                w.run(writer);
            }
            writer.commit();
            return;
        } catch (SQLException | RuntimeException e) {
            rollback();
            LOG.log(Level.WARNING, "database: a batch of {0} writes failed ({1}); writing them one by one", all.size(),
                    e.toString());
        }
        for (Work w : all) {
            try {
                w.run(writer);
                writer.commit();
            } catch (SQLException | RuntimeException e) {
                rollback();
                LOG.log(Level.ERROR, "database " + url + ": a write failed and is dropped: " + e, e);
            }
        }
    }

    private void rollback() {
        try {
            writer.rollback();
        } catch (SQLException e) {
            LOG.log(Level.ERROR, "database: rollback failed: {0}", e.toString());
        }
    }

    /** @return the database's state for the metrics and health: open, opening, unavailable (with why) or closed */
    @Override
    public org.modreg.api.dto.Metrics.DatabaseStatus status() {
        SQLException why = failure;
        String state = why != null ? "UNAVAILABLE" : closing ? "CLOSED" : opened.getCount() > 0 ? "OPENING" : "OPEN";
        return new org.modreg.api.dto.Metrics.DatabaseStatus(state, why != null ? why.getMessage() : url, queue.size());
    }

    @Deactivate
    public void deactivate() {
        closing = true;
        // unpark, never interrupt: an interrupt during file I/O closes H2's file channel under it
        java.util.concurrent.locks.LockSupport.unpark(thread);
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (opened.getCount() == 0 && failure == null) {
            flush(true);
            close(writer);
        }
    }

    private void close(Connection c) {
        try {
            if (url.startsWith("jdbc:h2:")) {
                try (var s = c.createStatement()) {
                    s.execute("SHUTDOWN"); // closes the file now; with DB_CLOSE_ON_EXIT=FALSE nothing else would
                }
            }
            c.close();
        } catch (SQLException e) {
            LOG.log(Level.WARNING, "closing the database {0}: {1}", url, e.toString());
        }
    }
}

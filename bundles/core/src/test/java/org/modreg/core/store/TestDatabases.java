package org.modreg.core.store;

import java.lang.annotation.Annotation;
import java.sql.SQLException;

import org.h2.util.OsgiDataSourceFactory;

/** Real H2 databases for unit tests, opened through H2's own DataSourceFactory as the container opens them. */
public final class TestDatabases {

    private TestDatabases() {
    }

    /** @return the configuration of a database at a JDBC URL, flushed every 50 ms */
    public static DatabaseConfig config(String url) {
        return new DatabaseConfig() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return DatabaseConfig.class;
            }

            @Override
            public String url() {
                return url;
            }

            @Override
            public String user() {
                return "sa";
            }

            @Override
            public String _password() {
                return "";
            }

            @Override
            public long flush_interval() {
                return 50;
            }

            @Override
            public String dataSourceFactory_target() {
                return "";
            }
        };
    }

    /** @return the database component over the database at a JDBC URL */
    public static JdbcDatabase open(String url) throws SQLException {
        return new JdbcDatabase(null, config(url), new OsgiDataSourceFactory(new org.h2.Driver()));
    }
}

package org.modreg.core.store;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration of modreg's database, PID {@value Database#PID}. */
@ObjectClassDefinition(
        name = "modreg database",
        description = "Where module records, statistics, version history and the audit trail are kept. The driver is "
                + "the DataSourceFactory service chosen by dataSourceFactory.target (H2 by default).")
public @interface DatabaseConfig {

    @AttributeDefinition(
            name = "JDBC URL",
            description = "Empty: an H2 file 'db/modreg' under the framework property modreg.data, or under the bundle's "
                    + "data area.")
    public String url() default "";

    @AttributeDefinition(name = "User")
    public String user() default "sa";

    @AttributeDefinition(name = "Password", type = AttributeType.PASSWORD)
    public String _password() default "";

    @AttributeDefinition(
            name = "Flush interval (ms)",
            description = "Counters and records are written together once per interval. A crash loses at most the last "
                    + "interval of counters; operations and their audit entries are written at once.",
            min = "10")
    public long flush_interval() default 1000;

    @AttributeDefinition(
            name = "DataSourceFactory target",
            description = "Filter selecting the JDBC driver's DataSourceFactory service.")
    public String dataSourceFactory_target() default "(osgi.jdbc.driver.class=org.h2.Driver)";
}

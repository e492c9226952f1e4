package org.modreg.http;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The HTTP plane's own settings, PID {@value ModregContext#PID}. The port, the address and
 * whether HTTP runs at all are Felix HTTP's, PID {@code org.apache.felix.http}
 * ({@code org.osgi.service.http.port}, {@code org.apache.felix.http.host},
 * {@code org.apache.felix.http.enable}).
 */
@ObjectClassDefinition(name = "modreg HTTP plane", description = "Authentication and limits of the management API")
public @interface PlaneConfig {

    @AttributeDefinition(description = "largest upload (a jar to install, check or deploy), in bytes")
    long upload_max() default 64L * 1024 * 1024;

    @AttributeDefinition(description = "whether administrators may run shell commands through /api/v1/commands")
    boolean commands_enabled() default true;

    @AttributeDefinition(description = "idle minutes after which an attached shell session is closed")
    int session_idle_minutes() default 30;
}

package org.modreg.core;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration of the module registry, PID {@value ModuleRegistryImpl#PID}. */
@ObjectClassDefinition(
        name = "modreg module registry",
        description = "How the registry runs lifecycle operations and keeps module content.")
public @interface RegistryConfig {

    @AttributeDefinition(
            name = "Lifecycle timeout (ms)",
            description = "Longest a start, stop, update, uninstall or refresh may take. A start that runs longer "
                    + "is interrupted and the module ends FAILED.",
            min = "1")
    long lifecycle_timeout() default 30_000;

    @AttributeDefinition(
            name = "Error history size",
            description = "How many errors each module keeps, newest last.",
            min = "1")
    int error_history_size() default 20;

    @AttributeDefinition(
            name = "Content store",
            description = "Directory of the jars the registry installed, named by SHA-256. Empty: 'content' under "
                    + "the framework property modreg.data, or under the bundle's data area. A change applies to the next "
                    + "install; the jars kept before stay where they are.")
    String content_store() default "";
}

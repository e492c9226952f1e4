package org.modreg.core.lifecycle;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Retention of kept versions and archived modules, PID {@value Lifecycle#PID}. */
@ObjectClassDefinition(
        name = "modreg retention",
        description = "How many versions of each module keep their bytes, and how long archived modules are kept.")
public @interface RetentionConfig {

    @AttributeDefinition(
            name = "Versions kept",
            description = "The bytes of the newest N versions of each module are kept to roll back to, besides the "
                    + "installed ones; older ones are removed from the content store.",
            min = "1")
    public int versions() default 5;

    @AttributeDefinition(
            name = "Archived days",
            description = "An archived module is deleted (uninstalled, its bytes removed) after this many days; 0 never.",
            min = "0")
    public int archived_days() default 30;
}

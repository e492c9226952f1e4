/**
 * The modreg API: the {@link org.modreg.api.ModuleRegistry} service, the module states,
 * the errors it raises and the Event Admin topics it publishes.
 *
 * <p>A <em>module</em> is an OSGi bundle seen through the registry: its record is derived
 * from the bundle manifest and the framework's live state; modreg adds no second manifest
 * format. Applications inside the container obtain the registry as an OSGi service; host
 * programs that embed the container obtain it from the runtime's {@code Container}.
 */
@Export
@Version("1.2.0")
package org.modreg.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

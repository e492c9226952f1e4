/**
 * Typed service-property annotations for plugin authors, so that nobody types modreg's property
 * names by hand.
 */
@Export
@Version("1.0.0")
package org.modreg.api.annotations;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

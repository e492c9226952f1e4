/** Compression plugin. */
@Capability(namespace = "modreg.capability", name = "compression", version = "2.0.0", attribute = "algorithm=gzip")
@Header(name = "Bundle-Category", value = "compression,plugin")
@Header(name = "Module-Type", value = "plugin")
package org.modreg.example.compress;

import org.osgi.annotation.bundle.Capability;
import org.osgi.annotation.bundle.Header;

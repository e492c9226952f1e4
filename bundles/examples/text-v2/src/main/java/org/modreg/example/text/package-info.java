/** Text processing plugin; also advertises its capability as a generic Provide-Capability. */
@Capability(namespace = "modreg.capability", name = "text-processing", version = "1.2.0")
@Header(name = "Bundle-Category", value = "text,plugin")
@Header(name = "Module-Type", value = "plugin")
package org.modreg.example.text;

import org.osgi.annotation.bundle.Capability;
import org.osgi.annotation.bundle.Header;

/** Markdown plugin. */
@Capability(namespace = "modreg.capability", name = "markdown", version = "1.0.0")
@Header(name = "Bundle-Category", value = "text,markdown,plugin")
@Header(name = "Module-Type", value = "plugin")
package org.modreg.example.markdown;

import org.osgi.annotation.bundle.Capability;
import org.osgi.annotation.bundle.Header;

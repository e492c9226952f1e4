/**
 * Needs felix utils' version package, which the container does not ship: it cannot resolve
 * until someone installs org.apache.felix.utils.
 */
@Header(name = "Bundle-Category", value = "example,broken")
@Header(name = "Module-Type", value = "plugin")
package org.modreg.example.unresolvable;

import org.osgi.annotation.bundle.Header;

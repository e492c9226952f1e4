/** The plugin contract of the examples. */
@Export
@Version("1.0.0")
package org.modreg.example.processor;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

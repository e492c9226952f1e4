/**
 * Plain data of the registry: module records and their parts. Every value is immutable and
 * safe to share between threads; collections are unmodifiable.
 */
@Export
@Version("1.3.0")
package org.modreg.api.dto;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

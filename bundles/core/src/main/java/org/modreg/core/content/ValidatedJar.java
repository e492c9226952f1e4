package org.modreg.core.content;

import java.nio.file.Path;
import java.util.Map;

import org.osgi.framework.Version;

/**
 * A jar that passed validation, staged in the content store.
 *
 * @param source         what errors call it
 * @param file           the staged file
 * @param id             Bundle-SymbolicName without directives
 * @param version        Bundle-Version
 * @param headers        the manifest's main attributes
 * @param digest         SHA-256, hex
 * @param size           bytes
 * @param compressedSize sum of the entries' compressed sizes
 */
public record ValidatedJar(String source, Path file, String id, Version version, Map<String, String> headers,
        String digest, long size, long compressedSize) {
}

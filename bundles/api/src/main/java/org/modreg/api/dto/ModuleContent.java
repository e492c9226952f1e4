package org.modreg.api.dto;

/**
 * The bytes of a module: what the registry knows of the jar.
 *
 * @param digest         SHA-256 of the jar, lower-case hex, or {@code null} when unknown
 *                       (installed by other means from a location the registry cannot read)
 * @param size           jar size in bytes, or {@code -1}
 * @param compressedSize sum of the compressed sizes of its entries, or {@code -1}
 * @param stored         path of the copy in the registry's content store, or {@code null}
 */
public record ModuleContent(String digest, long size, long compressedSize, String stored) {

    /** Nothing known. */
    public static final ModuleContent UNKNOWN = new ModuleContent(null, -1, -1, null);

    /** @return whether the digest is known */
    public boolean isKnown() {
        return digest != null;
    }
}

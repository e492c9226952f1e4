package org.modreg.api;

import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Where the bytes of a module come from: a file, a URL, or a stream.
 *
 * <p>A source has a {@linkplain #name() name} that every error about its content names, and a
 * {@linkplain #location() location} that becomes the bundle location in the framework. A file
 * or a URL can be read again (to {@linkplain ModuleRegistry#update(String) update} from it); a
 * stream is read once.
 *
 * @param name     what errors call this source: the file path, the URL, or a caller's name
 * @param location the bundle location: {@code file:} URI, the URL, or {@code stream:name}
 * @param path     the file, or {@code null}
 * @param uri      the URL, or {@code null}
 * @param stream   the stream, or {@code null}; the registry reads it to its end and closes it
 */
public record ModuleSource(String name, String location, Path path, URI uri, InputStream stream) {

    public ModuleSource {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(location, "location");
    }

    /**
     * A jar file.
     *
     * @param file the jar
     * @return the source
     */
    public static ModuleSource of(Path file) {
        Path abs = file.toAbsolutePath().normalize();
        return new ModuleSource(abs.toString(), abs.toUri().toString(), abs, null, null);
    }

    /**
     * A URL the registry reads the jar from ({@code file:}, {@code http:}, {@code https:}, or
     * any scheme the JVM or the framework can open).
     *
     * @param uri the URL
     * @return the source
     */
    public static ModuleSource of(URI uri) {
        if ("file".equalsIgnoreCase(uri.getScheme())) {
            // a fragment (the deployer marks its locations with one) is not part of the file
            return of(Path.of(URI.create(uri.getScheme() + ":" + uri.getRawSchemeSpecificPart())));
        }
        return new ModuleSource(uri.toString(), uri.toString(), null, uri, null);
    }

    /**
     * A stream of jar bytes.
     *
     * @param name what errors call it, also used in its location {@code stream:name}
     * @param in   the bytes; read to the end and closed by the registry
     * @return the source
     */
    public static ModuleSource of(String name, InputStream in) {
        Objects.requireNonNull(in, "in");
        return new ModuleSource(name, "stream:" + name, null, null, in);
    }

    /**
     * A path or a URL as an operator types it: a URL when {@link #isUrl(String)}, otherwise a file
     * path.
     *
     * @param pathOrUrl the text
     * @return the source
     */
    public static ModuleSource parse(String pathOrUrl) {
        return isUrl(pathOrUrl) ? of(URI.create(pathOrUrl)) : of(Path.of(pathOrUrl));
    }

    /**
     * Whether text an operator typed is a URL rather than a file path: it starts with a URI scheme
     * of two characters or more ({@code file:}, {@code http:}, {@code mvn:}, RFC 3986: a letter,
     * then letters, digits, {@code +}, {@code -} or {@code .}) and a colon. A one-letter scheme is a
     * Windows drive ({@code C:\x.jar}), a path. Module references (id, id/version, bundle id) never
     * contain a colon, so no reference is taken for a URL.
     *
     * @param text a path, a URL, or a module reference
     * @return whether it is a URL
     */
    public static boolean isUrl(String text) {
        int colon = text.indexOf(':');
        if (colon < 2 || !asciiLetter(text.charAt(0))) {
            return false;
        }
        for (int i = 1; i < colon; i++) {
            char c = text.charAt(i);
            if (!asciiLetter(c) && !(c >= '0' && c <= '9') && c != '+' && c != '-' && c != '.') {
                return false;
            }
        }
        return true;
    }

    private static boolean asciiLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    /** @return whether the bytes can be read again from this source */
    public boolean isRepeatable() {
        return stream == null;
    }
}

package org.modreg.core.content;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

import org.apache.felix.utils.resource.ResourceBuilder;
import org.modreg.api.InvalidModuleException;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.Version;

/**
 * Checks a staged jar before anything is installed: each problem gets its own message naming the
 * file. Header syntax is checked with felix utils' {@link ResourceBuilder}, the parser the Felix
 * tooling uses, one header at a time so that the message can name the header.
 */
public final class JarValidator {

    /** Headers whose syntax the framework parses at install; each is checked on its own. */
    private static final List<String> PARSED_HEADERS = List.of(
            Constants.IMPORT_PACKAGE, Constants.EXPORT_PACKAGE, Constants.DYNAMICIMPORT_PACKAGE,
            Constants.REQUIRE_BUNDLE, Constants.FRAGMENT_HOST, Constants.REQUIRE_CAPABILITY,
            Constants.PROVIDE_CAPABILITY, Constants.BUNDLE_ACTIVATIONPOLICY);

    private JarValidator() {
    }

    /**
     * @param source what errors call the jar
     * @param file   the jar, already complete on disk
     * @param digest its SHA-256
     * @param size   its size
     * @return the validated jar
     * @throws InvalidModuleException naming the source and the problem
     */
    public static ValidatedJar validate(String source, Path file, String digest, long size) {
        if (size == 0) {
            throw new InvalidModuleException(source, "empty file (0 bytes), not a jar");
        }
        Map<String, String> headers;
        long compressed = 0;
        try (ZipFile zip = new ZipFile(file.toFile())) {
            ZipEntry mf = zip.getEntry(JarFile.MANIFEST_NAME);
            if (mf == null) {
                throw new InvalidModuleException(source, "no manifest (META-INF/MANIFEST.MF): not an OSGi bundle");
            }
            try (InputStream in = zip.getInputStream(mf)) {
                headers = headers(new Manifest(in));
            } catch (IOException | RuntimeException e) {
                throw new InvalidModuleException(source, "the manifest cannot be read: " + e.getMessage(), e);
            }
            for (Enumeration<? extends ZipEntry> en = zip.entries(); en.hasMoreElements();) {
                long c = en.nextElement().getCompressedSize();
                compressed += Math.max(c, 0);
            }
        } catch (ZipException e) {
            throw new InvalidModuleException(source, "not a zip or jar archive (" + e.getMessage() + ")", e);
        } catch (IOException e) {
            throw new InvalidModuleException(source, "cannot be read: " + e.getMessage(), e);
        }

        String mv = headers.get(Constants.BUNDLE_MANIFESTVERSION);
        String bsnHeader = headers.get(Constants.BUNDLE_SYMBOLICNAME);
        if (bsnHeader == null || bsnHeader.isBlank()) {
            throw new InvalidModuleException(source, "no Bundle-SymbolicName header: not an OSGi bundle");
        }
        if (mv == null || !mv.trim().equals("2")) {
            throw new InvalidModuleException(source, "Bundle-ManifestVersion must be 2"
                    + (mv == null ? " but the header is missing" : ", found \"" + mv + "\""));
        }
        String id = bsnHeader.split(";", 2)[0].trim();
        String versionHeader = headers.get(Constants.BUNDLE_VERSION);
        Version version;
        try {
            version = versionHeader == null ? Version.emptyVersion : Version.parseVersion(versionHeader.trim());
        } catch (IllegalArgumentException e) {
            throw new InvalidModuleException(source,
                    "invalid Bundle-Version \"" + versionHeader + "\": " + e.getMessage(), e);
        }
        checkSyntax(source, headers, Constants.BUNDLE_SYMBOLICNAME, Map.of());
        for (String header : PARSED_HEADERS) {
            String value = headers.get(header);
            if (value != null) {
                checkSyntax(source, headers, header, Map.of(header, value));
            }
        }
        return new ValidatedJar(source, file, id, version, Map.copyOf(headers), digest, size, compressed);
    }

    private static void checkSyntax(String source, Map<String, String> all, String header, Map<String, String> extra) {
        Map<String, String> probe = new LinkedHashMap<>();
        probe.put(Constants.BUNDLE_MANIFESTVERSION, "2");
        probe.put(Constants.BUNDLE_SYMBOLICNAME, all.get(Constants.BUNDLE_SYMBOLICNAME));
        probe.putAll(extra);
        try {
            ResourceBuilder.build(null, probe);
        } catch (BundleException | RuntimeException e) {
            throw new InvalidModuleException(source, "malformed " + header + " header: " + e.getMessage(), e);
        }
    }

    private static Map<String, String> headers(Manifest manifest) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (Map.Entry<Object, Object> e : manifest.getMainAttributes().entrySet()) {
            headers.put(((Attributes.Name) e.getKey()).toString(), (String) e.getValue());
        }
        return headers;
    }
}

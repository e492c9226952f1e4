package org.modreg.core;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;

import org.modreg.api.InvalidModuleException;
import org.modreg.api.ModuleSource;
import org.modreg.api.dto.ModuleContent;

/**
 * Keeps the bytes of installed modules by SHA-256 ({@code <digest>.jar}), and which bundle was
 * installed from which digest. Bytes are first staged to a temporary file while the digest is
 * computed, so that a jar is validated on a complete, private copy that no one else writes.
 */
final class ContentStore {

    private static final String INDEX = "bundles.properties";

    private final Path dir;
    private final Map<Long, ModuleContent> byBundle = new ConcurrentHashMap<>();
    /** Writes the index off the caller's thread, once for a burst of changes; null writes at once. */
    private final java.util.concurrent.Executor writer;
    private final java.util.concurrent.atomic.AtomicBoolean dirty = new java.util.concurrent.atomic.AtomicBoolean();

    ContentStore(Path dir) {
        this(dir, null);
    }

    /**
     * @param dir    the store's directory
     * @param writer where the index is written after changes; a burst of installs writes it once
     */
    ContentStore(Path dir, java.util.concurrent.Executor writer) {
        this.dir = dir;
        this.writer = writer;
        try {
            Files.createDirectories(dir);
            load();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the content store " + dir, e);
        }
    }

    Path dir() {
        return dir;
    }

    /** A staged copy of a source, with its digest; delete it if it is not {@linkplain #commit committed}. */
    record Staged(Path file, String digest, long size) {
        void discard() {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // a temporary file left behind is removed at the next start
            }
        }
    }

    /**
     * Copies a source into a temporary file of the store, computing its digest.
     *
     * @throws InvalidModuleException if the source cannot be read
     */
    Staged stage(ModuleSource source) {
        Path tmp;
        try {
            tmp = Files.createTempFile(dir, "staging-", ".tmp");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write to the content store " + dir, e);
        }
        MessageDigest sha = sha256();
        try (InputStream raw = open(source); InputStream in = new DigestInputStream(raw, sha);
                OutputStream out = Files.newOutputStream(tmp)) {
            long size = in.transferTo(out);
            return new Staged(tmp, HexFormat.of().formatHex(sha.digest()), size);
        } catch (NoSuchFileException e) {
            discard(tmp);
            throw new InvalidModuleException(source.name(), "no such file", e);
        } catch (IOException e) {
            discard(tmp);
            throw new InvalidModuleException(source.name(), "cannot be read: " + e, e);
        }
    }

    /** Opens a source's bytes: its stream, its file, or its URL. */
    static InputStream open(ModuleSource source) throws IOException {
        if (source.stream() != null) {
            return source.stream();
        }
        if (source.path() != null) {
            return Files.newInputStream(source.path());
        }
        return new URL(source.location()).openStream();
    }

    /** Moves a validated staged file to its place by digest and returns that place. */
    Path commit(Staged staged) {
        Path target = dir.resolve(staged.digest() + ".jar");
        try {
            if (Files.exists(target)) {
                Files.delete(staged.file());
            } else {
                try {
                    Files.move(staged.file(), target, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(staged.file(), target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store " + staged.digest() + " in " + dir, e);
        }
        return target;
    }

    ModuleContent content(long bundleId) {
        return byBundle.getOrDefault(bundleId, ModuleContent.UNKNOWN);
    }

    void put(long bundleId, ModuleContent content) {
        byBundle.put(bundleId, content);
        changed();
    }

    void remove(long bundleId) {
        if (byBundle.remove(bundleId) != null) {
            changed();
        }
    }

    private void changed() {
        if (writer == null) {
            flush();
        } else if (dirty.compareAndSet(false, true)) {
            writer.execute(this::flush);
        }
    }

    /** Writes the index now if it changed (at shutdown, and after each burst of changes). */
    synchronized void flush() {
        dirty.set(false);
        save();
    }

    /** Computes the digest and sizes of a readable file, for bundles installed by other means. */
    static ModuleContent describe(Path file) throws IOException {
        String digest = digest(file);
        long size = Files.size(file);
        long compressed = 0;
        try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(file.toFile())) {
            for (var en = zip.entries(); en.hasMoreElements();) {
                compressed += Math.max(en.nextElement().getCompressedSize(), 0);
            }
        } catch (IOException notAZip) {
            compressed = -1;
        }
        return new ModuleContent(digest, size, compressed, null);
    }

    /** @return the SHA-256 of a file, hex */
    static String digest(Path file) throws IOException {
        MessageDigest sha = sha256();
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), sha)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    private void load() throws IOException {
        try (var stale = Files.newDirectoryStream(dir, "staging-*.tmp")) {
            for (Path p : stale) {
                Files.deleteIfExists(p); // left by a crash during a copy
            }
        }
        Path index = dir.resolve(INDEX);
        if (!Files.exists(index)) {
            return;
        }
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(index)) {
            p.load(in);
        }
        for (String key : p.stringPropertyNames()) {
            String[] v = p.getProperty(key).split(",", 3);
            if (v.length == 3) {
                byBundle.put(Long.parseLong(key), new ModuleContent(v[0], Long.parseLong(v[1]), Long.parseLong(v[2]),
                        dir.resolve(v[0] + ".jar").toString()));
            }
        }
    }

    private void save() {
        Properties p = new Properties();
        byBundle.forEach((id, c) -> p.setProperty(Long.toString(id), c.digest() + "," + c.size() + "," + c.compressedSize()));
        Path tmp = dir.resolve(INDEX + ".tmp");
        try {
            try (OutputStream out = Files.newOutputStream(tmp)) {
                p.store(out, "bundle id = sha256,size,compressed size");
            }
            Files.move(tmp, dir.resolve(INDEX), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the content index in " + dir, e);
        }
    }

    private static void discard(Path tmp) {
        try {
            Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
            // removed at the next start
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }
}

package org.modreg.core.content;

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
import java.util.HashMap;

import org.modreg.api.InvalidModuleException;
import org.modreg.api.ModuleSource;
import org.modreg.api.dto.ModuleContent;

/**
 * Keeps the bytes of installed modules by SHA-256 ({@code <digest>.jar}). Bytes are first staged
 * to a temporary file while the digest is computed, so that a jar is validated on a complete,
 * private copy that no one else writes. Which bundle came from which digest is part of the
 * module records, in the database.
 */
public final class ContentStore {

    /** The index of bundle ids to digests that versions before the database kept. */
    private static final String LEGACY_INDEX = "bundles.properties";

    private static final System.Logger LOG = System.getLogger(ContentStore.class.getName());

    private final Path dir;
    /** Digests committed and not yet kept or released: what a refusal after the commit may remove. */
    private final Map<String, Hold> held = new HashMap<>();

    public ContentStore(Path dir) {
        this.dir = dir;
        try {
            Files.createDirectories(dir);
            removeStaging();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the content store " + dir, e);
        }
    }

    public Path dir() {
        return dir;
    }

    /** A staged copy of a source, with its digest; delete it if it is not {@linkplain #commit committed}. */
    public record Staged(Path file, String digest, long size) {
        public void discard() {
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
    public Staged stage(ModuleSource source) {
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
    public static InputStream open(ModuleSource source) throws IOException {
        if (source.stream() != null) {
            return source.stream();
        }
        if (source.path() != null) {
            return Files.newInputStream(source.path());
        }
        return new URL(source.location()).openStream();
    }

    /**
     * Moves a validated staged file to its place by digest and returns that place. The commit holds
     * the bytes until {@link #keep} or {@link #release}: a step after it may still refuse them.
     */
    public Path commit(Staged staged) {
        Path target = dir.resolve(staged.digest() + ".jar");
        synchronized (held) {
            Hold h = held.computeIfAbsent(staged.digest(), d -> new Hold());
            try {
                if (Files.exists(target)) {
                    Files.delete(staged.file());
                } else {
                    try {
                        Files.move(staged.file(), target, StandardCopyOption.ATOMIC_MOVE);
                    } catch (AtomicMoveNotSupportedException e) {
                        Files.move(staged.file(), target, StandardCopyOption.REPLACE_EXISTING);
                    }
                    h.added = true;
                }
            } catch (IOException e) {
                if (h.holders == 0) {
                    held.remove(staged.digest());
                }
                throw new UncheckedIOException("cannot store " + staged.digest() + " in " + dir, e);
            }
            h.holders++;
        }
        return target;
    }

    /** The committed bytes of this digest stay: the step after the commit took them. */
    public void keep(String digest) {
        synchronized (held) {
            Hold h = held.get(digest);
            if (h != null) {
                h.added = false; // a release by another holder must not delete them now
                if (--h.holders == 0) {
                    held.remove(digest);
                }
            }
        }
    }

    /**
     * The committed bytes of this digest were refused after the commit: they are deleted if a
     * commit added them and no other commit holds them still, so that nothing is stored when a step
     * refuses. Bytes that were in the store before (a kept version's) stay.
     */
    public void release(String digest) {
        synchronized (held) {
            Hold h = held.get(digest);
            if (h == null || --h.holders > 0) {
                return;
            }
            held.remove(digest);
            if (h.added) {
                try {
                    Files.deleteIfExists(dir.resolve(digest + ".jar"));
                } catch (IOException e) {
                    LOG.log(System.Logger.Level.WARNING, "cannot remove the refused " + digest + " from " + dir + ": " + e);
                }
            }
        }
    }

    /** Commits of a digest not yet kept or released, and whether one of them added the bytes. */
    private static final class Hold {
        int holders;
        boolean added;
    }

    /** Computes the digest and sizes of a readable file, for bundles installed by other means. */
    public static ModuleContent describe(Path file) throws IOException {
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
    public static String digest(Path file) throws IOException {
        MessageDigest sha = sha256();
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), sha)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    private void removeStaging() throws IOException {
        try (var stale = Files.newDirectoryStream(dir, "staging-*.tmp")) {
            for (Path p : stale) {
                Files.deleteIfExists(p); // left by a crash during a copy
            }
        }
    }

    /**
     * The bundle id to content index of the version before the database, if there is one; it is
     * renamed once read, so it is imported once.
     */
    public Map<Long, ModuleContent> legacyIndex() {
        Path index = dir.resolve(LEGACY_INDEX);
        Map<Long, ModuleContent> out = new HashMap<>();
        if (!Files.exists(index)) {
            return out;
        }
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(index)) {
            p.load(in);
            for (String key : p.stringPropertyNames()) {
                String[] v = p.getProperty(key).split(",", 3);
                if (v.length == 3) {
                    out.put(Long.parseLong(key), new ModuleContent(v[0], Long.parseLong(v[1]), Long.parseLong(v[2]),
                            dir.resolve(v[0] + ".jar").toString()));
                }
            }
            Files.move(index, dir.resolve(LEGACY_INDEX + ".imported"), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | NumberFormatException e) {
            throw new IllegalStateException("cannot import the old content index " + index + ": " + e, e);
        }
        return out;
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

package org.modreg.http;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Password hashes for the users of the HTTP plane: PBKDF2 with HMAC-SHA256 from the JDK, a random
 * salt, 210,000 iterations (OWASP's figure for it), written as
 * {@code pbkdf2-sha256$ITERATIONS$SALT$HASH} with the salt and hash in Base64. A configuration
 * holds only such a hash, never the password.
 *
 * <p>{@code ./modreg --hash-password} runs {@link #main} (this class needs nothing but the JDK,
 * so the launcher loads it from the bundle's jar).
 */
public final class PasswordHash {

    static final String SCHEME = "pbkdf2-sha256";
    static final int ITERATIONS = 210_000;

    private PasswordHash() {
    }

    /** @return a new hash of the password, with a fresh salt */
    public static String hash(char[] password) {
        byte[] salt = new byte[16];
        new SecureRandom().nextBytes(salt);
        return SCHEME + "$" + ITERATIONS + "$" + b64(salt) + "$" + b64(derive(password, salt, ITERATIONS));
    }

    /**
     * @param hash a hash as {@link #hash} writes it
     * @return whether it is one (and not, say, a password in plain text)
     */
    public static boolean isHash(String hash) {
        try {
            parse(hash);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * @return whether the password matches the hash, compared in constant time
     * @throws IllegalArgumentException if the hash is not one
     */
    public static boolean verify(char[] password, String hash) {
        Object[] p = parse(hash);
        byte[] expected = (byte[]) p[2];
        return MessageDigest.isEqual(expected, derive(password, (byte[]) p[1], (Integer) p[0]));
    }

    private static Object[] parse(String hash) {
        String[] parts = hash == null ? new String[0] : hash.split("\\$");
        if (parts.length != 4 || !parts[0].equals(SCHEME)) {
            throw new IllegalArgumentException("not a password hash: expected " + SCHEME + "$ITERATIONS$SALT$HASH"
                    + " (make one with ./modreg --hash-password)");
        }
        try {
            int iterations = Integer.parseInt(parts[1]);
            if (iterations < 1) {
                throw new NumberFormatException();
            }
            return new Object[] { iterations, Base64.getDecoder().decode(parts[2]), Base64.getDecoder().decode(parts[3]) };
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a password hash: bad iterations, salt or hash");
        }
    }

    private static byte[] derive(char[] password, byte[] salt, int iterations) {
        try {
            PBEKeySpec spec = new PBEKeySpec(password, salt, iterations, 256);
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 is not available: " + e, e);
        }
    }

    private static String b64(byte[] b) {
        return Base64.getEncoder().encodeToString(b);
    }

    /** Reads a password (from the console without echo, or one line of standard input) and prints its hash. */
    public static void main(String[] args) throws java.io.IOException {
        char[] password;
        java.io.Console console = System.console();
        if (console != null) {
            password = console.readPassword("Password: ");
            char[] again = console.readPassword("Again: ");
            if (password == null || again == null || !java.util.Arrays.equals(password, again)) {
                System.err.println("modreg: the passwords differ");
                System.exit(1);
            }
        } else {
            String line = new java.io.BufferedReader(new java.io.InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            password = line == null ? new char[0] : line.toCharArray();
        }
        if (password.length == 0) {
            System.err.println("modreg: an empty password");
            System.exit(1);
        }
        System.out.println(hash(password));
    }
}

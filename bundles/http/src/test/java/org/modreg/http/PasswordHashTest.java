package org.modreg.http;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PasswordHashTest {

    @Test
    void aHashVerifiesItsPasswordAndNoOther() {
        String h = PasswordHash.hash("correct horse".toCharArray());
        assertTrue(h.startsWith("pbkdf2-sha256$210000$"), h);
        assertTrue(PasswordHash.isHash(h));
        assertTrue(PasswordHash.verify("correct horse".toCharArray(), h));
        assertFalse(PasswordHash.verify("correct horse ".toCharArray(), h));
        assertFalse(PasswordHash.verify(new char[0], h));
    }

    @Test
    void theSamePasswordHashesDifferentlyEachTime() {
        assertNotEquals(PasswordHash.hash("x".toCharArray()), PasswordHash.hash("x".toCharArray()));
    }

    @Test
    void aPasswordInPlainTextIsNoHash() {
        assertFalse(PasswordHash.isHash("secret"));
        assertFalse(PasswordHash.isHash(null));
        assertFalse(PasswordHash.isHash("pbkdf2-sha256$0$AAAA$AAAA"));
        assertFalse(PasswordHash.isHash("pbkdf2-sha256$x$AAAA$AAAA"));
        assertFalse(PasswordHash.isHash("md5$1$AAAA$AAAA"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PasswordHash.verify("secret".toCharArray(), "secret"));
        assertTrue(e.getMessage().contains("--hash-password"), e.getMessage());
    }
}

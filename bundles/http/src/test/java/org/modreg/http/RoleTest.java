package org.modreg.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RoleTest {

    @Test
    void eachRoleIncludesTheOnesBeforeIt() {
        assertTrue(Role.ADMIN.includes(Role.OPERATOR));
        assertTrue(Role.ADMIN.includes(Role.VIEWER));
        assertTrue(Role.OPERATOR.includes(Role.VIEWER));
        assertTrue(Role.OPERATOR.includes(Role.OPERATOR));
        assertFalse(Role.VIEWER.includes(Role.OPERATOR));
        assertFalse(Role.OPERATOR.includes(Role.ADMIN));
    }

    @Test
    void rolesAreNamedInAnyCaseAndAnUnknownOneIsRefused() {
        assertEquals(Role.OPERATOR, Role.parse(" Operator "));
        assertEquals("admin", Role.ADMIN.toString());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Role.parse("root"));
        assertEquals("no role \"root\": viewer, operator or admin", e.getMessage());
    }

    @Test
    void theEndpointIsTheFirstHttpUrlWithoutItsSlash() {
        assertEquals("http://127.0.0.1:8181", Endpoint.url(new String[] { "http://127.0.0.1:8181/" }));
        assertEquals("http://[::1]:9000", Endpoint.url(java.util.List.of("ftp://x/", "http://[::1]:9000/")));
        assertEquals(null, Endpoint.url(null));
    }
}

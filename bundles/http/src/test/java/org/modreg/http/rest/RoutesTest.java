package org.modreg.http.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.modreg.http.Role;

class RoutesTest {

    private final Routes routes = new Routes()
            .add("GET", "/modules", Role.VIEWER, "list", null, x -> "list")
            .add("GET", "/modules/{ref}", Role.VIEWER, "one", null, x -> "one")
            .add("DELETE", "/modules/{ref}", Role.OPERATOR, "uninstall", null, x -> "uninstall")
            .add("POST", "/modules/{ref}/start", Role.OPERATOR, "start", null, x -> "start")
            .add("GET", "/openapi.json", Role.VIEWER, "doc", null, x -> "doc");

    @Test
    void aPathMatchesItsTemplateWithItsParametersDecoded() {
        Routes.Match m = routes.match("GET", "/modules/org.acme%2Bx");
        assertEquals("/modules/{ref}", m.route().template());
        assertEquals(Map.of("ref", "org.acme+x"), m.params());
        assertEquals("/modules/{ref}/start", routes.match("POST", "/modules/12/start").route().template());
        assertEquals(java.util.List.of("ref"), m.route().pathParams());
    }

    @Test
    void anotherMethodOnAKnownPathSaysWhichAreAllowed() {
        Routes.Match m = routes.match("PUT", "/modules/12");
        assertNull(m.route());
        assertEquals(Set.of("GET", "DELETE"), m.allowed());
    }

    @Test
    void anUnknownPathMatchesNothing() {
        Routes.Match m = routes.match("GET", "/modules/12/nothing");
        assertNull(m.route());
        assertEquals(Set.of(), m.allowed());
        // a dot in a template is a dot, not any character
        assertNull(routes.match("GET", "/openapiXjson").route());
    }

    @Test
    void theSinceFormsAreTheShells() {
        java.time.Instant now = java.time.Instant.now();
        java.time.Instant twoHours = ContainerRoutes.since("2h");
        assertEquals(7200, java.time.Duration.between(twoHours, now).getSeconds(), 2);
        assertEquals(java.time.LocalDate.parse("2026-11-26").atStartOfDay(java.time.ZoneId.systemDefault()).toInstant(),
                ContainerRoutes.since("2026-11-26"));
        assertNull(ContainerRoutes.since(null));
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> ContainerRoutes.since("yesterday"));
        assertEquals("since yesterday: not a date (2026-11-26), a date and time (2026-11-26T14:30) or a time back (30m, 2h, 7d)",
                e.getMessage());
    }
}

package org.modreg.core.audit;

import org.osgi.framework.Bundle;
import org.osgi.framework.Constants;

/**
 * Who asked for an operation, as the audit trail names it: a door ({@code shell}, {@code deploy},
 * {@code host}, {@code http}, {@code api:<bundle>}), or a user behind one ({@code http:alice}).
 * Names only: the origin of an operation travels with it as a parameter (the registry's
 * {@code Call}), never beside it.
 */
public final class Origin {

    /** The Gogo commands. */
    public static final String SHELL = "shell";
    /** The deploy directory. */
    public static final String DEPLOY = "deploy";
    /** A program embedding the container, through the system bundle's context. */
    public static final String HOST = "host";
    /** A difference between the records and the framework, found at start. */
    public static final String FRAMEWORK = "framework";
    /** The HTTP plane, for calls it makes for no user it knows; its users' calls are {@code http:<user>}. */
    public static final String HTTP = "http";
    /** A caller no one named. */
    public static final String API = "api";

    private static final String SHELL_BUNDLE = "org.modreg.shell";
    private static final String HTTP_BUNDLE = "org.modreg.http";

    private Origin() {
    }

    /** @return the origin a door asked to be audited under ({@code as(origin)} of the services) */
    public static String checked(String origin) {
        if (origin == null || origin.isBlank()) {
            throw new IllegalArgumentException("an origin must not be blank");
        }
        return origin.strip();
    }

    /** @return the door of an origin: {@code http} of {@code http:alice}, {@code api} of {@code api:org.acme} */
    public static String door(String origin) {
        int colon = origin == null ? -1 : origin.indexOf(':');
        return origin == null ? API : colon < 0 ? origin : origin.substring(0, colon);
    }

    /** @return the origin of calls made by a bundle through its service object */
    public static String of(Bundle caller) {
        if (caller == null) {
            return API;
        }
        if (caller.getBundleId() == 0 || Constants.SYSTEM_BUNDLE_LOCATION.equals(caller.getLocation())) {
            return HOST;
        }
        String bsn = caller.getSymbolicName();
        return SHELL_BUNDLE.equals(bsn) ? SHELL : HTTP_BUNDLE.equals(bsn) ? HTTP : "api:" + bsn;
    }
}

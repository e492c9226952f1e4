package org.modreg.core.audit;

import org.modreg.core.RegistryView;
import org.modreg.core.deploy.DeployerView;

import java.util.function.Supplier;

import org.osgi.framework.Bundle;
import org.osgi.framework.Constants;

/**
 * Who asked for the operation running on this thread, for the audit trail. The bundle-scoped
 * services ({@link RegistryView}, {@link DeployerView}) know their caller and set it around each
 * call; the deployer sets {@link #DEPLOY} for what it finds in its directory.
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

    private static final String SHELL_BUNDLE = "org.modreg.shell";
    private static final String HTTP_BUNDLE = "org.modreg.http";
    private static final ThreadLocal<String> CURRENT = new ThreadLocal<>();

    private Origin() {
    }

    /** @return the origin of the operation on this thread; {@code api} if no one said */
    public static String current() {
        String o = CURRENT.get();
        return o == null ? "api" : o;
    }

    /** Runs an action as the given origin; an origin set further out wins (the shell's deploy stays the shell's). */
    public static <T> T as(String origin, Supplier<T> action) {
        String outer = CURRENT.get();
        if (outer != null) {
            return action.get();
        }
        CURRENT.set(origin);
        try {
            return action.get();
        } finally {
            CURRENT.remove();
        }
    }

    private static final ThreadLocal<String> OPERATION = new ThreadLocal<>();

    /** @return the operation to audit an update under: {@code rollback} when one runs on this thread */
    public static String operation(String otherwise) {
        String o = OPERATION.get();
        return o == null ? otherwise : o;
    }

    /** Runs an action whose updates are audited as the given operation (a rollback through the deploy directory). */
    public static <T> T asOperation(String operation, Supplier<T> action) {
        return with(OPERATION, operation, action);
    }

    /** Runs an action as the deploy directory's, whatever origin is set further out (a scan of the directory). */
    public static <T> T asDirectory(Supplier<T> action) {
        return with(CURRENT, DEPLOY, action);
    }

    /** Sets a thread-local for the time of an action, and puts back what it was. */
    private static <T> T with(ThreadLocal<String> local, String value, Supplier<T> action) {
        String outer = local.get();
        local.set(value);
        try {
            return action.get();
        } finally {
            if (outer == null) {
                local.remove();
            } else {
                local.set(outer);
            }
        }
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
        return origin == null ? "api" : colon < 0 ? origin : origin.substring(0, colon);
    }

    /** @return the origin of calls made by a bundle through its service object */
    public static String of(Bundle caller) {
        if (caller == null) {
            return "api";
        }
        if (caller.getBundleId() == 0 || Constants.SYSTEM_BUNDLE_LOCATION.equals(caller.getLocation())) {
            return HOST;
        }
        String bsn = caller.getSymbolicName();
        return SHELL_BUNDLE.equals(bsn) ? SHELL : HTTP_BUNDLE.equals(bsn) ? HTTP : "api:" + bsn;
    }
}

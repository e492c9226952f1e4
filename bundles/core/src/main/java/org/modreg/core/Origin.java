package org.modreg.core;

import java.util.function.Supplier;

import org.osgi.framework.Bundle;
import org.osgi.framework.Constants;

/**
 * Who asked for the operation running on this thread, for the audit trail. The bundle-scoped
 * services ({@link RegistryView}, {@link DeployerView}) know their caller and set it around each
 * call; the deployer sets {@link #DEPLOY} for what it finds in its directory.
 */
final class Origin {

    /** The Gogo commands. */
    static final String SHELL = "shell";
    /** The deploy directory. */
    static final String DEPLOY = "deploy";
    /** A program embedding the container, through the system bundle's context. */
    static final String HOST = "host";
    /** A difference between the records and the framework, found at start. */
    static final String FRAMEWORK = "framework";

    private static final String SHELL_BUNDLE = "org.modreg.shell";
    private static final ThreadLocal<String> CURRENT = new ThreadLocal<>();

    private Origin() {
    }

    /** @return the origin of the operation on this thread; {@code api} if no one said */
    static String current() {
        String o = CURRENT.get();
        return o == null ? "api" : o;
    }

    /** Runs an action as the given origin; an origin set further out wins (the shell's deploy stays the shell's). */
    static <T> T as(String origin, Supplier<T> action) {
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

    /** @return the origin of calls made by a bundle through its service object */
    static String of(Bundle caller) {
        if (caller == null) {
            return "api";
        }
        if (caller.getBundleId() == 0 || Constants.SYSTEM_BUNDLE_LOCATION.equals(caller.getLocation())) {
            return HOST;
        }
        String bsn = caller.getSymbolicName();
        return SHELL_BUNDLE.equals(bsn) ? SHELL : "api:" + bsn;
    }
}

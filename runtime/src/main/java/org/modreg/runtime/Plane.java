package org.modreg.runtime;

import java.time.Duration;
import java.util.Optional;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Filter;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.startlevel.FrameworkStartLevel;

/**
 * The HTTP plane's place in the container's start: its boot bundles (Jetty, JSON, metrics,
 * health checks, modreg's servlets) sit at a start level of their own, above the modules, raised
 * once the modules are started, so that a shell is usable while the plane comes up; never raised
 * when HTTP is off.
 */
final class Plane {

    /** The plane's start level: after the boot bundles (1) and the modules (2). */
    static final int START_LEVEL = 3;
    /** Framework property: who raises the framework to the plane's level (shell, launcher or never); the profile reads it. */
    static final String START_PROPERTY = "modreg.plane.start";
    /** With an interactive shell, the longest wait for its profile to start the plane. */
    static final long FALLBACK_MS = 3_000;

    private Plane() {
    }

    /** @return whether a boot bundle is part of the HTTP plane (or only the plane needs it) */
    static boolean member(String bsn) {
        return bsn != null && (bsn.startsWith("org.apache.felix.http.") || bsn.equals("org.modreg.http")
                || bsn.equals("org.ops4j.pax.logging.pax-logging-api")
                || bsn.startsWith("com.fasterxml.jackson.") || bsn.startsWith("io.prometheus.")
                || bsn.startsWith("org.apache.felix.healthcheck.") || bsn.equals("org.apache.commons.commons-fileupload")
                || bsn.equals("org.apache.commons.commons-io") || bsn.equals("org.jsr-305"));
    }

    /**
     * Raises the framework to the plane's level, on the framework's start-level thread, while
     * the caller goes on; with an interactive shell, once its first prompt is drawn (the profile
     * raises the level), so that the two do not share the start's cores, and a few seconds on in
     * any case.
     */
    static void start(Framework fw, boolean shell) {
        FrameworkStartLevel levels = fw.adapt(FrameworkStartLevel.class);
        if (!shell) {
            levels.setStartLevel(START_LEVEL);
            return;
        }
        Thread later = new Thread(() -> {
            try {
                Thread.sleep(FALLBACK_MS);
                if (fw.getState() == Bundle.ACTIVE) {
                    levels.setStartLevel(START_LEVEL);
                }
            } catch (InterruptedException | IllegalStateException e) {
                // stopping
            }
        }, "modreg-plane-start");
        later.setDaemon(true);
        later.start();
    }

    /**
     * Waits for the plane's servlet runtime and API servlet, at most the given time.
     *
     * @return the plane's URL, or empty if HTTP is off, failed to start (a port in use, said in the
     *         log), or has no bundles here
     */
    static Optional<String> await(Framework fw, Duration wait) {
        BundleContext context = fw.getBundleContext();
        if ("false".equalsIgnoreCase(context.getProperty(Container.HTTP_ENABLE)) || !installed(context)) {
            return Optional.empty();
        }
        long end = System.nanoTime() + wait.toNanos();
        long planeUp = 0;
        try {
            Filter api = context.createFilter("(&(objectClass=jakarta.servlet.Servlet)(component.name=org.modreg.http.rest.ApiServlet))");
            while (System.nanoTime() < end) {
                ServiceReference<?>[] runtimes = context.getServiceReferences("org.osgi.service.servlet.runtime.HttpServiceRuntime", null);
                ServiceReference<?>[] servlets = context.getServiceReferences((String) null, api.toString());
                if (runtimes != null && servlets != null) {
                    Object endpoint = runtimes[0].getProperty("osgi.http.endpoint");
                    String url = endpoint instanceof String[] a && a.length > 0 ? a[0] : String.valueOf(endpoint);
                    return Optional.of(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
                }
                // once the plane's bundles are all started, its servlets follow within moments; Jetty that is
                // up without a runtime did not bind its port (said in the log)
                if (fw.adapt(FrameworkStartLevel.class).getStartLevel() >= START_LEVEL) {
                    if (planeUp == 0) {
                        planeUp = System.nanoTime();
                    } else if (System.nanoTime() - planeUp > 2_000_000_000L) {
                        break;
                    }
                }
                Thread.sleep(10);
            }
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return Optional.empty();
    }

    private static boolean installed(BundleContext context) {
        for (Bundle b : context.getBundles()) {
            if ("org.apache.felix.http.jetty12".equals(b.getSymbolicName())) {
                return true;
            }
        }
        return false;
    }
}

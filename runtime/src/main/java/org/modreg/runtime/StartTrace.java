package org.modreg.runtime;

import java.io.PrintStream;

import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.ServiceEvent;
import org.osgi.framework.SynchronousBundleListener;

/**
 * A timeline of the start, on standard error, when the system property {@code modreg.trace.start}
 * is {@code true}: milliseconds since the JVM was spawned for each step of the launcher and each
 * bundle and service event. It is how the figures of {@code bench/README.md} were taken apart.
 */
final class StartTrace {

    static final boolean ON = Boolean.getBoolean("modreg.trace.start");
    private static final long T0 = ON ? jvmStart() : 0;

    private StartTrace() {
    }

    private static long jvmStart() {
        // the process's start in clock ticks since boot (/proc/self/stat, field 22) against the
        // time since boot (/proc/uptime): 10 ms resolution, enough for a timeline. ProcessHandle's
        // start instant is no good here: it adds the boot time in whole seconds.
        long now = System.currentTimeMillis();
        try {
            String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/self/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long startTicks = Long.parseLong(f[19]);
            double uptime = Double.parseDouble(java.nio.file.Files.readString(java.nio.file.Path.of("/proc/uptime")).split(" ")[0]);
            return now - (long) (uptime * 1000) + startTicks * 10;
        } catch (java.io.IOException | RuntimeException e) {
            return now; // not Linux: times from here
        }
    }

    static void mark(String what) {
        if (ON) {
            PrintStream err = System.err;
            err.printf("[%5d ms] %s%n", System.currentTimeMillis() - T0, what);
        }
    }

    /** Marks each bundle event, framework event and service registration from now on. */
    static void listen(BundleContext ctx) {
        if (!ON) {
            return;
        }
        ctx.addBundleListener((SynchronousBundleListener) e -> {
            String type = switch (e.getType()) {
                case BundleEvent.INSTALLED -> "installed";
                case BundleEvent.RESOLVED -> "resolved";
                case BundleEvent.STARTING -> "starting";
                case BundleEvent.STARTED -> "started";
                case BundleEvent.STOPPING -> "stopping";
                case BundleEvent.STOPPED -> "stopped";
                case BundleEvent.UPDATED -> "updated";
                default -> "event " + e.getType();
            };
            mark(type + " " + e.getBundle().getSymbolicName());
        });
        ctx.addFrameworkListener(e -> {
            if (e.getType() == FrameworkEvent.STARTED) {
                mark("framework started");
            } else if (e.getType() == FrameworkEvent.STARTLEVEL_CHANGED) {
                mark("start level changed");
            }
        });
        ctx.addServiceListener(e -> {
            if (e.getType() == ServiceEvent.REGISTERED) {
                Object names = e.getServiceReference().getProperty(org.osgi.framework.Constants.OBJECTCLASS);
                mark("service " + String.join(",", (String[]) names) + " by " + e.getServiceReference().getBundle().getSymbolicName());
            }
        });
    }
}

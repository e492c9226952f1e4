package org.modreg.runtime;

import java.io.PrintStream;

import org.apache.felix.framework.Logger;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;

/**
 * Felix's own log, one line an entry on standard error: the level, the message and the cause's
 * message, without stack traces. A failing module's full story is registry state (its error
 * history); the console gets the headline.
 */
final class FrameworkLog extends Logger {

    private final PrintStream err;

    FrameworkLog(PrintStream err, int level) {
        this.err = err;
        setLogLevel(level);
    }

    @Override
    protected void doLog(Bundle bundle, ServiceReference sr, int level, String msg, Throwable throwable) {
        String name = switch (level) {
            case LOG_ERROR -> "ERROR";
            case LOG_WARNING -> "WARNING";
            case LOG_INFO -> "INFO";
            default -> "DEBUG";
        };
        StringBuilder line = new StringBuilder("felix ").append(name).append(": ").append(msg);
        Throwable cause = throwable;
        while (cause != null && cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        if (cause != null && cause != throwable) {
            line.append(" (").append(cause.getClass().getSimpleName()).append(": ").append(cause.getMessage()).append(')');
        }
        err.println(line);
    }
}

package org.modreg.core.records;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.osgi.framework.BundleException;

/** Turns framework exceptions into messages in plain words first, the framework's text after. */
public final class Failures {

    // "missing requirement [org.x [7](R 7.0)] osgi.wiring.package; (&(osgi.wiring.package=org.nowhere)(version>=1.0.0))"
    private static final Pattern MISSING = Pattern.compile(
            "missing requirement \\[.*?\\]\\s*([\\w.]+);\\s*(\\(.*?\\))(?=\\s*(?:\\[caused by|\\]|Unresolved requirements|$))");
    private static final Pattern ATTRIBUTE = Pattern.compile("\\((?:&\\()?([\\w.-]+)=([^)(]+)\\)");
    private static final Pattern VERSION = Pattern.compile("\\((!?\\(?version[<>=!]+[^)]*\\)?)\\)");

    private Failures() {
    }

    /** The plain-words reason of a failed operation. */
    public static String reason(Throwable t) {
        if (t instanceof BundleException be) {
            String msg = String.valueOf(be.getMessage());
            switch (be.getType()) {
                case BundleException.RESOLVE_ERROR:
                    return unresolved(msg);
                case BundleException.ACTIVATOR_ERROR:
                    Throwable cause = root(be);
                    return "its activator threw " + cause.getClass().getName()
                            + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
                default:
                    return msg;
            }
        }
        Throwable cause = root(t);
        return cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
    }

    /**
     * "cannot resolve: needs package org.nowhere (version>=1.0.0), which no module provides" for the
     * innermost missing requirement of Felix's chain, followed by Felix's own text.
     */
    public static String unresolved(String felixMessage) {
        Matcher m = MISSING.matcher(felixMessage);
        String namespace = null;
        String filter = null;
        // the innermost "caused by" is the root cause; it is the last match
        while (m.find()) {
            namespace = m.group(1);
            filter = m.group(2);
        }
        if (namespace == null) {
            return "cannot resolve: " + felixMessage;
        }
        return "cannot resolve: needs " + describe(namespace, filter) + ", which no module provides [" + felixMessage + "]";
    }

    /** "package org.x [1.0,2)" from a namespace and filter. */
    public static String describe(String namespace, String filter) {
        String what = switch (namespace) {
            case "osgi.wiring.package" -> "package";
            case "osgi.wiring.bundle" -> "bundle";
            case "osgi.wiring.host" -> "fragment host";
            case "osgi.service" -> "service";
            case "osgi.extender" -> "extender";
            case "osgi.ee" -> "execution environment";
            default -> "capability " + namespace;
        };
        String name = null;
        Matcher a = ATTRIBUTE.matcher(filter);
        while (a.find()) {
            if (a.group(1).equals(namespace) || (namespace.equals("osgi.service") && a.group(1).equals("objectClass"))) {
                name = a.group(2);
                break;
            }
        }
        StringBuilder sb = new StringBuilder(what);
        sb.append(' ').append(name != null ? name : filter);
        Matcher v = VERSION.matcher(filter);
        StringBuilder versions = new StringBuilder();
        while (v.find()) {
            versions.append(versions.length() == 0 ? "" : " ").append(v.group(1));
        }
        if (name != null && versions.length() > 0) {
            sb.append(" (").append(versions).append(')');
        }
        return sb.toString();
    }

    private static Throwable root(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        return c;
    }
}

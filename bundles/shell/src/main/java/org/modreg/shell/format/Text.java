package org.modreg.shell.format;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import org.modreg.api.dto.CapabilityInfo;
import org.modreg.api.dto.Module;
import org.modreg.api.dto.ModuleMark;
import org.modreg.api.dto.RequirementInfo;

/** The pieces of text several formats share: times, a module on one line, fields, attributes. */
public final class Text {

    /** Times as the shell prints them, in the JVM's zone. */
    public static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());

    private Text() {
    }

    /** @return a module on one line: "a.b 1.2.0 (bundle 3)" */
    public static String line(Module m) {
        return m.id() + " " + m.version() + " (bundle " + m.bundleId() + ")";
    }

    /** The state, and the lifecycle mark beside it: "ACTIVE, deprecated". */
    static String state(Module m, Map<String, ModuleMark> marks) {
        ModuleMark mark = marks.get(m.id());
        return mark == null ? m.state().toString() : m.state() + ", " + mark.kind().toString().toLowerCase(Locale.ROOT);
    }

    static String markLine(ModuleMark m) {
        return "\nMark         " + m.kind() + (m.reason() == null || m.reason().isBlank() ? "" : ": " + m.reason())
                + (m.replacement() == null ? "" : " (use " + m.replacement() + ")") + ", since "
                + TIME.format(m.time()) + " by " + m.origin();
    }

    /** A field of a detail view, "Name         value"; nothing when the value is empty. */
    static void field(StringBuilder sb, String name, Object value) {
        if (value != null && !value.toString().isEmpty()) {
            sb.append(String.format("%-13s", name)).append(value).append('\n');
        }
    }

    static String attributes(Map<String, Object> attrs) {
        return new TreeMap<>(attrs).entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining("; "));
    }

    /** A capability as an indented line: namespace, attributes, directives. */
    static void capability(StringBuilder sb, CapabilityInfo cap) {
        sb.append("  ").append(cap.namespace()).append(' ').append(attributes(cap.attributes()))
                .append(cap.directives().isEmpty() ? "" : " " + new TreeMap<>(cap.directives()).entrySet().stream()
                        .map(e -> e.getKey() + ":=" + e.getValue()).collect(Collectors.joining("; ")))
                .append('\n');
    }

    /** A requirement as an indented line: namespace, filter, optional. */
    static void requirement(StringBuilder sb, RequirementInfo r) {
        sb.append("  ").append(r.namespace()).append(' ').append(r.filter() == null ? "" : r.filter())
                .append(r.optional() ? " (optional)" : "").append('\n');
    }

    static String percent(double share) {
        return String.format(Locale.ROOT, "%.0f%%", 100 * share);
    }
}

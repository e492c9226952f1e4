package org.modreg.shell.format;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.apache.felix.service.command.Converter;

/**
 * The shell's converters as DS registers them: every component of the bundle's descriptors (written
 * by bnd into {@code target/classes/OSGI-INF}) that provides {@link Converter}, so that a format
 * left unregistered fails {@link FormatsTest}.
 */
final class FormatsTestSupport {

    private static final Pattern IMPLEMENTATION = Pattern.compile("<implementation class=\"([^\"]+)\"");

    private FormatsTestSupport() {
    }

    static List<Converter> converters() {
        List<Converter> converters = new ArrayList<>();
        try (Stream<Path> xml = Files.list(Path.of("target/classes/OSGI-INF"))) {
            for (Path p : xml.sorted().toList()) {
                String d = Files.readString(p);
                Matcher m = IMPLEMENTATION.matcher(d);
                if (d.contains("<provide interface=\"" + Converter.class.getName() + "\"/>") && m.find()) {
                    converters.add((Converter) Class.forName(m.group(1)).getConstructor().newInstance());
                }
            }
        } catch (IOException | ReflectiveOperationException e) {
            throw new AssertionError("the component descriptors in target/classes/OSGI-INF: " + e, e);
        }
        return converters;
    }

    static String time(java.time.Instant t) {
        return Text.TIME.format(t);
    }
}

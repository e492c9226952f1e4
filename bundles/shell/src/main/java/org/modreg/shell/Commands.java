package org.modreg.shell;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Converter;
import org.apache.felix.service.command.Process;
import org.modreg.api.ModuleLifecycle;
import org.modreg.api.ModuleRegistry;
import org.modreg.api.ModuleState;
import org.modreg.api.dto.Module;
import org.modreg.api.dto.ModuleMark;
import org.modreg.shell.format.ModuleTable;
import org.modreg.shell.format.Text;

/** What the topics' commands share: the caller's origin, how a result is printed, argument checks, the guard. */
final class Commands {

    static final String REF = "the module: bundle id, module id, or id/version";
    static final String FORCE = "even if it is one of the container's own (the framework, a boot bundle)";

    /**
     * The session variable a door into the container sets to the origin its commands are audited
     * under: the HTTP plane's command endpoint sets {@code http:<user>}. Without it, the shell's own.
     */
    static final String ORIGIN_VARIABLE = "modreg.origin";

    private Commands() {
    }

    /**
     * @param service a service of the API
     * @param as      its {@code as(origin)}
     * @return the service acting for the session's origin, if a door set one; else the service
     */
    static <T> T scoped(T service, Function<String, T> as) {
        Process p = Process.Utils.current();
        CommandSession session = p == null || p.job() == null ? null : p.job().session();
        Object o = session == null ? null : session.get(ORIGIN_VARIABLE);
        return o instanceof String s && !s.isBlank() ? as.apply(s) : service;
    }

    /**
     * A command's result: returned, for the shell to print on the terminal and for a script to keep
     * ({@code x = (module:list)}); printed instead when the command line sends the command's output
     * elsewhere ({@code module:graph --dot > g.dot}, {@code module:list | grep ACTIVE}). Gogo prints
     * what the last command of a line returns on the terminal only, so that a redirection wrote
     * nothing. A command in parentheses runs as a job of its own, whose output Gogo captures and
     * whose result it keeps: that one is returned.
     */
    static <T> T out(T result) {
        Process p = Process.Utils.current();
        CommandSession session = p == null || p.job() == null ? null : p.job().session();
        if (result == null || session == null || p.isTty(1) || p.job().parent() != null) {
            return result;
        }
        p.out().println(session.format(result, Converter.INSPECT));
        return null;
    }

    static void atLeast(String option, int value, int min) {
        if (value < min) {
            throw new IllegalArgumentException(option + " " + value + ": at least " + min);
        }
    }

    static void atMostOne(String[] args, String what) {
        if (args.length > 1) {
            throw new IllegalArgumentException("name at most one " + what);
        }
    }

    /** The lifecycle marks by module id, for a table to show beside the state. */
    static Map<String, ModuleMark> marks(ModuleLifecycle lifecycle) {
        Map<String, ModuleMark> marks = new HashMap<>();
        for (ModuleMark m : lifecycle.marks()) {
            marks.put(m.moduleId(), m);
        }
        return marks;
    }

    /**
     * Refuses, unless forced, to stop, update, uninstall, archive or delete the container's own
     * modules: the framework (stopping it stops the container) and the launcher's boot bundles (the
     * registry, this shell, SCR, Gogo, ...), as Karaf guards its system bundles. A slip of the
     * keyboard would otherwise take the shell, or the container, away.
     *
     * @param boot the location prefix of the launcher's boot bundles, or null when embedded otherwise
     */
    static void guard(ModuleRegistry registry, String boot, String operation, boolean force, String... refs) {
        if (force) {
            return;
        }
        for (String ref : refs) {
            Module m = registry.get(ref);
            if (m.bundleId() == 0) {
                throw new IllegalArgumentException(Text.line(m) + " is the framework: to " + operation
                        + " it would take the container down (shutdown stops it cleanly); --force to " + operation + " it anyway");
            }
            if (boot != null && m.location().startsWith(boot)) {
                throw new IllegalArgumentException(Text.line(m) + " is one of the container's own modules (a boot bundle, "
                        + m.location() + "): to " + operation + " it could take the registry or the shell away; --force to "
                        + operation + " it anyway");
            }
        }
    }

    /**
     * Runs an operation on each module; one failure does not stop the others, and all failures
     * are reported together, each with its module, as Karaf's bulk bundle commands do.
     */
    static ModuleTable each(String[] refs, Function<String, Module> op) {
        if (refs.length == 0) {
            throw new IllegalArgumentException("name at least one module");
        }
        List<Module> done = new ArrayList<>();
        List<RuntimeException> failures = new ArrayList<>();
        for (String ref : refs) {
            try {
                done.add(op.apply(ref));
            } catch (RuntimeException e) {
                failures.add(e);
            }
        }
        if (failures.size() == 1 && done.isEmpty()) {
            throw failures.get(0);
        }
        if (!failures.isEmpty()) {
            String msg = failures.stream().map(RuntimeException::getMessage).collect(Collectors.joining("\n"));
            if (!done.isEmpty()) {
                msg += "\n(done: " + done.stream().map(Module::ref).collect(Collectors.joining(", ")) + ")";
            }
            throw new IllegalStateException(msg);
        }
        return new ModuleTable(done);
    }

    static ModuleState state(String s) {
        try {
            return ModuleState.valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Unknown state \"" + s + "\"; one of " + Arrays.toString(ModuleState.values()));
        }
    }

    /** A namespace pattern with {@code *} wildcards as a predicate. */
    static Predicate<String> glob(String pattern) {
        Pattern p = Pattern.compile(Arrays.stream(pattern.split("\\*", -1)).map(Pattern::quote).collect(Collectors.joining(".*")));
        return s -> p.matcher(s).matches();
    }
}

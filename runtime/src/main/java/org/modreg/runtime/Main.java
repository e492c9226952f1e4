package org.modreg.runtime;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.osgi.framework.Bundle;
import org.osgi.framework.Filter;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.util.tracker.ServiceTracker;

/**
 * The {@code modreg} command.
 *
 * <pre>
 * modreg [--home DIR] [--data DIR] [--deploy DIR]                 interactive Gogo shell
 * modreg [...] -c COMMAND [-c COMMAND ...]                         run commands, print, exit
 * modreg [...] --script FILE|-                                     run a script (- for stdin), exit
 * modreg [...] --daemon                                            no console; stop with SIGTERM
 * </pre>
 *
 * Exit status: 0 when everything succeeded, 1 when a command failed (the rest are not run),
 * 2 for a usage error, 3 when the container could not start.
 */
public final class Main {

    static final int OK = 0;
    static final int COMMAND_FAILED = 1;
    static final int USAGE = 2;
    static final int START_FAILED = 3;

    private static final String USAGE_TEXT = """
            Usage: modreg [options]
              --home DIR       container home (default: the working directory)
              --data DIR       data directory: framework cache and records (default: HOME/data)
              --deploy DIR     deploy directory (default: HOME/deploy)
              -c, --command C  run a Gogo command, print its result; repeatable; then exit
              --script FILE    run the commands of FILE, one a line ('-' reads stdin); then exit
              --daemon         run without a console until SIGTERM or Ctrl-C
              --url URL        attach to the container whose HTTP plane is at URL (http://host:8181)
              --user NAME      attach as this user (password from MODREG_PASSWORD, or asked); default: the token
              --token-file F   attach with the token in F (default: HOME/data/modreg/http/token; or MODREG_TOKEN)
              --local          never attach: start a container here even if one runs on the home (refused then)
              --hash-password  read a password, print its hash for a user's configuration (org.modreg.http.user)
              -h, --help       this text
            Without -c, --script or --daemon, opens an interactive Gogo shell.
            When a container already runs on the home, -c, --script and the shell run in it, through its HTTP plane.
            Exit status: 0 ok, 1 a command failed, 2 usage error, 3 the container did not start or cannot be reached.""";

    private Main() {
    }

    public static void main(String[] args) {
        StartTrace.mark("launcher: main");
        System.exit(run(args, System.in, System.out, System.err));
    }

    static int run(String[] args, InputStream stdin, PrintStream out, PrintStream err) {
        Options o;
        try {
            o = Options.parse(args);
        } catch (IllegalArgumentException e) {
            err.println("modreg: " + e.getMessage());
            err.println(USAGE_TEXT);
            return USAGE;
        }
        if (o.help) {
            out.println(USAGE_TEXT);
            return OK;
        }
        if (o.hashPassword) {
            return hashPassword(out, err);
        }
        List<String> commands;
        try {
            commands = o.commands(stdin);
        } catch (IOException e) {
            err.println("modreg: cannot read the script " + o.script + ": " + e.getMessage());
            return USAGE;
        }
        boolean scripted = commands != null;
        if (!o.daemon && !o.local) {
            Integer attached = attach(o, commands, out, err);
            if (attached != null) {
                return attached;
            }
        }
        if (scripted || o.daemon) {
            // no console: JLine would warn that it falls back to a dumb terminal
            System.setProperty("org.jline.terminal.dumb", "true");
        }
        useNativeTerminalLibrary();
        while (true) {
            long t0 = System.nanoTime();
            Container container;
            try {
                // a scripted run ends at once: no HTTP plane for it
                Container.Builder b = Container.builder().shell(!scripted && !o.daemon).http(!scripted);
                if (o.home != null) {
                    b.home(o.home);
                }
                if (o.data != null) {
                    b.dataDir(o.data);
                }
                if (o.deploy != null) {
                    b.deployDir(o.deploy);
                }
                container = b.start();
            } catch (RuntimeException e) {
                err.println("modreg: " + e.getMessage());
                return START_FAILED;
            }
            Thread hook = new Thread(container::close, "modreg-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            if (scripted || o.daemon) {
                // what changed in the deploy directory while the container was down is applied before
                // a script runs or a daemon says it is ready (problems are logged by the deployer)
                container.deployer().scan();
            }
            if (scripted) {
                int status = execute(container, commands, out, err);
                awaitConsoleProfile(PROFILE_WAIT);
                container.close();
                removeHook(hook);
                return status;
            }
            if (o.daemon) {
                // ready means reachable: the HTTP plane answers, unless it is off or could not start (logged)
                String http = container.http(Duration.ofSeconds(10)).map(u -> ", " + u).orElse("");
                out.printf("modreg ready in %d ms (home %s%s)%n", (System.nanoTime() - t0) / 1_000_000, container.home(), http);
                out.flush();
            }
            try {
                FrameworkEvent stop = container.awaitStop();
                removeHook(hook);
                if (stop.getType() != FrameworkEvent.STOPPED_UPDATE) {
                    return OK;
                }
                // the system bundle was updated: start again, as Felix's own launcher does
            } catch (InterruptedException e) {
                container.close();
                return OK;
            }
        }
    }

    /**
     * Runs the commands (or a shell) in the container at {@code --url}, or in the one running on
     * this home, if there is one.
     *
     * @return the exit status, or null to run a container here
     */
    private static Integer attach(Options o, List<String> commands, PrintStream out, PrintStream err) {
        Path home = o.home != null ? o.home.toAbsolutePath() : Path.of("").toAbsolutePath();
        Path data = o.data != null ? o.data.toAbsolutePath() : home.resolve("data");
        java.net.URI url;
        if (o.url != null) {
            try {
                url = java.net.URI.create(o.url.endsWith("/") ? o.url.substring(0, o.url.length() - 1) : o.url);
                if (url.getScheme() == null || !url.getScheme().startsWith("http") || url.getHost() == null) {
                    throw new IllegalArgumentException("not an http or https URL");
                }
            } catch (IllegalArgumentException e) {
                err.println("modreg: --url " + o.url + ": " + e.getMessage());
                return USAGE;
            }
        } else {
            url = Attach.running(data);
            if (url == null) {
                return null;
            }
        }
        String auth;
        try {
            if (o.user != null) {
                String password = System.getenv("MODREG_PASSWORD");
                if (password == null && System.console() != null) {
                    char[] p = System.console().readPassword("Password for %s at %s: ", o.user, url);
                    password = p == null ? "" : new String(p);
                }
                if (password == null) {
                    err.println("modreg: --user " + o.user + " needs a password: MODREG_PASSWORD, or a console to ask on");
                    return USAGE;
                }
                auth = Attach.basic(o.user, password);
            } else if (o.tokenFile != null) {
                auth = Attach.tokenFrom(o.tokenFile);
            } else if (System.getenv("MODREG_TOKEN") != null) {
                auth = "Bearer " + System.getenv("MODREG_TOKEN").strip();
            } else {
                auth = Attach.tokenFrom(data.resolve("modreg/http/token"));
            }
        } catch (IllegalStateException e) {
            err.println("modreg: " + e.getMessage());
            return START_FAILED;
        }
        Attach a = new Attach(url, auth);
        return commands != null ? a.run(commands, out, err) : a.shell(out, err);
    }

    /** {@code --hash-password}: the hash is made by the HTTP bundle's own class, loaded from its jar in system/. */
    private static int hashPassword(PrintStream out, PrintStream err) {
        try {
            Path system = Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI()).getParent()
                    .resolveSibling("system");
            Path jar;
            try (java.util.stream.Stream<Path> s = Files.list(system)) {
                jar = s.filter(p -> p.getFileName().toString().startsWith("http-")).findFirst()
                        .orElseThrow(() -> new IllegalStateException("no HTTP bundle in " + system));
            }
            try (java.net.URLClassLoader loader = new java.net.URLClassLoader(new java.net.URL[] { jar.toUri().toURL() }, null)) {
                loader.loadClass("org.modreg.http.PasswordHash").getMethod("main", String[].class).invoke(null, (Object) new String[0]);
            }
            return OK;
        } catch (InvocationTargetException e) {
            err.println("modreg: " + e.getCause());
            return COMMAND_FAILED;
        } catch (Exception e) {
            err.println("modreg: cannot hash a password: " + e);
            return START_FAILED;
        }
    }

    /**
     * Points Jansi at the native libraries unpacked in the distribution's {@code lib/native}, so
     * that JLine sets the terminal up through it rather than forking {@code stty} a dozen times,
     * and Jansi does not unpack its library to a temporary file at each start. Without them
     * (an embedding host's class path) JLine falls back to {@code stty}.
     */
    private static void useNativeTerminalLibrary() {
        if (System.getProperty("library.jansi.path") != null) {
            return;
        }
        try {
            Path lib = Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI()).getParent();
            Path natives = lib.resolve("native");
            if (Files.isDirectory(natives)) {
                System.setProperty("library.jansi.path", natives.toString());
            }
        } catch (java.net.URISyntaxException | RuntimeException e) {
            // not run from a distribution: JLine finds its own way
        }
    }

    /** The longest wait for Gogo's console to end its profile after a script (it takes milliseconds). */
    static final Duration PROFILE_WAIT = Duration.ofSeconds(30);

    /**
     * Waits for Gogo's console to finish its profile: without a terminal it runs the profile and
     * ends. Stopping the framework under it made the profile fail half-way, printing "Command not
     * found: echo" on standard error after a short script. The console's thread exists by then: the
     * console starts it when Gogo's command processor registers, before the framework's start ends.
     * The wait was 3 s, which a loaded machine exceeded; it is bounded now only against a profile
     * that never ends.
     */
    static void awaitConsoleProfile(Duration max) {
        long deadline = System.nanoTime() + max.toNanos();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if ("Gogo shell".equals(t.getName())) {
                try {
                    t.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running already
        }
    }

    /**
     * Runs commands in one Gogo session, printing each result as the interactive shell would. The
     * launcher does not share Gogo's classes (they live in the gogo runtime bundle), so the session
     * is driven through the service interfaces loaded from that bundle.
     */
    static int execute(Container container, List<String> commands, PrintStream out, PrintStream err) {
        try {
            // the shell is ready when every topic's commands are (org.modreg.shell.Shell), not at the first of them
            Filter filter = FrameworkUtil.createFilter("(modreg.shell=ready)");
            ServiceTracker<Object, Object> cmds = new ServiceTracker<>(container.context(), filter, null);
            cmds.open();
            ServiceTracker<Object, Object> procs = new ServiceTracker<>(container.context(),
                    "org.apache.felix.service.command.CommandProcessor", null);
            procs.open();
            try {
                Object processor = procs.waitForService(10_000);
                if (processor == null || cmds.waitForService(10_000) == null) {
                    err.println("modreg: the Gogo shell or the module commands did not start");
                    return START_FAILED;
                }
                ServiceReference<Object> ref = procs.getServiceReference();
                Bundle gogo = ref.getBundle();
                Class<?> processorType = gogo.loadClass("org.apache.felix.service.command.CommandProcessor");
                Class<?> sessionType = gogo.loadClass("org.apache.felix.service.command.CommandSession");
                Method create = processorType.getMethod("createSession", InputStream.class, OutputStream.class, OutputStream.class);
                Method exec = sessionType.getMethod("execute", CharSequence.class);
                Method format = sessionType.getMethod("format", Object.class, int.class);
                Method close = sessionType.getMethod("close");
                Object session = create.invoke(processor, new ByteArrayInputStream(new byte[0]), out, err);
                // as in the interactive shell (etc/gosh_profile): list, info, install... are module:*
                sessionType.getMethod("put", String.class, Object.class).invoke(session, "SCOPE", "module:gogo:*");
                try {
                    for (String command : commands) {
                        Object result;
                        try {
                            result = exec.invoke(session, command);
                        } catch (InvocationTargetException e) {
                            Throwable cause = e.getCause();
                            out.flush();
                            err.println("Error: " + (cause.getMessage() != null ? cause.getMessage() : cause.toString()));
                            err.println("  in: " + command);
                            return COMMAND_FAILED;
                        }
                        if (result != null) {
                            out.println(format.invoke(session, result, 0 /* Converter.INSPECT */));
                        }
                        out.flush();
                    }
                } finally {
                    close.invoke(session);
                }
                return OK;
            } finally {
                procs.close();
                cmds.close();
            }
        } catch (ReflectiveOperationException | InvalidSyntaxException | InterruptedException e) {
            err.println("modreg: cannot run commands: " + e);
            return START_FAILED;
        }
    }

    /** Command-line options. */
    static final class Options {
        Path home;
        Path data;
        Path deploy;
        final List<String> commands = new ArrayList<>();
        String script;
        boolean daemon;
        boolean help;
        String url;
        String user;
        Path tokenFile;
        boolean local;
        boolean hashPassword;

        static Options parse(String[] args) {
            Options o = new Options();
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                String value = null;
                int eq = a.indexOf('=');
                if (a.startsWith("--") && eq > 0) {
                    value = a.substring(eq + 1);
                    a = a.substring(0, eq);
                }
                switch (a) {
                    case "--home" -> o.home = Path.of(value != null ? value : arg(args, ++i, a));
                    case "--data" -> o.data = Path.of(value != null ? value : arg(args, ++i, a));
                    case "--deploy" -> o.deploy = Path.of(value != null ? value : arg(args, ++i, a));
                    case "-c", "--command" -> o.commands.add(value != null ? value : arg(args, ++i, a));
                    case "--script" -> o.script = value != null ? value : arg(args, ++i, a);
                    case "--daemon" -> o.daemon = true;
                    case "--url" -> o.url = value != null ? value : arg(args, ++i, a);
                    case "--user" -> o.user = value != null ? value : arg(args, ++i, a);
                    case "--token-file" -> o.tokenFile = Path.of(value != null ? value : arg(args, ++i, a));
                    case "--local" -> o.local = true;
                    case "--hash-password" -> o.hashPassword = true;
                    case "-h", "--help" -> o.help = true;
                    default -> throw new IllegalArgumentException("unknown option \"" + args[i] + "\"");
                }
            }
            if (o.script != null && !o.commands.isEmpty()) {
                throw new IllegalArgumentException("give commands with -c or with --script, not both");
            }
            if (o.daemon && (o.script != null || !o.commands.isEmpty())) {
                throw new IllegalArgumentException("--daemon runs no commands");
            }
            if (o.daemon && o.url != null) {
                throw new IllegalArgumentException("--daemon starts a container; --url attaches to one");
            }
            if (o.local && o.url != null) {
                throw new IllegalArgumentException("--local runs here; --url attaches elsewhere");
            }
            return o;
        }

        private static String arg(String[] args, int i, String option) {
            if (i >= args.length) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            return args[i];
        }

        /** @return the commands to run, or {@code null} for an interactive or daemon container */
        List<String> commands(InputStream stdin) throws IOException {
            if (!commands.isEmpty()) {
                return commands;
            }
            if (script == null) {
                return null;
            }
            InputStream in = script.equals("-") ? stdin : Files.newInputStream(Path.of(script));
            List<String> lines = new ArrayList<>();
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null;) {
                    String t = line.strip();
                    if (!t.isEmpty() && !t.startsWith("#")) {
                        lines.add(t);
                    }
                }
            }
            return lines;
        }
    }
}

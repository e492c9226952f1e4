package org.modreg.http.command;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;

import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Converter;
import org.modreg.api.ModuleAudit;
import org.modreg.api.dto.AuditEntry;
import org.modreg.http.Caller;
import org.modreg.http.ModregContext;
import org.modreg.http.Problems.HttpError;
import org.modreg.http.Role;
import org.modreg.http.rest.Exchange;
import org.modreg.http.rest.Routes;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/**
 * The command endpoint the CLI attaches through: Gogo command lines run inside the container,
 * for administrators, with the output and exit status a local {@code ./modreg -c} gives. Each
 * line runs in a Gogo session whose {@code modreg.origin} is {@code http:<user>}, so the module
 * commands' operations are audited under the user; each line is audited too, as a
 * {@code command}.
 *
 * <p>{@code POST /commands} runs lines in a fresh session and stops at the first that fails;
 * {@code /sessions} keeps a session (its variables) across lines, for an attached interactive
 * shell. The answer is JSON ({@code status}, {@code out}, {@code err}), or, with
 * {@code Accept: application/vnd.modreg.stream}, a stream of frames as the output comes:
 * {@code o LENGTH\n} or {@code e LENGTH\n} and that many bytes, then {@code x STATUS\n}.
 */
@Component(service = CommandEndpoint.class)
public final class CommandEndpoint {

    /** The framed output stream, for the CLI. */
    public static final String STREAM = "application/vnd.modreg.stream";
    /** The session variable the shell's commands take their audit origin from (org.modreg.shell.Commands.ORIGIN_VARIABLE). */
    static final String ORIGIN_VARIABLE = "modreg.origin";
    static final int MAX_SESSIONS = 32;

    private final CommandProcessor processor;
    private final ModuleAudit audit;
    private final ModregContext context;
    private final Map<String, Kept> sessions = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();

    /** A kept session: its owner, its Gogo session, its output (re-pointed at each request), and when it was last used. */
    private static final class Kept {
        final String user;
        final CommandSession session;
        final Switch out = new Switch();
        final Switch err = new Switch();
        volatile long used = System.nanoTime();

        Kept(String user, CommandProcessor processor) {
            this.user = user;
            this.session = processor.createSession(new ByteArrayInputStream(new byte[0]), new PrintStream(out, true,
                    StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        }
    }

    /** An output stream whose target changes from request to request. */
    private static final class Switch extends OutputStream {
        volatile OutputStream target = OutputStream.nullOutputStream();

        @Override
        public void write(int b) throws IOException {
            target.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            target.write(b, off, len);
        }

        @Override
        public void flush() throws IOException {
            target.flush();
        }
    }

    @Activate
    public CommandEndpoint(@Reference CommandProcessor processor, @Reference ModuleAudit audit, @Reference ModregContext context) {
        this.processor = processor;
        this.audit = audit;
        this.context = context;
    }

    @Deactivate
    void deactivate() {
        sessions.values().forEach(k -> k.session.close());
        sessions.clear();
    }

    /** Adds the command resources to the API. */
    public void routes(Routes r) {
        String body = "text/plain, one command a line; or application/json {\"commands\": [...]}";
        r.add("POST", "/commands", Role.ADMIN, "Run shell commands in a fresh session, stopping at the first that fails;"
                + " status 0 ok, 1 a command failed", body, x -> run(x, null));
        r.add("POST", "/sessions", Role.ADMIN, "Open a shell session that keeps its variables across requests (201)", null,
                this::open);
        r.add("POST", "/sessions/{id}", Role.ADMIN, "Run commands in a session opened before", body,
                x -> run(x, session(x)));
        r.add("DELETE", "/sessions/{id}", Role.ADMIN, "Close a session", null, x -> {
            Kept k = session(x);
            sessions.remove(x.path("id"));
            k.session.close();
            return Map.of("closed", x.path("id"));
        });
    }

    private Object open(Exchange x) {
        expire();
        if (sessions.size() >= MAX_SESSIONS) {
            throw new HttpError(503, "already " + MAX_SESSIONS + " shell sessions open");
        }
        byte[] b = new byte[18];
        random.nextBytes(b);
        String id = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(b);
        Kept k = new Kept(x.caller().user(), processor);
        prepare(k.session, x.caller());
        sessions.put(id, k);
        x.status(201);
        return Map.of("id", id);
    }

    private Kept session(Exchange x) {
        Kept k = sessions.get(x.path("id"));
        if (k == null || !k.user.equals(x.caller().user())) {
            throw new HttpError(404, "no shell session " + x.path("id") + " (closed, expired, or another user's)");
        }
        k.used = System.nanoTime();
        return k;
    }

    private void expire() {
        long idle = context.config().session_idle_minutes() * 60_000_000_000L;
        sessions.entrySet().removeIf(e -> {
            if (System.nanoTime() - e.getValue().used > idle) {
                e.getValue().session.close();
                return true;
            }
            return false;
        });
    }

    private static void prepare(CommandSession s, Caller caller) {
        // as in the interactive shell and in ./modreg -c: list, info, install... are module:*
        s.put("SCOPE", "module:gogo:*");
        s.put(ORIGIN_VARIABLE, caller.origin());
        try {
            // as the console's profile has it: stop the container cleanly (the framework stops on a thread of its own)
            s.execute("shutdown = { felix:stop 0 }");
        } catch (Exception e) {
            throw new IllegalStateException("cannot set the session up: " + e, e);
        }
    }

    private Object run(Exchange x, Kept kept) throws IOException {
        if (!context.config().commands_enabled()) {
            throw new HttpError(403, "the command endpoint is off (commands.enabled=false in " + ModregContext.PID + ")");
        }
        List<String> commands = commands(x);
        String accept = x.request().getHeader("Accept");
        boolean stream = accept != null && accept.contains(STREAM);
        OutputStream out;
        OutputStream err;
        ByteArrayOutputStream outBuffer = null;
        ByteArrayOutputStream errBuffer = null;
        Frames frames = null;
        if (stream) {
            x.response().setStatus(200);
            x.response().setContentType(STREAM);
            frames = new Frames(x.response().getOutputStream());
            out = frames.channel('o');
            err = frames.channel('e');
        } else {
            out = outBuffer = new ByteArrayOutputStream();
            err = errBuffer = new ByteArrayOutputStream();
        }
        int status;
        PrintStream pout = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream perr = new PrintStream(err, true, StandardCharsets.UTF_8);
        if (kept != null) {
            synchronized (kept) {
                kept.out.target = pout;
                kept.err.target = perr;
                try {
                    status = execute(kept.session, commands, pout, perr, x.caller());
                } finally {
                    kept.out.target = OutputStream.nullOutputStream();
                    kept.err.target = OutputStream.nullOutputStream();
                }
            }
        } else {
            CommandSession s = processor.createSession(new ByteArrayInputStream(new byte[0]), pout, perr);
            try {
                prepare(s, x.caller());
                status = execute(s, commands, pout, perr, x.caller());
            } finally {
                s.close();
            }
        }
        if (frames != null) {
            frames.exit(status);
            return Exchange.WRITTEN;
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("status", status);
        result.put("out", outBuffer.toString(StandardCharsets.UTF_8));
        result.put("err", errBuffer.toString(StandardCharsets.UTF_8));
        return result;
    }

    private static List<String> commands(Exchange x) throws IOException {
        String type = x.request().getContentType();
        List<String> lines = new ArrayList<>();
        if (type != null && type.startsWith("application/json")) {
            JsonNode body = x.json();
            body.path("commands").forEach(n -> lines.add(n.asText()));
            if (body.has("command")) {
                lines.add(body.get("command").asText());
            }
        } else {
            byte[] bytes = x.request().getInputStream().readNBytes(1 << 20);
            for (String line : new String(bytes, StandardCharsets.UTF_8).split("\r?\n")) {
                String t = line.strip();
                if (!t.isEmpty() && !t.startsWith("#")) {
                    lines.add(t);
                }
            }
        }
        if (lines.isEmpty()) {
            throw new IllegalArgumentException("no command: send text/plain lines or {\"commands\": [...]}");
        }
        return lines;
    }

    /**
     * Runs commands as {@code ./modreg -c} does: each result printed as the shell formats it,
     * the first failure printed as {@code Error: ...} and {@code   in: COMMAND} on the error
     * stream, and the rest not run.
     */
    private int execute(CommandSession s, List<String> commands, PrintStream out, PrintStream err, Caller caller) {
        for (String command : commands) {
            try {
                Object result = s.execute(command);
                if (result != null) {
                    out.println(s.format(result, Converter.INSPECT));
                }
                out.flush();
                audit.record(caller.origin(), "command", AuditEntry.Result.OK, command, null);
            } catch (Exception e) {
                out.flush();
                String message = e.getMessage() != null ? e.getMessage() : e.toString();
                err.println("Error: " + message);
                err.println("  in: " + command);
                err.flush();
                audit.record(caller.origin(), "command", AuditEntry.Result.FAILED, command, message);
                return 1;
            }
        }
        return 0;
    }

    /** The framed stream: each write is a frame of its channel, whole; frames of both channels interleave as written. */
    private static final class Frames {
        private final OutputStream out;

        Frames(OutputStream out) {
            this.out = out;
        }

        OutputStream channel(char c) {
            return new OutputStream() {
                @Override
                public void write(int b) throws IOException {
                    write(new byte[] { (byte) b }, 0, 1);
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    if (len == 0) {
                        return;
                    }
                    synchronized (Frames.this) {
                        out.write((c + " " + len + "\n").getBytes(StandardCharsets.US_ASCII));
                        out.write(b, off, len);
                    }
                }

                @Override
                public void flush() throws IOException {
                    synchronized (Frames.this) {
                        out.flush();
                    }
                }
            };
        }

        synchronized void exit(int status) throws IOException {
            out.write(("x " + status + "\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }
    }
}

package org.modreg.runtime;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

/**
 * The CLI attached to a running container: command lines sent to its HTTP plane's command
 * endpoint ({@code /api/v1/commands}, {@code /api/v1/sessions}), their output printed as it
 * comes, with the exit status a local run gives. No protocol of its own: the same HTTP, token
 * and users as every other client, so attached commands are authenticated and audited (origin
 * {@code http:<user>}) like the rest.
 */
final class Attach {

    /** The framed stream the command endpoint sends: {@code o N\n}/{@code e N\n} and N bytes, then {@code x STATUS\n}. */
    static final String STREAM = "application/vnd.modreg.stream";

    private final URI base;
    private final String authorization;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    Attach(URI base, String authorization) {
        this.base = base;
        this.authorization = authorization;
    }

    /** @return where the plane of a container running on the data directory listens, or null if none runs there */
    static URI running(Path dataDir) {
        Path endpoint = dataDir.resolve("modreg/http/endpoint");
        if (!Files.isRegularFile(endpoint) || !DataLock.held(dataDir)) {
            return null;
        }
        try {
            return URI.create(Files.readString(endpoint, StandardCharsets.UTF_8).strip());
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
    }

    /** @return the {@code Authorization} value for the token in a file */
    static String tokenFrom(Path file) {
        try {
            return "Bearer " + Files.readString(file, StandardCharsets.US_ASCII).strip();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the token " + file + " (" + e.getMessage() + "): only the account"
                    + " that runs the container can; or give --user", e);
        }
    }

    /** @return the {@code Authorization} value for a user and password */
    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** Runs commands in one request, stopping at the first that fails, as a local {@code -c} run does. */
    int run(List<String> commands, PrintStream out, PrintStream err) {
        StringBuilder json = new StringBuilder("{\"commands\":[");
        for (int i = 0; i < commands.size(); i++) {
            json.append(i == 0 ? "" : ",").append(quote(commands.get(i)));
        }
        json.append("]}");
        return send("/api/v1/commands", "POST", json.toString(), out, err);
    }

    /**
     * An interactive session on the container: each line typed is run there, in one Gogo session
     * that keeps its variables. Line editing and history through JLine.
     */
    int shell(PrintStream out, PrintStream err) {
        String id;
        try {
            HttpResponse<String> r = http.send(request("/api/v1/sessions").POST(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 201) {
                err.println("modreg: " + base + " refused a shell session: " + detail(r.statusCode(), r.body()));
                return Main.START_FAILED;
            }
            id = r.body().replaceAll(".*\"id\"\\s*:\\s*\"([^\"]+)\".*", "$1").strip();
        } catch (IOException e) {
            err.println("modreg: cannot reach the container at " + base + ": " + e);
            return Main.START_FAILED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Main.OK;
        }
        String path = "/api/v1/sessions/" + id;
        try (org.jline.terminal.Terminal terminal = org.jline.terminal.TerminalBuilder.builder().system(true).build()) {
            org.jline.reader.LineReader reader = org.jline.reader.LineReaderBuilder.builder().terminal(terminal)
                    .variable(org.jline.reader.LineReader.HISTORY_FILE, Path.of(System.getProperty("user.home"), ".modreg_history"))
                    .completer(new org.jline.reader.impl.completer.StringsCompleter(commandNames(path)))
                    .build();
            out.println("modreg: attached to the container at " + base + " (Ctrl-D leaves it running)");
            String prompt = "modreg@" + base.getHost() + ":" + base.getPort() + "> ";
            while (true) {
                String line;
                try {
                    line = reader.readLine(prompt);
                } catch (org.jline.reader.UserInterruptException e) {
                    continue;
                } catch (org.jline.reader.EndOfFileException e) {
                    break;
                }
                String t = line.strip();
                if (t.isEmpty()) {
                    continue;
                }
                if (t.equals("exit") || t.equals("logout")) {
                    break; // leaves the container running; 'shutdown' stops it
                }
                send(path, "POST", "{\"command\":" + quote(t) + "}", out, err);
            }
        } catch (IOException e) {
            err.println("modreg: no terminal: " + e.getMessage());
        } finally {
            try {
                http.send(request(path).DELETE().build(), HttpResponse.BodyHandlers.discarding());
            } catch (IOException | InterruptedException ignored) {
                // the session expires by itself
            }
        }
        return Main.OK;
    }

    /**
     * The container's command names for completion, from {@code help} in the session: each as
     * {@code scope:name}, and the module commands by their name alone too (the session's scope
     * has them first). None if they cannot be had: completion is a help, not a need.
     */
    List<String> commandNames(String session) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve(session)).header("Authorization", authorization)
                    .header("Content-Type", "application/json").timeout(Duration.ofSeconds(10))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"command\":\"help\"}")).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                return List.of();
            }
            return namesInHelp(r.body());
        } catch (IOException e) {
            return List.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        }
    }

    /** @return the names in the output of Gogo's {@code help}, as it comes in the command endpoint's JSON */
    static List<String> namesInHelp(String helpJson) {
        java.util.Set<String> names = new java.util.TreeSet<>();
        // one name a line; the JSON string escapes its line ends
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^\\s*([a-z]+):([A-Za-z0-9_-]+)\\s*$")
                .matcher(out(helpJson).replace("\\n", "\n").replace("\\r", ""));
        while (m.find()) {
            names.add(m.group(1) + ":" + m.group(2));
            if (m.group(1).equals("module")) {
                names.add(m.group(2));
            }
        }
        return List.copyOf(names);
    }

    /** @return the {@code out} member of a JSON answer of the command endpoint, still escaped */
    private static String out(String json) {
        int from = json.indexOf("\"out\":\"");
        int to = json.indexOf("\",\"err\"", from);
        return from < 0 || to < 0 ? "" : json.substring(from + 7, to);
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(base.resolve(path)).header("Authorization", authorization)
                .header("Accept", STREAM).timeout(Duration.ofDays(1));
    }

    /** Sends commands, copies the framed output to out and err as it comes; @return the exit status */
    private int send(String path, String method, String json, PrintStream out, PrintStream err) {
        HttpRequest req = request(path).header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8)).build();
        try {
            HttpResponse<InputStream> r = http.send(req, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = new BufferedInputStream(r.body())) {
                if (r.statusCode() != 200) {
                    err.println("modreg: " + base + " answered " + detail(r.statusCode(),
                            new String(in.readAllBytes(), StandardCharsets.UTF_8)));
                    return Main.START_FAILED;
                }
                return frames(in, out, err);
            }
        } catch (ConnectException e) {
            err.println("modreg: cannot reach the container at " + base + " (connection refused): is it running?");
            return Main.START_FAILED;
        } catch (IOException e) {
            err.println("modreg: the connection to " + base + " broke: " + e);
            return Main.START_FAILED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Main.COMMAND_FAILED;
        }
    }

    static int frames(InputStream in, PrintStream out, PrintStream err) throws IOException {
        while (true) {
            String header = line(in);
            if (header == null) {
                err.println("modreg: the container closed the connection before the commands ended");
                return Main.START_FAILED;
            }
            char channel = header.isEmpty() ? '?' : header.charAt(0);
            int n;
            try {
                n = Integer.parseInt(header.substring(2).strip());
            } catch (RuntimeException e) {
                throw new IOException("not a frame of the command stream: " + header);
            }
            if (channel == 'x') {
                out.flush();
                err.flush();
                return n;
            }
            byte[] b = in.readNBytes(n);
            (channel == 'e' ? err : out).write(b, 0, b.length);
            (channel == 'e' ? err : out).flush();
        }
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int c; (c = in.read()) != '\n';) {
            if (c < 0) {
                return b.size() == 0 ? null : b.toString(StandardCharsets.US_ASCII);
            }
            b.write(c);
        }
        return b.toString(StandardCharsets.US_ASCII);
    }

    /** The detail of a problem+json answer, or the status and body. */
    private static String detail(int status, String body) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"detail\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(body);
        return status + (m.find() ? ": " + m.group(1).replace("\\\"", "\"") : body.isBlank() ? "" : ": " + body.strip());
    }

    /** A JSON string literal. */
    static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}

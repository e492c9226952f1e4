package org.modreg.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The README's tour, typed into the interactive shell of the built distribution as its reader
 * would type it: every command of its command blocks, in order, in one session on a
 * pseudo-terminal, and the copies its {@code sh} blocks make "in another terminal" made between
 * them. A command the README says is refused must fail, every other must succeed; a few outputs
 * the tour shows are checked too. Keeps the README true as the code changes.
 */
public class TourIT {

    /** A step of the tour: what is typed (or done by the driver, starting with '@'), and what the README says of it. */
    record Step(String command, String comment) {
        /** Whether the README says it fails: refused, or a start that fails. */
        boolean refused() {
            return comment.contains("refused") || comment.contains("fails");
        }
    }

    private static final Pattern ANSI = Pattern.compile("\u001B\\[[0-9;?]*[A-Za-z]|\u001B[=>]|\r");
    private static final Pattern MARK = Pattern.compile("\n<<<pty-drive: (.*)>>>\n");
    /** A command of a command block: a module command, a trailing comment after two or more spaces. */
    private static final Pattern COMMAND = Pattern.compile("(module:\\S.*?)(?:\\s{2,}#\\s*(.*))?");
    private static final Pattern COPY = Pattern.compile("cp (\\S+) deploy/(\\S*)\\s+#.*");

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder(new java.io.File("target"));

    @Test
    public void theTourWorksWhenTypedIn() throws Exception {
        Path root = Path.of("..").toAbsolutePath().normalize();
        Path home = tmp.newFolder("home").toPath().toAbsolutePath();
        // the tour's relative paths (runtime/..., itest/..., README.md) from a directory of its own, for its text.dot
        Path work = tmp.newFolder("work").toPath().toAbsolutePath();
        for (String name : List.of("runtime", "itest", "README.md")) {
            Files.createSymbolicLink(work.resolve(name), root.resolve(name));
        }
        List<Step> steps = tour(Files.readString(root.resolve("README.md")), home.resolve("deploy"));
        assertTrue("the tour has its commands: " + steps, steps.stream().filter(s -> !s.command().startsWith("@")).count() > 40);

        Launcher launcher = new Launcher(home);
        Path driver = Path.of(getClass().getResource("/pty-drive.py").toURI());
        List<String> cmd = new ArrayList<>(List.of("python3", driver.toString(),
                String.join(";;", steps.stream().map(Step::command).toList())));
        cmd.addAll(launcher.command().command());
        Process p = new ProcessBuilder(cmd).directory(work.toFile()).redirectErrorStream(true).start();
        String raw = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String all = plain(raw);
        assertTrue(all, p.waitFor(120, TimeUnit.SECONDS));
        assertEquals(all, 0, p.exitValue());
        assertFalse(all, all.contains("gosh_profile: ERROR"));

        List<String> outputs = outputs(raw);
        assertEquals(all, steps.size(), outputs.size());
        List<String> wrong = new ArrayList<>();
        for (int i = 0; i < steps.size(); i++) {
            Step s = steps.get(i);
            // the shell shows a command's failure in red: its exception and message
            boolean failed = outputs.get(i).contains(RED);
            if (!s.command().startsWith("@") && s.refused() != failed) {
                wrong.add(s.command() + (s.refused() ? ": not refused" : ": failed") + "\n" + plain(outputs.get(i)));
            }
        }
        assertTrue(String.join("\n\n", wrong), wrong.isEmpty());

        // what the tour says happens
        assertTrue(output(steps, outputs, "module:install --start runtime/target/modreg/examples/text.jar", "").contains("installed: ACTIVE"));
        String piped = output(steps, outputs, "module:find -c text-processing | grep markdown", "");
        assertTrue(piped, piped.contains("org.modreg.example.markdown") && !piped.contains("org.modreg.example.text "));
        String plugins = output(steps, outputs, "module:list --type plugin", "still 0.1.0.SNAPSHOT");
        assertTrue(plugins, plugins.matches("(?s).*\\| org\\.modreg\\.example\\.text +\\| 0\\.1\\.0\\.SNAPSHOT +\\| ACTIVE .*"));
        String info = output(steps, outputs, "module:info org.modreg.example.text", "rollback is in its error history");
        assertTrue(info, info.contains("was rolled back"));
        String check = output(steps, outputs, "module:check runtime/target/modreg/examples/unresolvable.jar", "");
        assertTrue(check, check.contains("would NOT resolve"));
        String history = output(steps, outputs, "module:history org.modreg.example.text", "");
        assertTrue(history, history.contains("rolled back"));
        String verify = output(steps, outputs, "module:verify", "");
        assertTrue(verify, verify.contains("all match"));
        String dot = Files.readString(work.resolve("text.dot"));
        assertTrue(dot, dot.startsWith("digraph"));
        assertFalse("undeployed: its file is gone", Files.exists(home.resolve("deploy/text.jar")));
    }

    private static final String RED = "\u001B[31m";

    private static String plain(String terminal) {
        return ANSI.matcher(terminal).replaceAll("");
    }

    /** The output, without escape sequences, of the first step typed as {@code command} whose comment has {@code comment}. */
    private static String output(List<Step> steps, List<String> outputs, String command, String comment) {
        for (int i = 0; i < steps.size(); i++) {
            Matcher c = COMMAND.matcher(steps.get(i).command());
            if (c.matches() && c.group(1).equals(command) && steps.get(i).comment().contains(comment)) {
                return plain(outputs.get(i));
            }
        }
        throw new AssertionError("no step " + command + " # ..." + comment);
    }

    /**
     * The steps of the README's "A tour" section: each line of a command block (a block whose every
     * line is a module command), and for each copy into {@code deploy/} of an {@code sh} block the
     * copy and a pause for the deploy directory to act. A command the README marks as an
     * illustration (modules not among the examples) is left out.
     */
    static List<Step> tour(String readme, Path deploy) {
        int from = readme.indexOf("\n## A tour");
        int to = readme.indexOf("\n## ", from + 1);
        String section = readme.substring(from, to < 0 ? readme.length() : to);
        List<Step> steps = new ArrayList<>();
        Matcher block = Pattern.compile("\n```(\\w*)\n(.*?)\n```", Pattern.DOTALL).matcher(section);
        while (block.find()) {
            List<String> lines = block.group(2).lines().filter(l -> !l.isBlank()).toList();
            if (block.group(1).equals("sh")) {
                for (String l : lines) {
                    Matcher c = COPY.matcher(l);
                    if (c.matches()) {
                        String name = c.group(2).isEmpty() ? Path.of(c.group(1)).getFileName().toString() : c.group(2);
                        steps.add(new Step("@copy " + c.group(1) + " " + deploy.resolve(name), ""));
                        steps.add(new Step("@sleep 4", ""));
                    }
                }
            } else if (!lines.isEmpty() && lines.stream().allMatch(l -> COMMAND.matcher(l).matches())) {
                for (String l : lines) {
                    Matcher c = COMMAND.matcher(l);
                    c.matches();
                    String comment = c.group(2) == null ? "" : c.group(2);
                    if (!comment.contains("not among the examples")) {
                        steps.add(new Step(l, comment));
                    }
                }
            }
        }
        return steps;
    }

    /** What each step printed, in order: the driver marks where each begins. */
    private static List<String> outputs(String raw) {
        List<String> outputs = new ArrayList<>();
        Matcher m = MARK.matcher(raw);
        int start = -1;
        while (m.find()) {
            if (start >= 0) {
                outputs.add(raw.substring(start, m.start()));
            }
            start = m.end();
        }
        if (start >= 0) {
            outputs.add(raw.substring(start));
        }
        return outputs;
    }
}

package org.modreg.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class AttachTest {

    @Test
    void framesGoToTheirStreamAndTheLastGivesTheStatus() throws Exception {
        String stream = "o 6\nhello\ne 5\noops\no 3\nab\nx 1\n";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Attach.frames(new ByteArrayInputStream(stream.getBytes(StandardCharsets.UTF_8)), new PrintStream(out),
                new PrintStream(err));
        assertEquals(1, status);
        assertEquals("hello\nab\n", out.toString(StandardCharsets.UTF_8));
        assertEquals("oops\n", err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aStreamCutShortIsAFailureToReachTheContainer() throws Exception {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Attach.frames(new ByteArrayInputStream("o 2\nok".getBytes(StandardCharsets.UTF_8)),
                new PrintStream(new ByteArrayOutputStream()), new PrintStream(err));
        assertEquals(Main.START_FAILED, status);
        assertEquals("modreg: the container closed the connection before the commands ended\n", err.toString(StandardCharsets.UTF_8));
        assertThrows(IOException.class, () -> Attach.frames(new ByteArrayInputStream("<html>\n".getBytes()),
                new PrintStream(new ByteArrayOutputStream()), new PrintStream(new ByteArrayOutputStream())));
    }

    @Test
    void commandsAreQuotedAsJsonStrings() {
        assertEquals("\"module:find -f '(a=b)' \\\"x\\\" \\\\ \\n\\t\\u0001\"", Attach.quote("module:find -f '(a=b)' \"x\" \\ \n\t\u0001"));
    }

    @Test
    void attachOptionsAreParsedAndContradictionsRefused() {
        Main.Options o = Main.Options.parse(new String[] { "--url=http://h:8181", "--user", "alice", "-c", "module:list" });
        assertEquals("http://h:8181", o.url);
        assertEquals("alice", o.user);
        assertThrows(IllegalArgumentException.class, () -> Main.Options.parse(new String[] { "--daemon", "--url", "http://h" }));
        assertThrows(IllegalArgumentException.class, () -> Main.Options.parse(new String[] { "--local", "--url", "http://h" }));
    }

    @Test
    void completionTakesTheCommandNamesOfHelp() {
        String help = "{\"status\":0,\"out\":\"cm:listconfigurations\\nmodule:list\\nmodule:deploy\\nfelix:lb\\n\",\"err\":\"\"}";
        assertEquals(java.util.List.of("cm:listconfigurations", "deploy", "felix:lb", "list", "module:deploy", "module:list"),
                Attach.namesInHelp(help));
    }
}

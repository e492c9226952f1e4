package org.modreg.example.markdown;

import java.nio.charset.StandardCharsets;

import org.modreg.api.annotations.Capability;
import org.modreg.example.processor.DataProcessor;
import org.osgi.service.component.annotations.Component;

/** Renders headings ({@code #}) and paragraphs of Markdown as HTML: enough for a demo. */
@Component(property = "service.ranking:Integer=10")
@Capability({ "markdown", "text-processing" })
public class MarkdownProcessor implements DataProcessor {

    @Override
    public String name() {
        return "markdown";
    }

    @Override
    public byte[] process(byte[] input) {
        StringBuilder html = new StringBuilder();
        for (String line : new String(input, StandardCharsets.UTF_8).split("\\R")) {
            int level = 0;
            while (level < line.length() && line.charAt(level) == '#') {
                level++;
            }
            if (level > 0 && level <= 6) {
                html.append("<h").append(level).append('>').append(escape(line.substring(level).trim()))
                        .append("</h").append(level).append(">\n");
            } else if (!line.isBlank()) {
                html.append("<p>").append(escape(line.trim())).append("</p>\n");
            }
        }
        return html.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}

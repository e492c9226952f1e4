package org.modreg.shell.format;

import java.util.stream.Collectors;

import org.apache.felix.service.command.Converter;
import org.osgi.service.component.annotations.Component;

/** What a scan of the deploy directory did, file by file. */
@Component(service = Converter.class, property = Converter.CONVERTER_CLASSES + "=org.modreg.shell.format.DeployResults")
public class DeployResultsFormat extends Format<DeployResults> {

    public DeployResultsFormat() {
        super(DeployResults.class);
    }

    @Override
    protected CharSequence format(DeployResults r, int level) {
        return r.results().isEmpty() ? "Nothing to do"
                : r.results().stream().map(DeployResultFormat::deployed).collect(Collectors.joining("\n"));
    }
}

package org.modreg.shell.format;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.felix.service.command.Converter;
import org.modreg.api.dto.ServiceMatch;
import org.osgi.service.component.annotations.Component;

/** Live services of a capability: id, interfaces, ranking, module and the properties worth reading. */
@Component(service = Converter.class, property = Converter.CONVERTER_CLASSES + "=org.modreg.shell.format.ServiceTable")
public class ServiceTableFormat extends Format<ServiceTable> {

    public ServiceTableFormat() {
        super(ServiceTable.class);
    }

    @Override
    protected CharSequence format(ServiceTable s, int level) {
        if (s.services().isEmpty()) {
            return "No services";
        }
        Table t = new Table("Service", "Interface", "Ranking", "Module", "Properties");
        for (ServiceMatch<Object> m : s.services()) {
            Map<String, Object> props = new TreeMap<>(m.info().properties());
            Object ranking = props.getOrDefault("service.ranking", 0);
            HIDDEN.forEach(props::remove);
            t.row(m.info().serviceId(), String.join(", ", m.info().objectClass()), ranking, m.provider().ref(), Text.attributes(props));
        }
        return t.toString().stripTrailing();
    }

    /** Properties every service has, or shown in a column of their own. */
    private static final List<String> HIDDEN = List.of("objectClass", "service.id", "service.bundleid", "service.scope",
            "service.ranking", "component.id", "component.name", "osgi.ds.satisfying.condition.target");
}

package org.modreg.shell.format;

import java.util.List;

import org.modreg.api.dto.ServiceMatch;

/**
 * The result of {@code module:services}: live services, best first, printed as a table.
 *
 * @param services the services
 */
public record ServiceTable(List<ServiceMatch<Object>> services) {
}

package org.modreg.shell.format;

import java.util.List;

import org.modreg.api.dto.AuditEntry;

/**
 * The result of {@code module:audit}: the entries, oldest first.
 *
 * @param entries the audit entries
 */
public record AuditTable(List<AuditEntry> entries) {
}

package org.modreg.shell.format;

import java.util.List;

import org.modreg.api.dto.DeployResult;

/**
 * The result of {@code module:deploy} without a jar: one line a file acted on.
 *
 * @param results the results
 */
public record DeployResults(List<DeployResult> results) {
}

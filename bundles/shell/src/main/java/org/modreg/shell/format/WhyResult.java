package org.modreg.shell.format;

import java.util.List;
import java.util.Map;

import org.modreg.api.dto.WireInfo;

/**
 * The result of {@code module:why}.
 *
 * @param from   "id version (bundle n)" of the first module
 * @param to     the second
 * @param names  module names by bundle id, for the wires
 * @param wires  the wires that tie them, in chain order
 */
public record WhyResult(String from, String to, Map<Long, String> names, List<WireInfo> wires) {
}

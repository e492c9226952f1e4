package org.modreg.api;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.osgi.framework.Filter;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.VersionRange;

/**
 * What to find, for {@link ModuleRegistry#find(ModuleQuery)}: an immutable value built
 * fluently; every method returns a new query. Criteria combine with AND:
 *
 * <pre>
 * registry.find(ModuleQuery.all()
 *         .capability("text-processing")                       // provides this named capability
 *         .filter("osgi.wiring.package", "(osgi.wiring.package=org.x.*)")
 *         .keywords("markdown html")
 *         .state(ModuleState.ACTIVE)
 *         .versions("[1.0,2)")
 *         .limit(10));
 * </pre>
 *
 * Filters and version ranges are checked when they are given: a malformed one throws
 * {@link InvalidQueryException} at once, naming it.
 */
public final class ModuleQuery {

    /** The namespace of named capabilities, generic ({@code Provide-Capability}) or service properties. */
    public static final String CAPABILITY_NAMESPACE = "modreg.capability";

    private final Set<String> capabilities;
    private final Map<String, List<Filter>> filters;
    private final List<String> keywords;
    private final String type;
    private final Set<String> anyTags;
    private final Set<String> allTags;
    private final VersionRange versions;
    private final Set<ModuleState> states;
    private final int limit;
    private final int offset;

    private ModuleQuery(Set<String> capabilities, Map<String, List<Filter>> filters, List<String> keywords, String type,
            Set<String> anyTags, Set<String> allTags, VersionRange versions, Set<ModuleState> states, int limit, int offset) {
        this.capabilities = capabilities;
        this.filters = filters;
        this.keywords = keywords;
        this.type = type;
        this.anyTags = anyTags;
        this.allTags = allTags;
        this.versions = versions;
        this.states = states;
        this.limit = limit;
        this.offset = offset;
    }

    /** @return the query that matches every module */
    public static ModuleQuery all() {
        return new ModuleQuery(Set.of(), Map.of(), List.of(), null, Set.of(), Set.of(), null, Set.of(), Integer.MAX_VALUE, 0);
    }

    /**
     * Modules that provide all these named capabilities ({@value #CAPABILITY_NAMESPACE}), as a
     * generic capability or as a service property.
     *
     * @param names capability names
     * @return the new query
     */
    public ModuleQuery capability(String... names) {
        Set<String> c = new LinkedHashSet<>(capabilities);
        Collections.addAll(c, names);
        return new ModuleQuery(Set.copyOf(c), filters, keywords, type, anyTags, allTags, versions, states, limit, offset);
    }

    /**
     * Modules with a capability in this namespace whose attributes match the filter. Several
     * filters must each be matched (by the same or different capabilities).
     *
     * @param namespace any namespace: {@code osgi.wiring.package}, {@code osgi.service},
     *                  {@code osgi.identity}, {@value #CAPABILITY_NAMESPACE}, a custom one
     * @param ldap      an LDAP filter over the capability's attributes; {@code null} or empty for
     *                  any capability of the namespace
     * @return the new query
     * @throws InvalidQueryException if the filter is malformed
     */
    public ModuleQuery filter(String namespace, String ldap) {
        Filter f = null;
        if (ldap != null && !ldap.isBlank()) {
            try {
                f = FrameworkUtil.createFilter(ldap);
            } catch (InvalidSyntaxException e) {
                throw new InvalidQueryException("invalid filter \"" + ldap + "\" for namespace " + namespace + ": "
                        + e.getMessage(), e);
            }
        }
        Map<String, List<Filter>> m = new LinkedHashMap<>(filters);
        List<Filter> list = new ArrayList<>(m.getOrDefault(namespace, List.of()));
        list.add(f);
        m.put(namespace, Collections.unmodifiableList(list));
        return new ModuleQuery(capabilities, Collections.unmodifiableMap(m), keywords, type, anyTags, allTags, versions,
                states, limit, offset);
    }

    /**
     * Free text: case-insensitive words over id, name, description, tags and capability names.
     * A module matches if it has at least one of the words (or a word that starts with it);
     * modules with more, and with words in the id or name, rank higher.
     *
     * @param text words separated by anything that is not a letter or digit
     * @return the new query
     */
    public ModuleQuery keywords(String text) {
        List<String> k = new ArrayList<>(keywords);
        for (String w : text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
            if (!w.isEmpty() && !k.contains(w)) {
                k.add(w);
            }
        }
        return new ModuleQuery(capabilities, filters, List.copyOf(k), type, anyTags, allTags, versions, states, limit, offset);
    }

    /** @param moduleType the module type, case-insensitive; @return the new query */
    public ModuleQuery type(String moduleType) {
        return new ModuleQuery(capabilities, filters, keywords, moduleType.toLowerCase(Locale.ROOT), anyTags, allTags,
                versions, states, limit, offset);
    }

    /** @param tags modules with at least one of these tags; @return the new query */
    public ModuleQuery anyTag(String... tags) {
        return new ModuleQuery(capabilities, filters, keywords, type, Set.of(tags), allTags, versions, states, limit, offset);
    }

    /** @param tags modules with all of these tags; @return the new query */
    public ModuleQuery allTags(String... tags) {
        return new ModuleQuery(capabilities, filters, keywords, type, anyTags, Set.of(tags), versions, states, limit, offset);
    }

    /**
     * @param range module versions in OSGi range syntax: {@code [1.0,2)}, {@code 1.2} (at least)
     * @return the new query
     * @throws InvalidQueryException if the range is malformed
     */
    public ModuleQuery versions(String range) {
        VersionRange r;
        try {
            r = VersionRange.valueOf(range.trim());
        } catch (IllegalArgumentException e) {
            throw new InvalidQueryException("invalid version range \"" + range + "\": " + e.getMessage(), e);
        }
        return new ModuleQuery(capabilities, filters, keywords, type, anyTags, allTags, r, states, limit, offset);
    }

    /** @param wanted modules in any of these states; @return the new query */
    public ModuleQuery state(ModuleState... wanted) {
        Set<ModuleState> s = EnumSet.noneOf(ModuleState.class);
        Collections.addAll(s, wanted);
        return new ModuleQuery(capabilities, filters, keywords, type, anyTags, allTags, versions, Set.copyOf(s), limit, offset);
    }

    /** @param max at most this many results; @return the new query */
    public ModuleQuery limit(int max) {
        if (max < 0) {
            throw new IllegalArgumentException("limit must not be negative: " + max);
        }
        return new ModuleQuery(capabilities, filters, keywords, type, anyTags, allTags, versions, states, max, offset);
    }

    /** @param skip skip this many results first; @return the new query */
    public ModuleQuery offset(int skip) {
        if (skip < 0) {
            throw new IllegalArgumentException("offset must not be negative: " + skip);
        }
        return new ModuleQuery(capabilities, filters, keywords, type, anyTags, allTags, versions, states, limit, skip);
    }

    /** @return required capability names */
    public Set<String> capabilities() {
        return capabilities;
    }

    /** @return filters by namespace; a {@code null} filter means any capability of the namespace */
    public Map<String, List<Filter>> filters() {
        return filters;
    }

    /** @return lower-case keywords */
    public List<String> keywords() {
        return keywords;
    }

    /** @return the type, or {@code null} */
    public String type() {
        return type;
    }

    /** @return tags of which one is needed */
    public Set<String> anyTags() {
        return anyTags;
    }

    /** @return tags of which all are needed */
    public Set<String> allTags() {
        return allTags;
    }

    /** @return the version range, or {@code null} */
    public VersionRange versions() {
        return versions;
    }

    /** @return the states, empty for any */
    public Set<ModuleState> states() {
        return states;
    }

    /** @return the maximum number of results */
    public int limit() {
        return limit;
    }

    /** @return results skipped */
    public int offset() {
        return offset;
    }
}

package org.modreg.core;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

import org.apache.felix.utils.resource.SimpleFilter;
import org.modreg.api.ModuleQuery;
import org.modreg.api.dto.CapabilityInfo;
import org.modreg.api.dto.Module;
import org.modreg.api.dto.ModuleMatch;
import org.modreg.api.dto.ServiceInfo;
import org.osgi.framework.Filter;

/**
 * Inverted indexes over module records: capability names, capability attribute values by
 * namespace, namespaces, and keywords. A query narrows the candidates through the indexes, then
 * checks each candidate exactly (the indexes only ever over-approximate), so results are the
 * same as a scan of every record would give.
 *
 * <p>Writers (bundle and service events) take the write lock for one module at a time; queries
 * take the read lock, so a query sees each module either before or after a change, never half.
 */
final class ModuleIndex {

    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    private final Map<Long, Module> modules = new HashMap<>();
    private final Map<String, Set<Long>> byCapabilityName = new HashMap<>();
    private final Map<String, Set<Long>> byNamespace = new HashMap<>();
    /** namespace -> attribute -> value (as a string) -> modules */
    private final Map<String, Map<String, Map<String, Set<Long>>>> byAttribute = new HashMap<>();
    private final NavigableMap<String, Set<Long>> byWord = new TreeMap<>();
    /**
     * "namespace attribute" pairs that have had a value other than a String: the filter compares
     * those by type (1.2 equals version 1.2.0), so their string postings cannot narrow a query.
     */
    private final Set<String> typed = new HashSet<>();

    /** Indexes a module, replacing what was indexed for its bundle before. */
    void put(Module m) {
        lock.writeLock().lock();
        try {
            Module old = modules.put(m.bundleId(), m);
            if (old != null) {
                postings(old, false);
            }
            postings(m, true);
        } finally {
            lock.writeLock().unlock();
        }
    }

    void remove(long bundleId) {
        lock.writeLock().lock();
        try {
            Module old = modules.remove(bundleId);
            if (old != null) {
                postings(old, false);
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    int size() {
        lock.readLock().lock();
        try {
            return modules.size();
        } finally {
            lock.readLock().unlock();
        }
    }

    private void postings(Module m, boolean add) {
        long id = m.bundleId();
        for (String name : capabilityNames(m)) {
            post(byCapabilityName, name, id, add);
        }
        for (CapabilityInfo c : m.capabilities()) {
            post(byNamespace, c.namespace(), id, add);
            Map<String, Map<String, Set<Long>>> attrs = byAttribute.computeIfAbsent(c.namespace(), k -> new HashMap<>());
            for (Map.Entry<String, Object> a : c.attributes().entrySet()) {
                if (add && !(a.getValue() instanceof String)
                        && !(a.getValue() instanceof Collection<?> col && col.stream().allMatch(String.class::isInstance))) {
                    typed.add(c.namespace() + " " + a.getKey());
                }
                Map<String, Set<Long>> values = attrs.computeIfAbsent(a.getKey(), k -> new HashMap<>());
                for (String v : values(a.getValue())) {
                    post(values, v, id, add);
                }
            }
        }
        for (String w : m.keywords()) {
            post(byWord, w, id, add);
        }
    }

    private static <K> void post(Map<K, Set<Long>> index, K key, long id, boolean add) {
        if (add) {
            index.computeIfAbsent(key, k -> new HashSet<>(4)).add(id);
        } else {
            Set<Long> ids = index.get(key);
            if (ids != null && ids.remove(id) && ids.isEmpty()) {
                index.remove(key);
            }
        }
    }

    private static List<String> values(Object value) {
        if (value instanceof Collection<?> c) {
            return c.stream().map(String::valueOf).toList();
        }
        return List.of(String.valueOf(value));
    }

    /** Named capabilities: generic {@code modreg.capability} capabilities and service properties. */
    static Set<String> capabilityNames(Module m) {
        Set<String> names = new HashSet<>();
        for (CapabilityInfo c : m.capabilities()) {
            if (ModuleQuery.CAPABILITY_NAMESPACE.equals(c.namespace()) && c.name() != null) {
                names.addAll(values(c.name()));
            }
        }
        for (ServiceInfo s : m.services()) {
            Object v = s.properties().get(ModuleQuery.CAPABILITY_NAMESPACE);
            if (v != null) {
                names.addAll(values(v));
            }
        }
        return names;
    }

    List<ModuleMatch> find(ModuleQuery q) {
        lock.readLock().lock();
        List<ModuleMatch> matches = new ArrayList<>();
        try {
            for (Long id : candidates(q)) {
                Module m = modules.get(id);
                if (m != null) {
                    ModuleMatch match = match(m, q);
                    if (match != null) {
                        matches.add(match);
                    }
                }
            }
        } finally {
            lock.readLock().unlock();
        }
        matches.sort(Comparator.comparingDouble(ModuleMatch::score).reversed()
                .thenComparing(x -> x.module().version(), Comparator.reverseOrder())
                .thenComparing(x -> x.module().id())
                .thenComparingLong(x -> x.module().bundleId()));
        int from = Math.min(q.offset(), matches.size());
        int to = (int) Math.min((long) from + q.limit(), matches.size());
        return List.copyOf(matches.subList(from, to));
    }

    /** The smallest set the indexes can give for the query; every module when nothing narrows. */
    private Collection<Long> candidates(ModuleQuery q) {
        Set<Long> result = null;
        for (String name : q.capabilities()) {
            result = intersect(result, byCapabilityName.getOrDefault(name, Set.of()));
        }
        for (Map.Entry<String, List<Filter>> f : q.filters().entrySet()) {
            for (Filter filter : f.getValue()) {
                result = intersect(result, narrow(f.getKey(), filter));
            }
        }
        if (!q.keywords().isEmpty()) {
            Set<Long> any = new HashSet<>();
            for (String w : q.keywords()) {
                // the word itself and every indexed word that starts with it
                for (Set<Long> ids : byWord.subMap(w, true, w + Character.MAX_VALUE, false).values()) {
                    any.addAll(ids);
                }
            }
            result = intersect(result, any);
        }
        return result != null ? result : modules.keySet();
    }

    /** Candidates for a filter in a namespace: through its equality terms when it has any. */
    private Set<Long> narrow(String namespace, Filter filter) {
        Set<Long> inNamespace = byNamespace.getOrDefault(namespace, Set.of());
        if (filter == null) {
            return inNamespace;
        }
        SimpleFilter sf = SimpleFilter.parse(filter.toString());
        List<SimpleFilter> terms = sf.getOperation() == SimpleFilter.AND ? castList(sf.getValue()) : List.of(sf);
        Map<String, Map<String, Set<Long>>> attrs = byAttribute.getOrDefault(namespace, Map.of());
        Set<Long> result = null;
        for (SimpleFilter t : terms) {
            if (t.getOperation() == SimpleFilter.EQ && !typed.contains(namespace + " " + t.getName())) {
                Map<String, Set<Long>> values = attrs.getOrDefault(t.getName(), Map.of());
                result = intersect(result, values.getOrDefault(String.valueOf(t.getValue()), Set.of()));
            }
        }
        return result != null ? result : inNamespace;
    }

    @SuppressWarnings("unchecked")
    private static List<SimpleFilter> castList(Object o) {
        return (List<SimpleFilter>) o;
    }

    private static Set<Long> intersect(Set<Long> acc, Set<Long> more) {
        if (acc == null) {
            return new HashSet<>(more);
        }
        acc.retainAll(more);
        return acc;
    }

    /** The exact check of one module, with the capabilities that matched and the keyword score. */
    static ModuleMatch match(Module m, ModuleQuery q) {
        if (q.type() != null && !q.type().equals(m.type())) {
            return null;
        }
        if (!q.states().isEmpty() && !q.states().contains(m.state())) {
            return null;
        }
        if (q.versions() != null && !q.versions().includes(m.version())) {
            return null;
        }
        if (!q.anyTags().isEmpty() && m.tags().stream().noneMatch(q.anyTags()::contains)) {
            return null;
        }
        if (!m.tags().containsAll(q.allTags())) {
            return null;
        }
        List<CapabilityInfo> matched = new ArrayList<>();
        if (!q.capabilities().isEmpty()) {
            if (!capabilityNames(m).containsAll(q.capabilities())) {
                return null;
            }
            for (CapabilityInfo c : m.capabilities()) {
                if (ModuleQuery.CAPABILITY_NAMESPACE.equals(c.namespace())
                        && values(c.name()).stream().anyMatch(q.capabilities()::contains)) {
                    matched.add(c);
                }
            }
            // advertised on a service: reported as a capability carrying the service's id
            for (ServiceInfo s : m.services()) {
                Object v = s.properties().get(ModuleQuery.CAPABILITY_NAMESPACE);
                if (v != null) {
                    for (String name : values(v)) {
                        if (q.capabilities().contains(name)) {
                            matched.add(new CapabilityInfo(ModuleQuery.CAPABILITY_NAMESPACE,
                                    Map.of(ModuleQuery.CAPABILITY_NAMESPACE, name, "service.id", s.serviceId()), Map.of()));
                        }
                    }
                }
            }
        }
        for (Map.Entry<String, List<Filter>> f : q.filters().entrySet()) {
            for (Filter filter : f.getValue()) {
                boolean any = false;
                for (CapabilityInfo c : m.capabilities()) {
                    if (c.namespace().equals(f.getKey()) && (filter == null || filter.matches(c.attributes()))) {
                        any = true;
                        if (!matched.contains(c)) {
                            matched.add(c);
                        }
                    }
                }
                if (!any) {
                    return null;
                }
            }
        }
        double score = 0;
        if (!q.keywords().isEmpty()) {
            score = score(m, q.keywords());
            if (score == 0) {
                return null;
            }
        }
        return new ModuleMatch(m, score, matched);
    }

    /**
     * Relevance: for each query word, 3 when a word of the id starts with it, 2 when a word of
     * the name does, 1 when any keyword does (description, tags, capability names); an exact
     * word counts half again.
     */
    static double score(Module m, List<String> words) {
        double score = 0;
        for (String w : words) {
            double best = 0;
            for (String k : m.keywords()) {
                if (k.startsWith(w)) {
                    double s = in(m.id(), k) ? 3 : in(m.name(), k) ? 2 : 1;
                    best = Math.max(best, k.equals(w) ? s * 1.5 : s);
                }
            }
            score += best;
        }
        return score;
    }

    private static boolean in(String text, String word) {
        if (text == null) {
            return false;
        }
        for (String t : text.toLowerCase(java.util.Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
            if (t.equals(word)) {
                return true;
            }
        }
        return false;
    }
}

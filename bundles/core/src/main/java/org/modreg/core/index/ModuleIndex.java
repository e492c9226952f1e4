package org.modreg.core.index;

import org.modreg.core.records.Records;

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
public final class ModuleIndex implements org.modreg.core.records.RecordSubscriber {

    /** Keeps the index current with the records: a module indexed again at each change, dropped when uninstalled. */
    @Override
    public void recordChanged(Module m) {
        if (m.state() == org.modreg.api.ModuleState.UNINSTALLED) {
            remove(m.bundleId());
        } else {
            put(m);
        }
    }


    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    private final Map<Long, Module> modules = new HashMap<>();
    /**
     * For each capability name, the matches of a query for that name alone, kept in ranking order:
     * the commonest query ("who provides X") is then a copy of a list, with no per-query work.
     */
    private final Map<String, List<ModuleMatch>> rankedByName = new HashMap<>();
    /** Named capabilities advertised on services, as capabilities carrying the service's id: built once a module. */
    private final Map<Long, List<CapabilityInfo>> serviceCapabilities = new HashMap<>();
    /** Postings of the words of module ids and names: they weigh more in a keyword score. */
    private final Map<String, LongSet> byIdWord = new HashMap<>();
    private final Map<String, LongSet> byNameWord = new HashMap<>();
    private final Map<String, LongSet> byCapabilityName = new HashMap<>();
    /** Only the names declared in Provide-Capability, for service look-ups through the module. */
    private final Map<String, LongSet> byGenericName = new HashMap<>();
    private final Map<String, LongSet> byNamespace = new HashMap<>();
    /** namespace -> attribute -> value (as a string) -> modules */
    private final Map<String, Map<String, Map<String, LongSet>>> byAttribute = new HashMap<>();
    private final NavigableMap<String, LongSet> byWord = new TreeMap<>();
    /**
     * "namespace attribute" pairs that have had a value other than a String: the filter compares
     * those by type (1.2 equals version 1.2.0), so their string postings cannot narrow a query.
     */
    private final Set<String> typed = new HashSet<>();

    /** Indexes a module, replacing what was indexed for its bundle before. */
    public void put(Module m) {
        lock.writeLock().lock();
        try {
            Module old = modules.put(m.bundleId(), m);
            if (old != null) {
                forget(old);
            }
            Set<String> names = capabilityNames(m);
            postings(m, names, true);
            List<CapabilityInfo> fromServices = serviceCapabilities(m);
            if (fromServices.isEmpty()) {
                serviceCapabilities.remove(m.bundleId());
            } else {
                serviceCapabilities.put(m.bundleId(), fromServices);
            }
            for (String name : names) {
                ModuleMatch match = criteria(m, ModuleQuery.all().capability(name), 0, fromServices);
                List<ModuleMatch> ranked = rankedByName.computeIfAbsent(name, k -> new ArrayList<>());
                int at = java.util.Collections.binarySearch(ranked, match, RANKING);
                ranked.add(at < 0 ? -at - 1 : at, match);
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Drops every posting and ranked match of a module's previous record. */
    private void forget(Module old) {
        Set<String> names = capabilityNames(old);
        postings(old, names, false);
        for (String name : names) {
            List<ModuleMatch> ranked = rankedByName.get(name);
            if (ranked != null) {
                ranked.removeIf(x -> x.module().bundleId() == old.bundleId());
                if (ranked.isEmpty()) {
                    rankedByName.remove(name);
                }
            }
        }
    }

    /** The named capabilities of a module's services, each as a capability with the service's id. */
    public static List<CapabilityInfo> serviceCapabilities(Module m) {
        List<CapabilityInfo> caps = new ArrayList<>(0);
        for (ServiceInfo s : m.services()) {
            Object v = s.properties().get(ModuleQuery.CAPABILITY_NAMESPACE);
            if (v != null) {
                for (String name : values(v)) {
                    caps.add(new CapabilityInfo(ModuleQuery.CAPABILITY_NAMESPACE,
                            Map.of(ModuleQuery.CAPABILITY_NAMESPACE, name, "service.id", s.serviceId()), Map.of()));
                }
            }
        }
        return caps;
    }

    public void remove(long bundleId) {
        lock.writeLock().lock();
        try {
            Module old = modules.remove(bundleId);
            serviceCapabilities.remove(bundleId);
            if (old != null) {
                forget(old);
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    public int size() {
        lock.readLock().lock();
        try {
            return modules.size();
        } finally {
            lock.readLock().unlock();
        }
    }

    /** @return modules indexed, keys (names, words, attribute values) and postings (module ids under a key) */
    public long[] figures() {
        lock.readLock().lock();
        try {
            long keys = 0;
            long postings = 0;
            for (Map<String, LongSet> m : List.of(byIdWord, byNameWord, byCapabilityName, byGenericName, byNamespace, byWord)) {
                keys += m.size();
                for (LongSet set : m.values()) {
                    postings += set.size();
                }
            }
            for (Map<String, Map<String, LongSet>> byName : byAttribute.values()) {
                for (Map<String, LongSet> byValue : byName.values()) {
                    keys += byValue.size();
                    for (LongSet set : byValue.values()) {
                        postings += set.size();
                    }
                }
            }
            return new long[] { modules.size(), keys, postings };
        } finally {
            lock.readLock().unlock();
        }
    }

    private void postings(Module m, Set<String> names, boolean add) {
        long id = m.bundleId();
        for (String name : names) {
            post(byCapabilityName, name, id, add);
        }
        for (CapabilityInfo c : m.capabilities()) {
            if (ModuleQuery.CAPABILITY_NAMESPACE.equals(c.namespace()) && c.name() != null) {
                for (String name : values(c.name())) {
                    post(byGenericName, name, id, add);
                }
            }
            post(byNamespace, c.namespace(), id, add);
            Map<String, Map<String, LongSet>> attrs = byAttribute.computeIfAbsent(c.namespace(), k -> new HashMap<>());
            for (Map.Entry<String, Object> a : c.attributes().entrySet()) {
                if (add && !(a.getValue() instanceof String)
                        && !(a.getValue() instanceof Collection<?> col && col.stream().allMatch(String.class::isInstance))) {
                    typed.add(c.namespace() + " " + a.getKey());
                }
                Map<String, LongSet> values = attrs.computeIfAbsent(a.getKey(), k -> new HashMap<>());
                for (String v : values(a.getValue())) {
                    post(values, v, id, add);
                }
            }
        }
        for (String w : m.keywords()) {
            post(byWord, w, id, add);
        }
        for (String w : words(m.id())) {
            post(byIdWord, w, id, add);
        }
        for (String w : words(m.name())) {
            post(byNameWord, w, id, add);
        }
    }

    private static <K> void post(Map<K, LongSet> index, K key, long id, boolean add) {
        if (add) {
            index.computeIfAbsent(key, k -> new LongSet()).add(id);
        } else {
            LongSet ids = index.get(key);
            if (ids != null && ids.remove(id) && ids.isEmpty()) {
                index.remove(key);
            }
        }
    }

    /** Modules that declare a named capability in {@code Provide-Capability}. */
    public long[] genericProviders(String name) {
        lock.readLock().lock();
        try {
            LongSet ids = byGenericName.get(name);
            long[] out = new long[ids == null ? 0 : ids.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = ids.get(i);
            }
            return out;
        } finally {
            lock.readLock().unlock();
        }
    }

    private static List<String> values(Object value) {
        if (value instanceof Collection<?> c) {
            return c.stream().map(String::valueOf).toList();
        }
        return List.of(String.valueOf(value));
    }

    /** Whether a module provides a named capability, without building its set of names. */
    private static boolean provides(Module m, String name) {
        for (CapabilityInfo c : m.capabilities()) {
            if (ModuleQuery.CAPABILITY_NAMESPACE.equals(c.namespace()) && has(c.name(), name)) {
                return true;
            }
        }
        for (ServiceInfo s : m.services()) {
            if (has(s.properties().get(ModuleQuery.CAPABILITY_NAMESPACE), name)) {
                return true;
            }
        }
        return false;
    }

    /** Whether an attribute or property (a value or a collection of values) holds a name. */
    private static boolean has(Object value, String name) {
        return value instanceof Collection<?> c ? c.contains(name) : value != null && name.equals(String.valueOf(value));
    }

    private static boolean hasAny(Object value, Set<String> names) {
        if (value instanceof Collection<?> c) {
            for (Object o : c) {
                if (names.contains(String.valueOf(o))) {
                    return true;
                }
            }
            return false;
        }
        return value != null && names.contains(String.valueOf(value));
    }

    /** Named capabilities: generic {@code modreg.capability} capabilities and service properties. */
    public static Set<String> capabilityNames(Module m) {
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

    public List<ModuleMatch> find(ModuleQuery q) {
        lock.readLock().lock();
        List<ModuleMatch> matches = new ArrayList<>();
        try {
            if (q.capabilities().size() == 1 && q.filters().isEmpty() && q.keywords().isEmpty() && q.type() == null
                    && q.anyTags().isEmpty() && q.allTags().isEmpty() && q.versions() == null && q.states().isEmpty()) {
                List<ModuleMatch> ranked = rankedByName.getOrDefault(q.capabilities().iterator().next(), List.of());
                int from = Math.min(q.offset(), ranked.size());
                int to = (int) Math.min((long) from + q.limit(), ranked.size());
                return List.copyOf(ranked.subList(from, to));
            }
            LongSet candidates = candidates(q);
            if (!q.keywords().isEmpty()) {
                matches = byKeywords(q, candidates);
            } else if (candidates == null) {
                for (Module m : modules.values()) {
                    ModuleMatch match = criteria(m, q, 0, serviceCapabilities.getOrDefault(m.bundleId(), List.of()));
                    if (match != null) {
                        matches.add(match);
                    }
                }
            } else {
                for (int i = 0; i < candidates.size(); i++) {
                    long id = candidates.get(i);
                    Module m = modules.get(id);
                    if (m != null) {
                        ModuleMatch match = criteria(m, q, 0, serviceCapabilities.getOrDefault(id, List.of()));
                        if (match != null) {
                            matches.add(match);
                        }
                    }
                }
            }
        } finally {
            lock.readLock().unlock();
        }
        matches.sort(RANKING);
        int from = Math.min(q.offset(), matches.size());
        int to = (int) Math.min((long) from + q.limit(), matches.size());
        return List.copyOf(matches.subList(from, to));
    }

    /**
     * A keyword query: scores every candidate from the word postings (no per-module text work),
     * then checks the other criteria in descending score order only until the page is full and
     * the score drops, so that a common word among thousands of modules costs a sort of numbers.
     */
    private List<ModuleMatch> byKeywords(ModuleQuery q, LongSet candidates) {
        int n = candidates.size();
        double[] score = new double[n];
        for (String w : q.keywords()) {
            double[] best = new double[n];
            for (Map.Entry<String, LongSet> e : byWord.subMap(w, true, w + Character.MAX_VALUE, false).entrySet()) {
                String word = e.getKey();
                double exact = word.equals(w) ? 1.5 : 1;
                LongSet posting = e.getValue();
                LongSet inId = byIdWord.getOrDefault(word, NONE);
                LongSet inName = byNameWord.getOrDefault(word, NONE);
                for (int i = 0; i < posting.size(); i++) {
                    long id = posting.get(i);
                    int at = candidates.indexOf(id);
                    if (at >= 0) {
                        double s = (inId.contains(id) ? 3 : inName.contains(id) ? 2 : 1) * exact;
                        if (s > best[at]) {
                            best[at] = s;
                        }
                    }
                }
            }
            for (int i = 0; i < n; i++) {
                score[i] += best[i];
            }
        }
        // highest score first: sort (inverted score, position) packed in a long
        long[] order = new long[n];
        for (int i = 0; i < n; i++) {
            order[i] = ((long) (Integer.MAX_VALUE - (int) Math.round(score[i] * 1000)) << 32) | i;
        }
        java.util.Arrays.sort(order);
        long want = (long) q.offset() + q.limit();
        List<ModuleMatch> matches = new ArrayList<>();
        double last = -1;
        for (long o : order) {
            int i = (int) o;
            if (score[i] == 0 || (matches.size() >= want && score[i] < last)) {
                break; // the rest score lower than a full page: ties at the boundary are all in
            }
            long id = candidates.get(i);
            Module m = modules.get(id);
            ModuleMatch match = m == null ? null : criteria(m, q, score[i], serviceCapabilities.getOrDefault(id, List.of()));
            if (match != null) {
                matches.add(match);
                last = score[i];
            }
        }
        return matches;
    }

    private static final LongSet NONE = new LongSet();

    /** Score, then version (newest first), then id, then bundle id. */
    public static final Comparator<ModuleMatch> RANKING = (a, b) -> {
        int c = Double.compare(b.score(), a.score());
        if (c == 0) {
            c = b.module().version().compareTo(a.module().version());
        }
        if (c == 0) {
            c = a.module().id().compareTo(b.module().id());
        }
        return c != 0 ? c : Long.compare(a.module().bundleId(), b.module().bundleId());
    };

    /** The smallest set the indexes can give for the query; {@code null} when nothing narrows. */
    private LongSet candidates(ModuleQuery q) {
        LongSet result = null;
        for (String name : q.capabilities()) {
            result = intersect(result, byCapabilityName.getOrDefault(name, NONE));
        }
        for (Map.Entry<String, List<Filter>> f : q.filters().entrySet()) {
            for (Filter filter : f.getValue()) {
                result = intersect(result, narrow(f.getKey(), filter));
            }
        }
        if (!q.keywords().isEmpty()) {
            LongSet any = NONE;
            for (String w : q.keywords()) {
                // the word itself and every indexed word that starts with it
                for (LongSet ids : byWord.subMap(w, true, w + Character.MAX_VALUE, false).values()) {
                    any = any.or(ids);
                }
            }
            result = intersect(result, any);
        }
        return result;
    }

    /** Candidates for a filter in a namespace: through its equality terms when it has any. */
    private LongSet narrow(String namespace, Filter filter) {
        LongSet inNamespace = byNamespace.getOrDefault(namespace, NONE);
        if (filter == null) {
            return inNamespace;
        }
        SimpleFilter sf = SimpleFilter.parse(filter.toString());
        List<SimpleFilter> terms = sf.getOperation() == SimpleFilter.AND ? castList(sf.getValue()) : List.of(sf);
        Map<String, Map<String, LongSet>> attrs = byAttribute.getOrDefault(namespace, Map.of());
        LongSet result = null;
        for (SimpleFilter t : terms) {
            if (t.getOperation() == SimpleFilter.EQ && !typed.contains(namespace + " " + t.getName())) {
                Map<String, LongSet> values = attrs.getOrDefault(t.getName(), Map.of());
                result = intersect(result, values.getOrDefault(String.valueOf(t.getValue()), NONE));
            }
        }
        return result != null ? result : inNamespace;
    }

    @SuppressWarnings("unchecked")
    private static List<SimpleFilter> castList(Object o) {
        return (List<SimpleFilter>) o;
    }

    private static LongSet intersect(LongSet acc, LongSet more) {
        return acc == null ? more : acc.and(more);
    }

    /** The exact check of one module against every criterion, scoring its keywords from its text. */
    public static ModuleMatch match(Module m, ModuleQuery q) {
        double score = 0;
        if (!q.keywords().isEmpty()) {
            score = score(m, q.keywords(), words(m.id()), words(m.name()));
            if (score == 0) {
                return null;
            }
        }
        return criteria(m, q, score, serviceCapabilities(m));
    }

    /** Every criterion but the keywords, whose score is given. */
    public static ModuleMatch criteria(Module m, ModuleQuery q, double knownScore, List<CapabilityInfo> fromServices) {
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
        List<CapabilityInfo> matched = new ArrayList<>(2);
        if (!q.capabilities().isEmpty()) {
            for (String name : q.capabilities()) {
                if (!provides(m, name)) {
                    return null;
                }
            }
            for (CapabilityInfo c : m.capabilities()) {
                if (ModuleQuery.CAPABILITY_NAMESPACE.equals(c.namespace()) && hasAny(c.name(), q.capabilities())) {
                    matched.add(c);
                }
            }
            // advertised on a service: reported as a capability carrying the service's id
            for (CapabilityInfo c : fromServices) {
                if (q.capabilities().contains(c.name())) {
                    matched.add(c);
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
        return new ModuleMatch(m, knownScore, matched);
    }

    /**
     * Relevance: for each query word, 3 when a word of the id starts with it, 2 when a word of
     * the name does, 1 when any keyword does (description, tags, capability names); an exact
     * word counts half again.
     */
    public static double score(Module m, List<String> words, Set<String> idWords, Set<String> nameWords) {
        double score = 0;
        for (String w : words) {
            double best = 0;
            for (String k : m.keywords()) {
                if (k.startsWith(w)) {
                    double s = idWords.contains(k) ? 3 : nameWords.contains(k) ? 2 : 1;
                    best = Math.max(best, k.equals(w) ? s * 1.5 : s);
                }
            }
            score += best;
        }
        return score;
    }

    public static Set<String> words(String text) {
        if (text == null) {
            return Set.of();
        }
        return Set.of(Records.NON_WORD.splitAsStream(text.toLowerCase(java.util.Locale.ROOT))
                .filter(w -> !w.isEmpty()).distinct().toArray(String[]::new));
    }
}

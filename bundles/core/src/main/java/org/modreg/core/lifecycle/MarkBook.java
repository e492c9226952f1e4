package org.modreg.core.lifecycle;

import java.lang.System.Logger.Level;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import org.modreg.api.ModuleEvents;
import org.modreg.api.dto.Module;
import org.modreg.api.dto.ModuleMark;
import org.modreg.api.dto.ServiceMatch;
import org.modreg.core.index.LookupListener;
import org.modreg.core.ops.StartPolicy;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.event.EventAdmin;
import org.modreg.core.store.Database;
import org.modreg.core.util.Events;
import org.modreg.core.util.Threads;

import java.util.List;

/**
 * The lifecycle marks, one per module id at most, kept in memory and in the database: a
 * deprecated module's look-ups are warned of, once per consumer ({@link LookupListener}); an
 * archived one may not start ({@link StartPolicy}).
 */
@Component(service = { Marks.class, StartPolicy.class, LookupListener.class })
public final class MarkBook implements Marks {

    private static final System.Logger LOG = System.getLogger(MarkBook.class.getName());

    private final Database db;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile EventAdmin eventAdmin;
    private final Events events = new Events(() -> eventAdmin);
    private final Map<String, ModuleMark> marks = new ConcurrentHashMap<>();
    /** "consumer provider" pairs already warned of a deprecated provider. */
    private final Set<String> warned = ConcurrentHashMap.newKeySet();

    @Activate
    public MarkBook(@Reference Database db) {
        this.db = db;
        // off the activation, which must not wait for the database to open
        Threads.daemon(() -> {
            try {
                db.read(MarkStore::load).forEach(marks::putIfAbsent);
            } catch (RuntimeException e) {
                LOG.log(Level.ERROR, "the saved lifecycle marks cannot be read: " + e.getMessage(), e);
            }
        }, "modreg-marks").start();
    }

    /** @return whether any module is marked (the look-up hooks check nothing otherwise) */
    @Override
    public boolean any() {
        return !marks.isEmpty();
    }

    /** @return a module's mark, or null */
    @Override
    public ModuleMark of(String moduleId) {
        return marks.get(moduleId);
    }

    /** @return every mark, by module id */
    @Override
    public Map<String, ModuleMark> all() {
        return new TreeMap<>(marks);
    }

    /** Sets a mark, in memory and in the database. */
    @Override
    public void put(ModuleMark m) {
        marks.put(m.moduleId(), m);
        warned.removeIf(k -> k.endsWith(" " + m.moduleId()));
        db.write(c -> MarkStore.put(c, m));
    }

    /** Removes a mark; @return it, or null */
    @Override
    public ModuleMark remove(String moduleId) {
        ModuleMark m = marks.remove(moduleId);
        if (m != null) {
            db.write(c -> MarkStore.remove(c, moduleId));
        }
        return m;
    }

    /** @return why a module may not start: it is archived; null if it may */
    @Override
    public StartPolicy.Refusal refusal(Module module) {
        ModuleMark mark = module == null ? null : marks.get(module.id());
        if (mark == null || mark.kind() != ModuleMark.Kind.ARCHIVED) {
            return null;
        }
        String why = "it is archived" + (mark.reason() == null || mark.reason().isBlank() ? "" : " (" + mark.reason() + ")");
        return new StartPolicy.Refusal(why, "module:unmark " + module.id() + " first");
    }

    /** Warns of the deprecated providers among the services a consumer looked up. */
    @Override
    public void lookedUp(String consumer, List<ServiceMatch<Object>> found) {
        if (marks.isEmpty()) {
            return;
        }
        for (ServiceMatch<Object> m : found) {
            lookedUp(consumer == null ? "a caller of the registry" : consumer, m.provider().id());
        }
    }

    /** Warns, once per consumer, that a module it looks services up from is deprecated. */
    @Override
    public void lookedUp(String consumer, String providerId) {
        ModuleMark m = marks.get(providerId);
        if (m != null && m.kind() == ModuleMark.Kind.DEPRECATED && warned.add(consumer + " " + providerId)) {
            LOG.log(Level.WARNING, "{0} looks up services of {1}, which is deprecated{2}{3}", consumer, providerId,
                    m.reason() == null || m.reason().isBlank() ? "" : " (" + m.reason() + ")",
                    m.replacement() == null ? "" : "; use " + m.replacement() + " instead");
            events.post(ModuleEvents.TOPIC_DEPRECATED_USE, Map.of(ModuleEvents.MODULE_ID, providerId, ModuleEvents.CONSUMER, consumer));
        }
    }
}

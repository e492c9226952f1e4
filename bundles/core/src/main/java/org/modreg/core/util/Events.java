package org.modreg.core.util;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

import org.modreg.api.ModuleEvents;
import org.modreg.api.dto.Module;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;

/**
 * Posts modreg's events on Event Admin, when there is one: the registry works without it.
 * Asynchronous ({@link EventAdmin#postEvent}), so that no handler runs on an operation's thread.
 */
public final class Events {

    private final Supplier<EventAdmin> eventAdmin;

    /** @param eventAdmin the Event Admin service of the moment; null when there is none */
    public Events(Supplier<EventAdmin> eventAdmin) {
        this.eventAdmin = eventAdmin;
    }

    /** Posts a module's event: its id, version, state and bundle id, and the extra properties. */
    public void module(String topic, Module m, Map<String, Object> extra) {
        EventAdmin ea = eventAdmin.get();
        if (ea == null || m == null) {
            return;
        }
        Map<String, Object> props = new HashMap<>(extra);
        props.put(ModuleEvents.MODULE_ID, m.id());
        props.put(ModuleEvents.MODULE_VERSION, m.version().toString());
        props.put(ModuleEvents.MODULE_STATE, m.state().name());
        props.put(ModuleEvents.BUNDLE_ID, m.bundleId());
        ea.postEvent(new Event(topic, props));
    }

    /** Posts an event with the given properties alone. */
    public void post(String topic, Map<String, ?> props) {
        EventAdmin ea = eventAdmin.get();
        if (ea != null) {
            ea.postEvent(new Event(topic, props));
        }
    }
}

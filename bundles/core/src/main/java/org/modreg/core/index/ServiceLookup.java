package org.modreg.core.index;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.modreg.api.InvalidQueryException;
import org.modreg.api.ModuleQuery;
import org.modreg.api.dto.Module;
import org.modreg.api.dto.ServiceInfo;
import org.modreg.api.dto.ServiceMatch;
import org.modreg.core.records.ModuleRecord;
import org.modreg.core.records.ModuleRecords;
import org.modreg.core.records.Records;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleReference;
import org.osgi.framework.Constants;
import org.osgi.framework.Filter;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;

/**
 * Live services by capability: those that advertise it as a service property, found by the
 * framework's own look-up, and those of modules that advertise it as a generic capability
 * ({@code Provide-Capability}), found through the {@link ModuleIndex}.
 */
public final class ServiceLookup {

    private final BundleContext context;
    private final ModuleIndex index;
    private final ModuleRecords records;

    public ServiceLookup(BundleContext context, ModuleIndex index, ModuleRecords records) {
        this.context = context;
        this.index = index;
        this.records = records;
    }

    /**
     * Services of a type in the caller's class space: the same {@code T}, not a namesake.
     *
     * @see #find(String, String, String)
     */
    @SuppressWarnings({ "unchecked", "rawtypes" })
    public static <T> List<ServiceMatch<T>> ofType(Class<T> type, List<ServiceMatch<Object>> all) {
        Bundle typeBundle = type.getClassLoader() instanceof BundleReference br ? br.getBundle() : null;
        List<ServiceMatch<T>> result = new ArrayList<>(all.size());
        for (ServiceMatch<Object> m : all) {
            if (typeBundle == null || m.reference().isAssignableTo(typeBundle, type.getName())) {
                result.add((ServiceMatch) m);
            }
        }
        return result;
    }

    /**
     * @param objectClass the service interface; null for any
     * @param capability  the capability's name; null for any
     * @param filter      an LDAP filter over the service properties; null or blank for none
     * @return the matching services, best first (ranking, then age)
     * @throws InvalidQueryException if the filter is not valid
     */
    public List<ServiceMatch<Object>> find(String objectClass, String capability, String filter) {
        Filter extra = null;
        if (filter != null && !filter.isBlank()) {
            try {
                extra = context.createFilter(filter);
            } catch (InvalidSyntaxException e) {
                throw new InvalidQueryException("invalid filter \"" + filter + "\": " + e.getMessage(), e);
            }
        }
        String byProperty = capability == null ? (extra == null ? null : extra.toString())
                : "(&(" + ModuleQuery.CAPABILITY_NAMESPACE + "=" + escape(capability) + ")" + (extra == null ? "" : extra) + ")";
        Map<Long, ServiceReference<?>> found = new LinkedHashMap<>();
        try {
            // advertised on the service: the framework's own look-up, by interface, capability in the filter
            ServiceReference<?>[] refs = context.getAllServiceReferences(objectClass, byProperty);
            if (refs != null) {
                for (ServiceReference<?> r : refs) {
                    found.put((Long) r.getProperty(Constants.SERVICE_ID), r);
                }
            }
            // advertised by the module (Provide-Capability): its services of the interface that match
            // the filter, read from the records; the framework is asked only for those
            if (capability != null) {
                for (long id : index.genericProviders(capability)) {
                    ModuleRecord e = records.get(id);
                    Module m = e == null ? null : e.module();
                    for (ServiceInfo s : m == null ? List.<ServiceInfo>of() : m.services()) {
                        if (!found.containsKey(s.serviceId()) && (objectClass == null || s.objectClass().contains(objectClass))
                                && (extra == null || extra.matches(s.properties()))) {
                            ServiceReference<?>[] r = context.getAllServiceReferences(null, "(service.id=" + s.serviceId() + ")");
                            if (r != null) {
                                found.put(s.serviceId(), r[0]);
                            }
                        }
                    }
                }
            }
        } catch (InvalidSyntaxException e) {
            throw new InvalidQueryException("invalid service query " + byProperty + ": " + e.getMessage(), e);
        }
        List<ServiceReference<?>> sorted = new ArrayList<>(found.values());
        sorted.sort(Collections.reverseOrder()); // ServiceReference order: ranking, then age
        List<ServiceMatch<Object>> result = new ArrayList<>(sorted.size());
        for (ServiceReference<?> r : sorted) {
            Bundle owner = r.getBundle();
            ModuleRecord e = owner == null ? null : records.get(owner.getBundleId());
            Module provider = e == null ? null : e.module();
            if (provider != null) {
                @SuppressWarnings("unchecked")
                ServiceReference<Object> ref = (ServiceReference<Object>) r;
                result.add(new ServiceMatch<>(ref, provider, serviceInfo(provider, r)));
            }
        }
        return result;
    }

    /** The record's copy of a service's properties, made when it was registered; a new one if it changed since. */
    private static ServiceInfo serviceInfo(Module provider, ServiceReference<?> r) {
        long id = (Long) r.getProperty(Constants.SERVICE_ID);
        for (ServiceInfo s : provider.services()) {
            if (s.serviceId() == id) {
                return s;
            }
        }
        return Records.service(r);
    }

    /** Escapes a value for an LDAP filter (RFC 1960): {@code \ * ( )}. */
    static String escape(String value) {
        StringBuilder sb = new StringBuilder(value.length());
        for (char c : value.toCharArray()) {
            if (c == '\\' || c == '*' || c == '(' || c == ')') {
                sb.append('\\');
            }
            sb.append(c);
        }
        return sb.toString();
    }
}

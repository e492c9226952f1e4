package org.modreg.api.dto;

import java.util.List;
import java.util.Map;

/**
 * A live service registered by a module.
 *
 * @param serviceId   {@code service.id}
 * @param objectClass the service's interfaces
 * @param properties  its properties (values as registered; arrays copied to lists)
 */
public record ServiceInfo(long serviceId, List<String> objectClass, Map<String, Object> properties) {
    public ServiceInfo {
        objectClass = List.copyOf(objectClass);
        properties = Map.copyOf(properties);
    }
}

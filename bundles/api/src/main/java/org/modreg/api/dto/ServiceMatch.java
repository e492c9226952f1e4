package org.modreg.api.dto;

import org.osgi.framework.ServiceReference;

/**
 * A live service found by capability, with the module that provides it. Get the service object
 * with the caller's own {@code BundleContext} (an embedding host: {@code Container.context()}),
 * so that the framework accounts for who uses it.
 *
 * @param <T>       the service type
 * @param reference the service
 * @param provider  the module that registered it
 * @param info      its properties
 */
public record ServiceMatch<T>(ServiceReference<T> reference, Module provider, ServiceInfo info) {
}

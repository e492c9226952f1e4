package org.modreg.api.dto;

/**
 * One wire between two modules: the requirer uses a capability of the provider.
 *
 * @param requirer  bundle id of the module that has the requirement
 * @param provider  bundle id of the module that provides the capability
 * @param namespace the namespace, such as {@code osgi.wiring.package}
 * @param name      what is wired: the package, bundle or capability name
 * @param version   the version of the provided capability, empty if it has none
 * @param declared  false for a live wire of the framework; true for a requirement of an
 *                  unresolved module and the provider the resolver would pick for it
 */
public record WireInfo(long requirer, long provider, String namespace, String name, String version, boolean declared) {

    /** @return the wire in plain words: "package org.foo 1.2.0", "bundle org.bar 2.0.0" */
    public String describe() {
        String kind = switch (namespace) {
            case "osgi.wiring.package" -> "package";
            case "osgi.wiring.bundle" -> "bundle";
            case "osgi.wiring.host" -> "host";
            case "osgi.service" -> "service";
            case "osgi.extender" -> "extender";
            case "osgi.ee" -> "execution environment";
            default -> namespace;
        };
        return kind + " " + name + (version.isEmpty() ? "" : " " + version) + (declared ? " (declared, not wired)" : "");
    }
}

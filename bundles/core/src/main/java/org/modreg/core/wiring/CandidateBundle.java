package org.modreg.core.wiring;

import java.io.File;
import java.io.InputStream;
import java.net.URL;
import java.security.cert.X509Certificate;
import java.util.Dictionary;
import java.util.Enumeration;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.Version;
import org.osgi.framework.wiring.BundleRevision;

/**
 * The bundle a jar checked as a new module would become, for resolver hooks that ask a revision for
 * its bundle ({@code requirement.getRevision().getBundle()}): it is {@link #INSTALLED}, has no bundle
 * id yet ({@code -1}), and knows its location and headers when the jar was read by
 * {@link WiringChecker#resource}. It does nothing: every method that would act or load throws
 * {@link IllegalStateException}, as the framework's do for a bundle that is not there.
 */
final class CandidateBundle implements Bundle {

    /** The bundle id of a jar that is not installed. */
    static final long NO_ID = -1;

    private final CandidateRevision revision;

    CandidateBundle(CandidateRevision revision) {
        this.revision = revision;
    }

    private IllegalStateException notInstalled() {
        return new IllegalStateException(revision + ": a wiring check's candidate, not an installed bundle");
    }

    @Override
    public int getState() {
        return INSTALLED;
    }

    @Override
    public long getBundleId() {
        return NO_ID;
    }

    @Override
    public String getLocation() {
        return revision.resource() instanceof CandidateResource c ? c.location() : "";
    }

    @Override
    public String getSymbolicName() {
        return revision.getSymbolicName();
    }

    @Override
    public Version getVersion() {
        return revision.getVersion();
    }

    @Override
    public Dictionary<String, String> getHeaders() {
        Map<String, String> headers = revision.resource() instanceof CandidateResource c ? c.headers() : Map.of();
        return new Hashtable<>(headers);
    }

    @Override
    public Dictionary<String, String> getHeaders(String locale) {
        return getHeaders();
    }

    @Override
    @SuppressWarnings("unchecked")
    public <A> A adapt(Class<A> type) {
        return type == BundleRevision.class ? (A) revision : null;
    }

    /** @return 0: it was never modified, as it is not installed */
    @Override
    public long getLastModified() {
        return 0;
    }

    /** @return null: a bundle that is not installed has no context */
    @Override
    public BundleContext getBundleContext() {
        return null;
    }

    @Override
    public ServiceReference<?>[] getRegisteredServices() {
        return null;
    }

    @Override
    public ServiceReference<?>[] getServicesInUse() {
        return null;
    }

    @Override
    public boolean hasPermission(Object permission) {
        return false;
    }

    @Override
    public Map<X509Certificate, List<X509Certificate>> getSignerCertificates(int signersType) {
        return Map.of();
    }

    @Override
    public void start(int options) {
        throw notInstalled();
    }

    @Override
    public void start() {
        throw notInstalled();
    }

    @Override
    public void stop(int options) {
        throw notInstalled();
    }

    @Override
    public void stop() {
        throw notInstalled();
    }

    @Override
    public void update(InputStream input) {
        throw notInstalled();
    }

    @Override
    public void update() {
        throw notInstalled();
    }

    @Override
    public void uninstall() {
        throw notInstalled();
    }

    @Override
    public URL getResource(String name) {
        throw notInstalled();
    }

    @Override
    public Enumeration<URL> getResources(String name) {
        throw notInstalled();
    }

    @Override
    public Class<?> loadClass(String name) {
        throw notInstalled();
    }

    @Override
    public Enumeration<String> getEntryPaths(String path) {
        throw notInstalled();
    }

    @Override
    public URL getEntry(String path) {
        throw notInstalled();
    }

    @Override
    public Enumeration<URL> findEntries(String path, String filePattern, boolean recurse) {
        throw notInstalled();
    }

    @Override
    public File getDataFile(String filename) {
        return null;
    }

    @Override
    public int compareTo(Bundle other) {
        return Long.compare(getBundleId(), other.getBundleId());
    }

    @Override
    public String toString() {
        return revision.toString();
    }
}

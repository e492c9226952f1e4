package org.modreg.http;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.servlet.runtime.HttpServiceRuntime;

/**
 * Where the plane listens, for the CLI: {@code data/modreg/http/endpoint} holds the URL while
 * the servlet runtime is up, and is removed when it goes. If the runtime does not come up (the
 * port is taken, most often), says so once, naming the port; the container runs on without HTTP.
 */
@Component(immediate = true)
public final class Endpoint {

    private static final System.Logger LOG = System.getLogger(Endpoint.class.getName());
    /** How long Jetty may take to come up before the plane says it did not. */
    static final long GRACE_MS = 5_000;

    private final Path file;
    private final BundleContext context;
    private final ScheduledExecutorService timer;
    private volatile boolean up;

    @Activate
    public Endpoint(BundleContext context, @Reference ModregContext plane) {
        this.context = context;
        this.file = plane.directory().resolve("endpoint");
        this.timer = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "modreg-http-endpoint");
            t.setDaemon(true);
            return t;
        });
        timer.schedule(this::checkUp, GRACE_MS, TimeUnit.MILLISECONDS);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    void bindRuntime(HttpServiceRuntime runtime, Map<String, Object> props) {
        String url = url(props.get("osgi.http.endpoint"));
        if (url == null) {
            return;
        }
        up = true;
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(".endpoint.tmp");
            Files.writeString(tmp, url + "\n", StandardCharsets.UTF_8);
            Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "http: cannot write {0}: {1}", file, e.toString());
        }
        if (!url.contains("://127.") && !url.contains("://localhost") && !url.contains("://[::1]")) {
            LOG.log(System.Logger.Level.WARNING, "http: the management API listens beyond loopback, on {0}, without TLS:"
                    + " passwords and the token cross the network readable; reach it through an SSH tunnel instead", url);
        }
    }

    void unbindRuntime(HttpServiceRuntime runtime) {
        up = false;
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "http: cannot remove {0}: {1}", file, e.toString());
        }
    }

    @Deactivate
    void deactivate() {
        timer.shutdownNow();
        unbindRuntime(null);
    }

    /** The first http URL among the endpoints, without its trailing slash. */
    static String url(Object endpoints) {
        Object[] all = endpoints instanceof String[] a ? a : endpoints instanceof java.util.Collection<?> c ? c.toArray()
                : endpoints == null ? new Object[0] : new Object[] { endpoints };
        for (Object o : all) {
            String s = String.valueOf(o);
            if (s.startsWith("http")) {
                return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
            }
        }
        return null;
    }

    /** Once, after the grace period: if HTTP is meant to run and is not up, tell why in plain words. */
    private void checkUp() {
        if (up || "false".equalsIgnoreCase(context.getProperty("org.apache.felix.http.enable"))) {
            return;
        }
        String host = context.getProperty("org.apache.felix.http.host");
        String portText = context.getProperty("org.osgi.service.http.port");
        int port;
        try {
            port = Integer.parseInt(portText == null ? "8080" : portText.strip());
        } catch (NumberFormatException e) {
            LOG.log(System.Logger.Level.ERROR, "http: the port \"{0}\" is no number: the management API is not running", portText);
            return;
        }
        try (ServerSocket probe = new ServerSocket()) {
            probe.bind(new InetSocketAddress(host == null ? null : InetAddress.getByName(host), port));
            LOG.log(System.Logger.Level.ERROR, "http: the management API is not up after {0} ms (port {1} on {2} is free):"
                    + " see the log above", GRACE_MS, Integer.toString(port), host);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.ERROR, "http: port {0} on {1} is in use by another program ({2}): the management"
                    + " API is not running; the container runs on without it. Set org.osgi.service.http.port (configuration"
                    + " org.apache.felix.http, or -D) to a free port", Integer.toString(port), host, e.getMessage());
        }
    }
}

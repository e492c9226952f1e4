package org.modreg.http;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.modreg.api.ModuleAudit;
import org.modreg.api.dto.AuditEntry;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.servlet.context.ServletContextHelper;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardContext;

/**
 * The servlet context every servlet of the plane lives in, and the one place requests are
 * authenticated ({@link #handleSecurity}): a request carries either the container's token
 * ({@code Authorization: Bearer ...}, the token file under the data directory, readable by its
 * owner only) or a user's name and password (HTTP Basic) as configured in {@link UserAccount}s.
 * Only {@code /health} is answered without. A request with wrong credentials is refused with 401
 * and audited as a refused {@code login}; a request without any is refused with 401 and not
 * audited (it is no attempt).
 */
@Component(service = { ServletContextHelper.class, ModregContext.class }, configurationPid = ModregContext.PID)
@Designate(ocd = PlaneConfig.class)
@HttpWhiteboardContext(name = ModregContext.NAME, path = "/")
public final class ModregContext extends ServletContextHelper {

    /** The plane's configuration PID. */
    public static final String PID = "org.modreg.http";
    /** The name of the servlet context; servlets select it with {@link #SELECT}. */
    public static final String NAME = "modreg";
    /** The context selection filter of the plane's servlets. */
    public static final String SELECT = "(osgi.http.whiteboard.context.name=" + NAME + ")";

    private static final System.Logger LOG = System.getLogger(ModregContext.class.getName());

    private final Path dir;
    private final byte[] token;
    private final String boot;
    /** Optional: the context, its 503 and its /health stay up while the registry's bundle is stopped. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile ModuleAudit audit;
    private volatile PlaneConfig config;
    private final List<UserAccount> users = new CopyOnWriteArrayList<>();
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile org.modreg.http.metrics.HttpMetrics metrics;

    @Activate
    public ModregContext(BundleContext context, PlaneConfig config) throws IOException {
        super(context.getBundle());
        this.config = config;
        String data = context.getProperty(org.modreg.api.ModuleRegistry.DATA_PROPERTY);
        this.dir = (data != null ? Path.of(data) : context.getDataFile("").toPath()).resolve("http");
        this.token = token(dir.resolve("token")).getBytes(StandardCharsets.US_ASCII);
        this.boot = context.getProperty(org.modreg.api.ModuleRegistry.BOOT_PROPERTY);
    }

    @Modified
    void modified(PlaneConfig c) {
        this.config = c;
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addUser(UserAccount u) {
        users.add(u);
    }

    void removeUser(UserAccount u) {
        users.remove(u);
    }

    /** @return the location prefix of the launcher's boot bundles, or null: the container's own modules, guarded as in the shell */
    public String bootLocation() {
        return boot;
    }

    /** @return the plane's settings */
    public PlaneConfig config() {
        return config;
    }

    /** @return the directory of the token and endpoint files: {@code data/modreg/http} */
    public Path directory() {
        return dir;
    }

    /**
     * The token, made at the first start and kept: a script or an attached CLI that read it goes
     * on working after a restart. Its file is readable and writable by its owner only; one found
     * more open is closed again, with a warning, since anyone who reads it is an administrator.
     */
    private static String token(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        boolean posix = file.getFileSystem().supportedFileAttributeViews().contains("posix");
        Set<PosixFilePermission> ownerOnly = PosixFilePermissions.fromString("rw-------");
        if (Files.isRegularFile(file)) {
            String t = Files.readString(file, StandardCharsets.US_ASCII).strip();
            if (posix && !Files.getPosixFilePermissions(file).equals(ownerOnly)) {
                LOG.log(System.Logger.Level.WARNING, "http: {0} was readable by others; made readable by its owner only", file);
                Files.setPosixFilePermissions(file, ownerOnly);
            }
            if (t.length() >= 32) {
                return t;
            }
            LOG.log(System.Logger.Level.WARNING, "http: {0} held no usable token; a new one is written", file);
        }
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        String t = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        Path tmp = file.resolveSibling(".token.tmp");
        Files.deleteIfExists(tmp);
        if (posix) {
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(ownerOnly));
        } else {
            Files.createFile(tmp);
        }
        Files.writeString(tmp, t + "\n", StandardCharsets.US_ASCII);
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        return t;
    }

    @Override
    public boolean handleSecurity(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getRequestURI();
        if ("/health".equals(path)) {
            return true;
        }
        if (crossSite(request)) {
            Problems.drain(request);
            // a page of another site, in the browser of someone logged in with Basic: no change on their behalf
            Problems.write(response, HttpServletResponse.SC_FORBIDDEN, "Forbidden", request.getMethod() + " " + path
                    + " from a page of another origin (" + request.getHeader("Origin") + ") is refused", path, null);
            return false;
        }
        String auth = request.getHeader("Authorization");
        if (auth == null || auth.isBlank()) {
            return refuse(request, response, null, "credentials are needed: the token (Authorization: Bearer ...) or a"
                    + " user's name and password (HTTP Basic)");
        }
        int space = auth.indexOf(' ');
        String scheme = space < 0 ? auth : auth.substring(0, space);
        String value = space < 0 ? "" : auth.substring(space + 1).strip();
        if (scheme.equalsIgnoreCase("Bearer")) {
            if (MessageDigest.isEqual(token, value.getBytes(StandardCharsets.US_ASCII))) {
                request.setAttribute(Caller.ATTRIBUTE, new Caller(Caller.OWNER, Role.ADMIN));
                request.setAttribute(REMOTE_USER, Caller.OWNER);
                request.setAttribute(AUTHENTICATION_TYPE, "Bearer");
                return true;
            }
            return refuse(request, response, "http", "the token is not this container's");
        }
        if (scheme.equalsIgnoreCase("Basic")) {
            String decoded;
            try {
                decoded = new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return refuse(request, response, "http", "the Basic credentials are not Base64");
            }
            int colon = decoded.indexOf(':');
            String user = colon < 0 ? decoded : decoded.substring(0, colon);
            char[] password = colon < 0 ? new char[0] : decoded.substring(colon + 1).toCharArray();
            for (UserAccount u : users) {
                if (u.name().equals(user)) {
                    if (u.accepts(password)) {
                        request.setAttribute(Caller.ATTRIBUTE, new Caller(u.name(), u.role()));
                        request.setAttribute(REMOTE_USER, u.name());
                        request.setAttribute(AUTHENTICATION_TYPE, "Basic");
                        return true;
                    }
                    return refuse(request, response, "http:" + user, "wrong password for user " + user);
                }
            }
            return refuse(request, response, "http:" + (user.matches("[A-Za-z0-9._@-]{1,64}") ? user : "?"),
                    "no user " + (user.length() > 64 ? user.substring(0, 64) + "..." : user));
        }
        return refuse(request, response, null, "unknown authentication scheme " + scheme + ": use Bearer or Basic");
    }

    /**
     * Whether a request that may change something comes from a page of another origin: browsers
     * send {@code Origin} (and {@code Sec-Fetch-Site}) with such requests, and would send Basic
     * credentials they remember along. Programs (curl, the CLI, HttpClient) send neither.
     */
    static boolean crossSite(HttpServletRequest request) {
        String method = request.getMethod();
        if (method.equals("GET") || method.equals("HEAD") || method.equals("OPTIONS")) {
            return false;
        }
        if ("cross-site".equals(request.getHeader("Sec-Fetch-Site"))) {
            return true;
        }
        String origin = request.getHeader("Origin");
        if (origin == null) {
            return false;
        }
        String host = request.getHeader("Host");
        try {
            java.net.URI o = java.net.URI.create(origin);
            return host == null || o.getAuthority() == null || !o.getAuthority().equalsIgnoreCase(host);
        } catch (IllegalArgumentException e) {
            return true;
        }
    }

    /** 401, with the schemes offered; an attempt with wrong credentials is audited as a refused login. */
    private boolean refuse(HttpServletRequest request, HttpServletResponse response, String origin, String why)
            throws IOException {
        if (origin != null) {
            org.modreg.http.metrics.HttpMetrics m = metrics;
            if (m != null) {
                m.refusedLogin();
            }
            ModuleAudit a = audit;
            try {
                if (a != null) {
                    a.record(origin, "login", AuditEntry.Result.REFUSED, request.getMethod() + " " + request.getRequestURI(),
                            why + " (from " + request.getRemoteAddr() + ")");
                }
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "http: cannot audit a refused login: {0}", e.toString());
            }
        }
        Problems.drain(request);
        response.addHeader("WWW-Authenticate", "Bearer realm=\"modreg\"");
        response.addHeader("WWW-Authenticate", "Basic realm=\"modreg\", charset=\"UTF-8\"");
        Problems.write(response, HttpServletResponse.SC_UNAUTHORIZED, "Unauthorized",
                why, request.getRequestURI(), null);
        return false;
    }
}

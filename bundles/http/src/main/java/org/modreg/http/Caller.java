package org.modreg.http;

import jakarta.servlet.http.HttpServletRequest;

/**
 * Who made a request, as authenticated by {@link ModregContext}: a request attribute for the
 * servlets of the plane.
 *
 * @param user the user's name; {@value #OWNER} for the holder of the token file
 * @param role what the user may do
 */
public record Caller(String user, Role role) {

    /** The user the token file stands for: whoever can read the container's data directory. */
    public static final String OWNER = "owner";

    static final String ATTRIBUTE = Caller.class.getName();

    /** @return the origin the user's operations are audited under */
    public String origin() {
        return "http:" + user;
    }

    /** @return the caller of the request; null on a path that needs none ({@code /health}) */
    public static Caller of(HttpServletRequest request) {
        return (Caller) request.getAttribute(ATTRIBUTE);
    }

    /**
     * @param request a request
     * @param needed  the role it needs
     * @return the caller, who has the role
     * @throws Forbidden if the caller lacks it
     */
    public static Caller require(HttpServletRequest request, Role needed) {
        Caller c = of(request);
        if (c == null || !c.role().includes(needed)) {
            throw new Forbidden((c == null ? "no user" : "user " + c.user() + " (" + c.role() + ")") + " may not "
                    + request.getMethod() + " " + request.getRequestURI() + ": it needs the role " + needed);
        }
        return c;
    }

    /** A request the caller's role does not allow: 403. */
    public static final class Forbidden extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Forbidden(String message) {
            super(message);
        }
    }
}

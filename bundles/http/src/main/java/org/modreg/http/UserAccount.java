package org.modreg.http;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * A user of the HTTP plane, one per factory configuration {@value #FACTORY_PID}: a name, a
 * password hash ({@link PasswordHash}) and a role. A configuration whose password is not a hash
 * (a password in plain text, say) does not make a user: it fails to activate, and the error
 * says why, so that no plain-text password is ever accepted.
 */
@Component(service = UserAccount.class, configurationPid = UserAccount.FACTORY_PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = UserAccount.Config.class, factory = true)
public final class UserAccount {

    /** The factory PID of users. */
    public static final String FACTORY_PID = "org.modreg.http.user";

    @ObjectClassDefinition(name = "modreg HTTP user", description = "A user of the HTTP plane, with a role")
    public @interface Config {
        @AttributeDefinition(description = "the user name, as given with HTTP Basic authentication")
        String name();

        @AttributeDefinition(description = "the password's hash, made by ./modreg --hash-password: pbkdf2-sha256$...")
        String password_hash();

        @AttributeDefinition(description = "viewer (reads), operator (lifecycle, deploy, check) or admin (everything)")
        String role() default "viewer";
    }

    private final String name;
    private final String hash;
    private final Role role;

    @Activate
    public UserAccount(Config config) {
        String n = config.name() == null ? "" : config.name().strip();
        if (n.isEmpty() || !n.matches("[A-Za-z0-9._@-]+") || n.equals(Caller.OWNER)) {
            throw new IllegalArgumentException("user \"" + n + "\": a name of letters, digits and . _ @ -, not \""
                    + Caller.OWNER + "\" (the token's user)");
        }
        if (!PasswordHash.isHash(config.password_hash())) {
            throw new IllegalArgumentException("user " + n + ": password.hash is not a hash (a password in plain text is"
                    + " never accepted): make one with ./modreg --hash-password");
        }
        this.name = n;
        this.hash = config.password_hash();
        this.role = Role.parse(config.role());
    }

    /** @return the user's name */
    public String name() {
        return name;
    }

    /** @return the user's role */
    public Role role() {
        return role;
    }

    /** @return whether the password is the user's */
    boolean accepts(char[] password) {
        return PasswordHash.verify(password, hash);
    }
}

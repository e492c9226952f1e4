package org.modreg.api.dto;

import java.util.List;

/**
 * What a deploy would do, computed without touching anything.
 *
 * @param actions the actions, in the order they would be taken
 */
public record DeployPlan(List<Action> actions) {

    public DeployPlan {
        actions = List.copyOf(actions);
    }

    /** A kind of action. */
    public enum Kind {
        /** Install and start a new module. */
        INSTALL,
        /** Update a module to new bytes. */
        UPDATE,
        /** Uninstall the module of a removed file. */
        UNINSTALL,
        /** Refresh a module wired to one that changes. */
        REFRESH,
        /** Leave the file alone: its bytes are deployed already. */
        NONE,
        /** Refuse the file; nothing changes. */
        REFUSE
    }

    /**
     * One action.
     *
     * @param kind   what would be done
     * @param file   the file it comes from, or "" for a refresh
     * @param module "id version" of the module concerned, or "" if the file is not a bundle
     * @param reason why, in plain words
     */
    public record Action(Kind kind, String file, String module, String reason) {
    }

    /** @return one line an action: "INSTALL   foo.jar  org.foo 1.0  (new file)" */
    public String describe() {
        if (actions.isEmpty()) {
            return "Nothing to do";
        }
        StringBuilder sb = new StringBuilder();
        for (Action a : actions) {
            sb.append(String.format("%-9s %s%s%s%n", a.kind(), a.file().isEmpty() ? "" : a.file() + "  ",
                    a.module().isEmpty() ? "" : a.module() + "  ", "(" + a.reason() + ")"));
        }
        return sb.toString().stripTrailing();
    }
}

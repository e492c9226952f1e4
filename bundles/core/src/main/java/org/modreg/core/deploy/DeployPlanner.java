package org.modreg.core.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.modreg.api.ModuleException;
import org.modreg.api.ModuleSource;
import org.modreg.api.dto.CheckReport;
import org.modreg.api.dto.DeployPlan;
import org.modreg.api.dto.DeployPlan.Action;
import org.modreg.api.dto.DeployPlan.Kind;
import org.modreg.api.dto.Module;
import org.modreg.core.Registry;
import org.modreg.core.content.ContentStore;
import org.modreg.core.content.JarValidator;

/** What a deploy would do, checked and changing nothing: for one jar, or for the whole directory. */
final class DeployPlanner {

    private final Registry registry;

    DeployPlanner(Registry registry) {
        this.registry = registry;
    }

    /** @param target the file the jar would be deployed as; @param m the module deployed from it, or null */
    DeployPlan plan(ModuleSource source, Path target, Module m) {
        String file = target.getFileName().toString();
        List<Action> actions = new ArrayList<>();
        try {
            if (m == null) {
                CheckReport r = registry.check(source);
                actions.add(r.resolvable() ? new Action(Kind.INSTALL, file, r.module(), "new file; would resolve")
                        : new Action(Kind.REFUSE, file, r.module(), r.describe()));
            } else {
                planUpdate(actions, file, m, registry.checkUpdate(m.ref(), source));
            }
        } catch (ModuleException e) {
            actions.add(new Action(Kind.REFUSE, file, "", e.getMessage()));
        }
        return new DeployPlan(actions);
    }

    /** @param files the jars of the directory; @param deployed the modules deployed from it, by file */
    DeployPlan plan(List<Path> files, Map<Path, Module> deployed) {
        List<Action> actions = new ArrayList<>();
        List<Path> news = new ArrayList<>();
        for (Path p : files) {
            Module m = deployed.get(p);
            String file = p.getFileName().toString();
            try {
                String digest = ContentStore.digest(p);
                if (m == null) {
                    news.add(p);
                } else if (digest.equals(m.content().digest())) {
                    actions.add(new Action(Kind.NONE, file, m.ref(), "deployed already, the same bytes"));
                } else {
                    planUpdate(actions, file, m, registry.checkUpdate(m.ref(), ModuleSource.of(p)));
                }
            } catch (IOException | ModuleException e) {
                actions.add(new Action(Kind.REFUSE, file, m == null ? "" : m.ref(), e.getMessage()));
            }
        }
        List<Path> valid = new ArrayList<>();
        for (Path p : news) {
            try {
                JarValidator.validate(p.toString(), p, ContentStore.digest(p), Files.size(p));
                valid.add(p);
            } catch (IOException | ModuleException e) {
                actions.add(new Action(Kind.REFUSE, p.getFileName().toString(), "", e.getMessage()));
            }
        }
        List<CheckReport> reports = registry.checkAll(valid.stream().map(ModuleSource::of).toList());
        for (int i = 0; i < valid.size(); i++) {
            CheckReport r = reports.get(i);
            String file = valid.get(i).getFileName().toString();
            actions.add(r.resolvable() ? new Action(Kind.INSTALL, file, r.module(), "new file; would resolve")
                    : new Action(Kind.REFUSE, file, r.module(), r.describe()));
        }
        deployed.forEach((p, m) -> {
            if (!Files.exists(p)) {
                actions.add(new Action(Kind.UNINSTALL, p.getFileName().toString(), m.ref(), "its file is gone"));
            }
        });
        return new DeployPlan(actions);
    }

    private static void planUpdate(List<Action> actions, String file, Module m, CheckReport r) {
        if (!r.safe()) {
            actions.add(new Action(Kind.REFUSE, file, m.ref(), r.describe()));
            return;
        }
        actions.add(new Action(Kind.UPDATE, file, m.ref() + " -> " + r.version(), "the file changed; the new version resolves"));
        for (CheckReport.Impact i : r.refreshed()) {
            actions.add(new Action(Kind.REFRESH, "", i.module(), i.reason()));
        }
    }
}

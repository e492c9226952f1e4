package org.modreg.api;

import org.modreg.api.dto.CheckReport;

/**
 * An install or update was refused because the wiring check found that the module would not
 * resolve, or that the update would leave modules wired to the old version unresolved. Nothing was
 * installed or changed. {@link InstallOption#FORCE} installs or updates anyway.
 */
public class UnresolvableModuleException extends ModuleException {
    private static final long serialVersionUID = 1L;
    private final transient CheckReport report;

    /** @param report the wiring check's report; its text is the message */
    public UnresolvableModuleException(CheckReport report) {
        super(report.describe() + "\n(refused; nothing was changed. Force it with --force, or InstallOption.FORCE)");
        this.report = report;
    }

    /** @return the report of the check that refused the module */
    public CheckReport report() {
        return report;
    }
}

package org.modreg.shell.format;

import org.apache.felix.service.command.Converter;
import org.osgi.service.component.annotations.Component;

/** What a lifecycle command did, as 'a.b 1.2.0 (bundle 3) started: ACTIVE'. */
@Component(service = Converter.class, property = Converter.CONVERTER_CLASSES + "=org.modreg.shell.format.LifecycleResult")
public class LifecycleResultFormat extends Format<LifecycleResult> {

    public LifecycleResultFormat() {
        super(LifecycleResult.class);
    }

    @Override
    protected CharSequence format(LifecycleResult r, int level) {
        return Text.line(r.module()) + " " + r.action() + ": " + r.module().state();
    }
}

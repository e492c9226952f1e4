package org.modreg.shell.format;

import org.apache.felix.service.command.Converter;

/**
 * A Gogo {@link Converter} for one type of command result. Gogo asks every converter in turn to
 * format a result; this one answers for its type only, and converts nothing. Each subclass is its
 * own component, registered with {@link Converter#CONVERTER_CLASSES} naming its type, as SCR's and
 * Gogo's own converters are: one type, one converter.
 *
 * @param <T> the type formatted
 */
public abstract class Format<T> implements Converter {

    private final Class<T> type;

    protected Format(Class<T> type) {
        this.type = type;
    }

    @Override
    public final Object convert(Class<?> desiredType, Object in) {
        return null;
    }

    @Override
    public final CharSequence format(Object target, int level, Converter escape) {
        return type.isInstance(target) ? format(type.cast(target), level) : null;
    }

    /**
     * @param value the result
     * @param level {@link Converter#INSPECT} for the terminal, {@link Converter#LINE} for one line
     *              (the same as INSPECT but where a result has a one-line form)
     * @return its text
     */
    protected abstract CharSequence format(T value, int level);
}

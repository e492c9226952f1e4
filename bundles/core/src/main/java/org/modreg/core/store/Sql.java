package org.modreg.core.store;

/** Small helpers the SQL of each feature shares. */
public final class Sql {

    private Sql() {
    }

    /** @return the text cut to a column's width, marked as cut */
    public static String clip(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}

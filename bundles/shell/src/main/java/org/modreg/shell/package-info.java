/**
 * Gogo commands of modreg in scope {@code module}, one component to a topic as Gogo's Basic, Inspect
 * and Files: lifecycle, find, wiring, deploy, history, marks, stats and audit. Private to the
 * shell bundle.
 */
package org.modreg.shell;

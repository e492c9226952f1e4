/**
 * What the shell's commands return, and a Gogo converter for each type ({@link org.modreg.shell.format.Format}):
 * a command returns data, which a script can keep; the converter of its type prints it.
 */
package org.modreg.shell.format;

/** Gogo commands of modreg: private to the shell bundle. */
package org.modreg.shell;

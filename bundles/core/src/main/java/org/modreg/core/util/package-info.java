/** Private to the core bundle. */
package org.modreg.core.util;

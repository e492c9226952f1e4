/** The registry implementation: private to the core bundle. */
package org.modreg.core;

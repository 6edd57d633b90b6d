/** A plain-TCP transport written from the SPI's Javadoc, and the kit run against it with the kit's TCP relay. */
package io.peat.tck.selftest.tcp;

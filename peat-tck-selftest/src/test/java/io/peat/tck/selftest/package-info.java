/** Self-tests of the conformance kit: broken transports, each caught by the clause it breaks. */
package io.peat.tck.selftest;

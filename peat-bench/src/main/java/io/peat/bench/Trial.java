package io.peat.bench;

import java.util.Map;

/**
 * One measured run, done in a child JVM of its own (so peak RSS, CPU time and heap belong to it
 * alone): parameters in, a row of named values out.
 */
interface Trial {

    /**
     * @param params the trial's parameters, as strings
     * @return measured values by column name; numbers stay numbers
     * @throws Exception when the run could not be made (the parent reports it in the row)
     */
    Map<String, Object> run(Map<String, String> params) throws Exception;
}

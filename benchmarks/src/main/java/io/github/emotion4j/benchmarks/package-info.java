/** JMH benchmarks: every backend on the same networks in one run, and shared preprocessing. */
package io.github.emotion4j.benchmarks;

/**
 * The {@code emotion4j} command-line tool: classify, evaluate, train, export, list models and
 * backends, benchmark.
 */
package io.github.emotion4j.samples.cli;

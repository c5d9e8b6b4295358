/**
 * Host-application examples: building the classifier from configuration so that the engine is a
 * deployment choice ({@link io.github.emotion4j.samples.host.ConfiguredClassifier}), and a service that
 * receives the classifier by constructor injection and is unit-tested with a mock ({@link
 * io.github.emotion4j.samples.host.CustomerMoodService}).
 */
package io.github.emotion4j.samples.host;

/**
 * Test backends registered for the api's own tests only, through {@code
 * src/test/resources/META-INF/services/io.github.emotion4j.spi.EmotionBackend}; that file is kept out
 * of the test-jar and of other modules' class paths (see the api's pom.xml).
 */
package io.github.emotion4j.fakes;

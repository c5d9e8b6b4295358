/**
 * The service-provider interface for backend authors; hosts can ignore this package.
 *
 * <p>A backend is a class implementing {@link io.github.emotion4j.spi.EmotionBackend}, named in
 * {@code META-INF/services/io.github.emotion4j.spi.EmotionBackend} and found with {@link
 * java.util.ServiceLoader}. Its service class is cheap: it reports a name, a rank, its SPI version
 * and whether it can run here, and loads no native code. Engines start only in the {@link
 * io.github.emotion4j.spi.RunnableNetwork} it returns for a model package and device. The api keeps
 * decoding, preprocessing, softmax and labels, so a backend only maps float tensors to logits.
 *
 * @since 0.1
 */
package io.github.emotion4j.spi;

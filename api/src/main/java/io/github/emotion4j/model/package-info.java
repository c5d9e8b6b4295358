/**
 * The portable model package: a network described as data (an ordered {@link
 * io.github.emotion4j.model.LayerSpec layer list}), its weights in one safetensors file, its labels,
 * its {@link io.github.emotion4j.model.InputContract input contract} and its {@link
 * io.github.emotion4j.model.ModelProvenance provenance}. Every backend builds its runnable network
 * from this one description, which is what makes cross-engine parity testable.
 *
 * <p>On disk a package is a folder or a {@code .zip} holding {@value
 * io.github.emotion4j.model.ModelPackage#METADATA_FILE} and {@value
 * io.github.emotion4j.model.ModelPackage#WEIGHTS_FILE}.
 *
 * @since 0.1
 */
package io.github.emotion4j.model;

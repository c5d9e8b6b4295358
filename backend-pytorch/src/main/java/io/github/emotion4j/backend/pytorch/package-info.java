/**
 * The PyTorch backend: runs model packages on DJL's PyTorch engine, on the CPU or a CUDA GPU, and
 * trains them with DJL's {@code Trainer}. Natives come from Maven Central artifacts on the class
 * path ({@code ai.djl.pytorch:pytorch-native-cpu}, classifier per platform); nothing is downloaded.
 *
 * @since 0.1
 */
package io.github.emotion4j.backend.pytorch;

/**
 * The model zoo: finds emotion4j model packages by {@code name[:version]} in the bundled models,
 * a local directory, the download cache and an HTTP(S) mirror, in that order; downloads, verifies
 * (sha256) and caches them atomically; works offline. Engine-free: backends that use DJL register
 * it with DJL's own zoo. Start at {@link io.github.emotion4j.zoo.ModelZoo}; settings are in {@link
 * io.github.emotion4j.zoo.ZooConfig}; see {@code docs/ZOO.md}.
 *
 * @since 0.1
 */
package io.github.emotion4j.zoo;

/**
 * The preprocessing every backend shares: decoding with bounds and EXIF orientation, colour to the
 * model's channels, cropping, resizing and normalising into NCHW float32. Pure Java.
 *
 * @since 0.1
 */
package io.github.emotion4j.image;
